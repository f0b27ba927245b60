/// A typed SQL expression. `Value` is the Swift type the expression evaluates to, so comparisons
/// and results are checked by the compiler.
///
/// ```swift
/// let adults: SQLExpression<Bool> = Person.Columns.age >= 18
/// ```
public struct SQLExpression<Value>: SQLExpressible, Sendable {
    /// The untyped tree.
    public let sqlNode: SQLNode

    /// Wraps a node.
    public init(_ node: SQLNode) { self.sqlNode = node }

    /// Gives the expression a name in the select list: `count().as("n")`.
    public func `as`(_ alias: String) -> SQLExpression<Value> { SQLExpression(.alias(self.sqlNode, alias)) }
}

/// Anything that stands for a typed SQL expression: ``SQLExpression`` and ``Column``.
public protocol SQLExpressible<Value>: Sendable {
    /// The Swift type the expression evaluates to.
    associatedtype Value
    /// The untyped tree.
    var sqlNode: SQLNode { get }
}

extension SQLExpressible {
    /// This expression as a typed ``SQLExpression``.
    public var expression: SQLExpression<Value> { SQLExpression(self.sqlNode) }

    /// This expression read as optional: a column of the outer side of a `LEFT`, `RIGHT` or
    /// `FULL` join, which is `NULL` where no row matched.
    ///
    /// ```swift
    /// select(User.Columns.name, Post.Columns.title.nullable, from: User.self)
    ///     .leftJoin(Post.self, on: Post.Columns.userId == User.Columns.id)
    /// ```
    public var nullable: SQLExpression<Value?> { SQLExpression(self.sqlNode) }
}

/// A value bound as a parameter, typed as an expression: `value(42) + User.Columns.age`.
public func value<V: DatabaseValueConvertible>(_ value: V) -> SQLExpression<V> {
    SQLExpression(.bind(value.databaseValue))
}

/// A trusted SQL fragment, never escaped or bound. Use only with text you wrote yourself.
///
/// ```swift
/// select(unsafeRaw("now()") as SQLExpression<Date>, from: User.self)
/// ```
public func unsafeRaw<V>(_ sql: String, as type: V.Type = V.self) -> SQLExpression<V> {
    SQLExpression(.unsafeRaw(sql))
}
