/// A `Sendable` struct stored as a row of one table. Declare it with the `@Table` macro:
///
/// ```swift
/// @Table("users")
/// struct User: Sendable, Equatable {
///     @Column(.primaryKey) var id: Int64? = nil
///     var name: String
///     @Column(.unique) var email: String
///     var createdAt: Date = .now            // column "created_at"
/// }
/// ```
///
/// The macro generates the schema, typed columns (`User.Columns.email`), key-path lookup
/// (`\.email == "a@b.c"`), an index-based row decoder and the values to bind on insert.
public protocol Table: Sendable {
    /// The table's name and columns.
    static var schema: TableSchema { get }
    /// The position in ``schema`` of the column stored by `keyPath`, or `nil`.
    static func columnIndex(for keyPath: PartialKeyPath<Self>) -> Int?
    /// Decodes a row whose values are in ``schema`` column order.
    /// - Throws: ``DatabaseError`` with code `typeMismatch` naming the column.
    init(row: Row) throws
    /// The values to bind, in ``schema`` column order.
    var databaseValues: [DatabaseValue] { get }
}

extension Table {
    /// The column stored by `keyPath`, as an expression (qualified by the table name).
    public static func column<V>(_ keyPath: KeyPath<Self, V>) -> SQLExpression<V> {
        guard let index = Self.columnIndex(for: keyPath) else {
            return SQLExpression(.invalid("\(Self.self) has no stored column for \(keyPath)"))
        }
        return SQLExpression(.column(table: Self.schema.name, name: Self.schema.columns[index].name))
    }

    /// The value of the primary key, or `nil` when the table has none.
    public var primaryKeyValue: DatabaseValue? {
        Self.schema.primaryKeyIndex.map { self.databaseValues[$0] }
    }

    /// `"table"."primary_key" = value`, for looking a row up by its key.
    ///
    /// ```swift
    /// let user = try await engine.oneOrNone(select(User.self).where(User.primaryKeyEquals(.integer(42))))
    /// ```
    public static func primaryKeyEquals(_ value: DatabaseValue) -> SQLExpression<Bool> {
        guard let index = Self.schema.primaryKeyIndex else {
            return SQLExpression(.invalid("\(Self.schema.name) has no primary key"))
        }
        return SQLExpression(
            .binary(.column(table: Self.schema.name, name: Self.schema.columns[index].name), .equal, .bind(value))
        )
    }
}
