/// The name and columns of a ``Table``, in declaration order.
///
/// ```swift
/// User.schema.name                    // "users"
/// User.schema.columns.map(\.name)     // ["id", "name", "email", "created_at"]
/// ```
public struct TableSchema: Sendable {
    /// The table name.
    public let name: String
    /// The columns, in declaration order (the order rows are decoded in).
    public let columns: [ColumnDescriptor]
    /// The position of the primary-key column.
    public let primaryKeyIndex: Int?
    let indexByName: [String: Int]
    /// The names of the columns declared ``ColumnOption/sensitive``: values compared with or
    /// written to them are redacted from logs and error descriptions.
    public let sensitiveColumnNames: Set<String>

    /// Creates a schema.
    public init(name: String, columns: [ColumnDescriptor]) {
        self.name = name
        self.columns = columns
        self.primaryKeyIndex = columns.firstIndex(where: \.isPrimaryKey)
        var indexByName: [String: Int] = [:]
        for (i, c) in columns.enumerated() { indexByName[c.name] = i }
        self.indexByName = indexByName
        self.sensitiveColumnNames = Set(columns.filter(\.isSensitive).map(\.name))
    }

    /// The primary key's column name.
    public var primaryKeyName: String? { self.primaryKeyIndex.map { self.columns[$0].name } }

    /// The column named `name`.
    public func column(named name: String) -> ColumnDescriptor? {
        self.indexByName[name].map { self.columns[$0] }
    }

    /// The names of the tables this one references, for dependency ordering.
    public var referencedTables: [String] { self.columns.compactMap { $0.foreignKey?.target.table } }
}
