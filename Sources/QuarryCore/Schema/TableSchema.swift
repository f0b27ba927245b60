/// The name and columns of a ``Table``, in declaration order.
///
/// ```swift
/// User.schema.name                    // "users"
/// User.schema.columns.map(\.name)     // ["id", "name", "email", "created_at"]
/// ```
public struct TableSchema: Sendable {
    /// The table name.
    public let name: String
    /// The PostgreSQL schema (or SQLite attached database) the table lives in; `nil` for the
    /// connection's default (`search_path`, SQLite's `main`). Statements name the table as
    /// `"schema"."name"`; columns stay qualified by the table name alone.
    public let schemaName: String?
    /// The columns, in declaration order (the order rows are decoded in).
    public let columns: [ColumnDescriptor]
    /// The positions of the primary-key columns, in declaration order: one for most tables,
    /// several for a composite key (`playlist_track (playlist_id, track_id)`), none for a table
    /// without a key.
    public let primaryKeyIndexes: [Int]
    /// The position of the primary-key column when the key is a single column; `nil` for a
    /// composite key or none (use ``primaryKeyIndexes``).
    public var primaryKeyIndex: Int? { self.primaryKeyIndexes.count == 1 ? self.primaryKeyIndexes[0] : nil }
    let indexByName: [String: Int]
    /// The names of the columns declared ``ColumnOption/sensitive``: values compared with or
    /// written to them are redacted from logs and error descriptions.
    public let sensitiveColumnNames: Set<String>

    /// Creates a schema.
    public init(name: String, schema: String? = nil, columns: [ColumnDescriptor]) {
        self.name = name
        self.schemaName = schema
        let keys = columns.indices.filter { columns[$0].isPrimaryKey }
        // Only a single-column key is assigned by the database; a composite key's parts never are.
        self.columns = keys.count > 1 ? columns.map { $0.withoutAutoIncrement() } : columns
        self.primaryKeyIndexes = keys
        var indexByName: [String: Int] = [:]
        for (i, c) in columns.enumerated() { indexByName[c.name] = i }
        self.indexByName = indexByName
        self.sensitiveColumnNames = Set(columns.filter(\.isSensitive).map(\.name))
    }

    /// The primary key's column name, when the key is a single column.
    public var primaryKeyName: String? { self.primaryKeyIndex.map { self.columns[$0].name } }

    /// The primary key's column names, in declaration order.
    public var primaryKeyNames: [String] { self.primaryKeyIndexes.map { self.columns[$0].name } }

    /// The column named `name`.
    public func column(named name: String) -> ColumnDescriptor? {
        self.indexByName[name].map { self.columns[$0] }
    }

    /// The position of the version column (``ColumnOption/version``), if the table has one.
    public var versionIndex: Int? { self.columns.firstIndex(where: \.isVersion) }
    /// The position of the soft-delete column (``ColumnOption/softDelete``), if the table has one.
    public var softDeleteIndex: Int? { self.columns.firstIndex(where: \.isSoftDelete) }

    /// The names of the tables this one references, for dependency ordering.
    public var referencedTables: [String] { self.columns.compactMap { $0.foreignKey?.target.table } }
}
