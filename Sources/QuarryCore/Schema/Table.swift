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

    /// The name of the column stored by `keyPath`, or `nil` for a key path that is no stored
    /// column (a computed property).
    public static func columnName(for keyPath: PartialKeyPath<Self>) -> String? {
        Self.columnIndex(for: keyPath).map { Self.schema.columns[$0].name }
    }

    /// The message of the `unknownColumn` error for `keyPath`.
    static func notAColumn(_ keyPath: PartialKeyPath<Self>) -> String {
        "\(keyPath) is not a stored column of \(Self.schema.name)"
    }

    /// The value of a single-column primary key, or `nil` when the table has none or a composite
    /// one (see ``primaryKeyValues``).
    public var primaryKeyValue: DatabaseValue? {
        Self.schema.primaryKeyIndex.map { self.databaseValues[$0] }
    }

    /// The values of the primary-key columns, in declaration order; `nil` when the table has no
    /// key or a part of it is still `NULL` (a row not inserted yet).
    public var primaryKeyValues: [DatabaseValue]? {
        let indexes = Self.schema.primaryKeyIndexes
        guard !indexes.isEmpty else { return nil }
        let values = self.databaseValues
        let key = indexes.map { values[$0] }
        return key.contains(where: \.isNull) ? nil : key
    }

    /// `"table"."primary_key" = value`, for looking a row up by a single-column key.
    ///
    /// ```swift
    /// let user = try await engine.oneOrNone(select(User.self).where(User.primaryKeyEquals(.integer(42))))
    /// ```
    public static func primaryKeyEquals(_ value: DatabaseValue) -> SQLExpression<Bool> {
        Self.primaryKeyEquals([value])
    }

    /// `"table"."a" = $1 AND "table"."b" = $2`, for looking a row up by its (composite) key, the
    /// values in the key columns' declaration order. A table without a key, or a count of values
    /// other than the key's columns, makes the statement fail to compile (`missingPrimaryKey`).
    ///
    /// ```swift
    /// let entry = try await engine.oneOrNone(
    ///     select(PlaylistTrack.self).where(PlaylistTrack.primaryKeyEquals([.integer(1), .integer(3402)]))
    /// )
    /// ```
    public static func primaryKeyEquals(_ values: [DatabaseValue]) -> SQLExpression<Bool> {
        SQLExpression(Self.primaryKeyNode(table: Self.schema.name, values))
    }

    /// The key condition as a node; `table` qualifies the columns (`nil`: unqualified, for
    /// `UPDATE` and `DELETE`).
    static func primaryKeyNode(table: String?, _ values: [DatabaseValue]) -> SQLNode {
        let names = Self.schema.primaryKeyNames
        guard !names.isEmpty else { return .invalid("\(Self.schema.name) has no primary key") }
        guard names.count == values.count else {
            return .invalid(
                "\(Self.schema.name)'s primary key has \(names.count) columns (\(names.joined(separator: ", "))); \(values.count) values were given"
            )
        }
        guard !values.contains(where: \.isNull) else {
            return .invalid("\(Self.schema.name) row has no primary-key value")
        }
        return zip(names, values).map { SQLNode.binary(.column(table: table, name: $0), .equal, .bind($1)) }
            .reduce(nil) { condition, part in condition.map { .binary($0, .and, part) } ?? part }!
    }
}
