/// A condition on the columns of one table, written with key paths: `\.userId == 42`.
///
/// Its `Root` lets Swift infer the key paths' table from the statement:
///
/// ```swift
/// select(Post.self).where(\.userId == 42 && \.title != "draft")
/// ```
public struct TablePredicate<Root: Table>: Sendable {
    /// The condition as a plain Boolean expression.
    public let expression: SQLExpression<Bool>

    /// Wraps a Boolean expression.
    public init(_ expression: SQLExpression<Bool>) { self.expression = expression }

    /// `lhs AND rhs`
    public static func && (lhs: TablePredicate, rhs: TablePredicate) -> TablePredicate {
        TablePredicate(lhs.expression && rhs.expression)
    }
    /// `lhs OR rhs`
    public static func || (lhs: TablePredicate, rhs: TablePredicate) -> TablePredicate {
        TablePredicate(lhs.expression || rhs.expression)
    }
    /// `lhs AND rhs`
    public static func && (lhs: TablePredicate, rhs: SQLExpression<Bool>) -> TablePredicate {
        TablePredicate(lhs.expression && rhs)
    }
    /// `lhs OR rhs`
    public static func || (lhs: TablePredicate, rhs: SQLExpression<Bool>) -> TablePredicate {
        TablePredicate(lhs.expression || rhs)
    }
    /// `NOT x`
    public static prefix func ! (x: TablePredicate) -> TablePredicate { TablePredicate(!x.expression) }
}

/// A key-path condition is a Boolean expression anywhere one is expected: a join's `on:`, a
/// `CASE` branch, a condition of another table's query.
///
/// ```swift
/// select(Post.Columns.title, from: Post.self).join(User.self, on: \User.id == \Post.userId)
/// ```
extension TablePredicate: SQLExpressible {
    /// A condition is Boolean.
    public typealias Value = Bool
    /// The condition's tree.
    public var sqlNode: SQLNode { self.expression.sqlNode }
}

/// `column = value` by key path (`IS NULL` for `nil`).
public func == <Root: Table, V: DatabaseValueConvertible>(lhs: KeyPath<Root, V>, rhs: V) -> TablePredicate<Root> {
    TablePredicate(Root.column(lhs) == rhs)
}
/// `column <> value` by key path (`IS NOT NULL` for `nil`).
public func != <Root: Table, V: DatabaseValueConvertible>(lhs: KeyPath<Root, V>, rhs: V) -> TablePredicate<Root> {
    TablePredicate(Root.column(lhs) != rhs)
}
/// `column < value` by key path.
public func < <Root: Table, V: DatabaseValueConvertible>(lhs: KeyPath<Root, V>, rhs: V) -> TablePredicate<Root> {
    TablePredicate(Root.column(lhs) < rhs)
}
/// `column <= value` by key path.
public func <= <Root: Table, V: DatabaseValueConvertible>(lhs: KeyPath<Root, V>, rhs: V) -> TablePredicate<Root> {
    TablePredicate(Root.column(lhs) <= rhs)
}
/// `column > value` by key path.
public func > <Root: Table, V: DatabaseValueConvertible>(lhs: KeyPath<Root, V>, rhs: V) -> TablePredicate<Root> {
    TablePredicate(Root.column(lhs) > rhs)
}
/// `column >= value` by key path.
public func >= <Root: Table, V: DatabaseValueConvertible>(lhs: KeyPath<Root, V>, rhs: V) -> TablePredicate<Root> {
    TablePredicate(Root.column(lhs) >= rhs)
}

// A key path compared with another expression of the same type (a column, `now() - interval`, a
// scalar subquery): the same spelling as a comparison with a value.

/// `column = expression` by key path.
///
/// ```swift
/// select(Post.self).where(\.userId == select(max(User.Columns.id), from: User.self).asScalar())
/// ```
public func == <Root: Table, V, R: SQLExpressible>(lhs: KeyPath<Root, V>, rhs: R) -> TablePredicate<Root>
where R.Value == V {
    TablePredicate(Root.column(lhs) == rhs)
}
/// `column <> expression` by key path.
public func != <Root: Table, V, R: SQLExpressible>(lhs: KeyPath<Root, V>, rhs: R) -> TablePredicate<Root>
where R.Value == V {
    TablePredicate(Root.column(lhs) != rhs)
}
/// `column < expression` by key path.
public func < <Root: Table, V, R: SQLExpressible>(lhs: KeyPath<Root, V>, rhs: R) -> TablePredicate<Root>
where R.Value == V {
    TablePredicate(Root.column(lhs) < rhs)
}
/// `column <= expression` by key path.
public func <= <Root: Table, V, R: SQLExpressible>(lhs: KeyPath<Root, V>, rhs: R) -> TablePredicate<Root>
where R.Value == V {
    TablePredicate(Root.column(lhs) <= rhs)
}
/// `column > expression` by key path.
public func > <Root: Table, V, R: SQLExpressible>(lhs: KeyPath<Root, V>, rhs: R) -> TablePredicate<Root>
where R.Value == V {
    TablePredicate(Root.column(lhs) > rhs)
}
/// `column >= expression` by key path.
///
/// ```swift
/// select(Booking.self).where(\.startTime >= now() - Interval(days: 30))
/// ```
public func >= <Root: Table, V, R: SQLExpressible>(lhs: KeyPath<Root, V>, rhs: R) -> TablePredicate<Root>
where R.Value == V {
    TablePredicate(Root.column(lhs) >= rhs)
}

// Two key paths of different tables compared: a join condition in the same spelling as a
// single-table filter, `\Album.artistId == \Artist.artistId`.

/// `a.column = b.column` by key paths of two tables.
///
/// ```swift
/// select(Album.Columns.title, Artist.Columns.name, from: Album.self)
///     .join(Artist.self, on: \Artist.artistId == \Album.artistId)
///     .where(\Artist.name == "AC/DC")
/// ```
public func == <A: Table, B: Table, V>(lhs: KeyPath<A, V>, rhs: KeyPath<B, V>) -> TablePredicate<A> {
    TablePredicate(A.column(lhs) == B.column(rhs))
}

/// `a.column <> b.column` by key paths of two tables.
public func != <A: Table, B: Table, V>(lhs: KeyPath<A, V>, rhs: KeyPath<B, V>) -> TablePredicate<A> {
    TablePredicate(A.column(lhs) != B.column(rhs))
}

/// `a.column < b.column` by key paths of two tables.
public func < <A: Table, B: Table, V>(lhs: KeyPath<A, V>, rhs: KeyPath<B, V>) -> TablePredicate<A> {
    TablePredicate(A.column(lhs) < B.column(rhs))
}

/// `a.column <= b.column` by key paths of two tables.
public func <= <A: Table, B: Table, V>(lhs: KeyPath<A, V>, rhs: KeyPath<B, V>) -> TablePredicate<A> {
    TablePredicate(A.column(lhs) <= B.column(rhs))
}

/// `a.column > b.column` by key paths of two tables.
public func > <A: Table, B: Table, V>(lhs: KeyPath<A, V>, rhs: KeyPath<B, V>) -> TablePredicate<A> {
    TablePredicate(A.column(lhs) > B.column(rhs))
}

/// `a.column >= b.column` by key paths of two tables.
public func >= <A: Table, B: Table, V>(lhs: KeyPath<A, V>, rhs: KeyPath<B, V>) -> TablePredicate<A> {
    TablePredicate(A.column(lhs) >= B.column(rhs))
}

/// `a.column = b.column` by key paths, the left one optional (a nullable foreign key).
public func == <A: Table, B: Table, V>(lhs: KeyPath<A, V?>, rhs: KeyPath<B, V>) -> TablePredicate<A> {
    TablePredicate(A.column(lhs) == B.column(rhs))
}

/// `a.column = b.column` by key paths, the right one optional (a nullable foreign key).
public func == <A: Table, B: Table, V>(lhs: KeyPath<A, V>, rhs: KeyPath<B, V?>) -> TablePredicate<A> {
    TablePredicate(A.column(lhs) == B.column(rhs))
}
