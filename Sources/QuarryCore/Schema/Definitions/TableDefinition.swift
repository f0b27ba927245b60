/// A table as the database sees it: columns, keys, constraints and indexes, in one model shared
/// by both backends. It is what introspection reads from a live database
/// (`executor.introspect()`), what a `@Table` model describes (`TableDefinition(User.self, for:
/// .sqlite)`), what the schema diff compares and what migration steps create.
///
/// ```swift
/// let users = TableDefinition(
///     "users",
///     columns: [
///         ColumnDefinition("id", type: .integer64, isIdentity: true),
///         ColumnDefinition("email", type: .text),
///         ColumnDefinition("nickname", type: .varchar(40), isNullable: true),
///     ],
///     primaryKey: ["id"],
///     uniqueConstraints: [UniqueDefinition(columns: ["email"])]
/// )
/// ```
public struct TableDefinition: Sendable, Hashable {
    /// The table name.
    public var name: String
    /// The PostgreSQL schema (SQLite attached database), `nil` for the default one.
    public var schema: String?
    /// The columns in table order.
    public var columns: [ColumnDefinition]
    /// The primary key's columns, in key order; empty for a table without one.
    public var primaryKey: [String]
    /// `UNIQUE` constraints (a column's own `UNIQUE` is one of one column).
    public var uniqueConstraints: [UniqueDefinition]
    /// Indexes created with `CREATE INDEX` (not those backing a key or a unique constraint).
    public var indexes: [IndexDefinition]
    /// Foreign keys.
    public var foreignKeys: [ForeignKeyDefinition]
    /// Named `CHECK` constraints.
    public var checks: [CheckDefinition]

    /// Describes a table.
    public init(
        _ name: String,
        schema: String? = nil,
        columns: [ColumnDefinition],
        primaryKey: [String] = [],
        uniqueConstraints: [UniqueDefinition] = [],
        indexes: [IndexDefinition] = [],
        foreignKeys: [ForeignKeyDefinition] = [],
        checks: [CheckDefinition] = []
    ) {
        self.name = name
        self.schema = schema
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniqueConstraints = uniqueConstraints
        self.indexes = indexes
        self.foreignKeys = foreignKeys
        self.checks = checks
    }

    /// The column named `name`.
    public func column(named name: String) -> ColumnDefinition? { self.columns.first { $0.name == name } }

    /// The table name with its schema, as messages show it: `cd.members`.
    public var qualifiedName: String { self.schema.map { "\($0).\(self.name)" } ?? self.name }
}

/// One column of a ``TableDefinition``.
///
/// ```swift
/// ColumnDefinition("state", type: .text, default: .literal(.text("queued")))
/// ```
public struct ColumnDefinition: Sendable, Hashable {
    /// The column name.
    public var name: String
    /// The column's type (``ColumnType/sql(_:)`` for a type Quarry has no name for).
    public var type: ColumnType
    /// `true` when the column accepts `NULL`. Primary-key columns never do.
    public var isNullable: Bool
    /// The server-side default, if any.
    public var defaultValue: ColumnDefault?
    /// `true` when the database assigns the value (an identity or `AUTOINCREMENT` key).
    public var isIdentity: Bool
    /// For a column of a PostgreSQL domain (`CREATE DOMAIN year AS integer`): the domain's base
    /// type, which is what values arrive as. Not part of the comparison; `type` names the domain.
    public var valueType: ColumnType?
    /// The expression the database computes the column from (`GENERATED ALWAYS AS (…) STORED`).
    public var generated: String?

    /// Describes a column.
    public init(
        _ name: String,
        type: ColumnType,
        isNullable: Bool = false,
        default defaultValue: ColumnDefault? = nil,
        isIdentity: Bool = false,
        valueType: ColumnType? = nil,
        generated: String? = nil
    ) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
        self.defaultValue = defaultValue
        self.isIdentity = isIdentity
        self.valueType = valueType
        self.generated = generated
    }
}

/// A column's server-side default: a constant, the current time, or an expression as the
/// database wrote it.
///
/// ```swift
/// ColumnDefault.literal(.integer(0))      // DEFAULT 0
/// ColumnDefault.currentTimestamp          // DEFAULT CURRENT_TIMESTAMP
/// ColumnDefault.expression("gen_random_uuid()")
/// ```
public enum ColumnDefault: Sendable, Hashable {
    /// A constant, written as a literal.
    case literal(DatabaseValue)
    /// `CURRENT_TIMESTAMP`.
    case currentTimestamp
    /// An SQL expression, written as given.
    case expression(String)

    /// The default as `dialect` writes it after `DEFAULT`.
    public func sql(for dialect: Dialect) -> String {
        switch self {
        case .literal(let value): dialect.literal(value)
        case .currentTimestamp: "CURRENT_TIMESTAMP"
        case .expression(let text): text
        }
    }
}

/// A `UNIQUE` constraint over one or more columns. Its name is kept when the database keeps one
/// (PostgreSQL); the diff compares unique constraints by their columns.
public struct UniqueDefinition: Sendable, Hashable {
    /// The constraint name, if known.
    public var name: String?
    /// The columns, in constraint order.
    public var columns: [String]

    /// Describes a unique constraint.
    public init(name: String? = nil, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

/// An index made by `CREATE INDEX`: columns or expressions, unique or not, partial or not, a
/// B-tree or another access method (PostgreSQL).
public struct IndexDefinition: Sendable, Hashable {
    /// The index name.
    public var name: String
    /// The indexed columns, or expressions (`lower(email)`) on PostgreSQL, in index order.
    public var columns: [String]
    /// `true` for `CREATE UNIQUE INDEX`.
    public var isUnique: Bool
    /// The `WHERE` condition of a partial index, as SQL.
    public var predicate: String?
    /// PostgreSQL's access method (`USING gin`); `nil` for a B-tree, the default. SQLite builds
    /// B-trees only and ignores it.
    public var method: IndexMethod?

    /// Describes an index.
    public init(
        _ name: String,
        columns: [String],
        isUnique: Bool = false,
        predicate: String? = nil,
        method: IndexMethod? = nil
    ) {
        self.name = name
        self.columns = columns
        self.isUnique = isUnique
        self.predicate = predicate
        self.method = method == .btree ? nil : method
    }
}

/// A foreign key from `columns` to `referencedColumns` of `referencedTable`.
public struct ForeignKeyDefinition: Sendable, Hashable {
    /// The constraint name, if known.
    public var name: String?
    /// The referencing columns.
    public var columns: [String]
    /// The referenced table.
    public var referencedTable: String
    /// The referenced table's schema, `nil` for the default one.
    public var referencedSchema: String?
    /// The referenced columns, in the order of `columns`.
    public var referencedColumns: [String]
    /// `ON DELETE`; `NO ACTION` when `nil`.
    public var onDelete: ForeignKey.Action?
    /// `ON UPDATE`; `NO ACTION` when `nil`.
    public var onUpdate: ForeignKey.Action?

    /// Describes a foreign key.
    public init(
        name: String? = nil,
        columns: [String],
        references referencedTable: String,
        schema referencedSchema: String? = nil,
        columns referencedColumns: [String],
        onDelete: ForeignKey.Action? = nil,
        onUpdate: ForeignKey.Action? = nil
    ) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedSchema = referencedSchema
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete == .noAction ? nil : onDelete
        self.onUpdate = onUpdate == .noAction ? nil : onUpdate
    }
}

/// A named `CHECK` constraint.
public struct CheckDefinition: Sendable, Hashable {
    /// The constraint name.
    public var name: String
    /// The condition, as SQL.
    public var expression: String

    /// Describes a check constraint.
    public init(_ name: String, _ expression: String) {
        self.name = name
        self.expression = expression
    }
}

/// Everything introspection read from one database: its tables and, on PostgreSQL, its enum types.
///
/// ```swift
/// let schema = try await engine.introspect()
/// schema.table(named: "users")?.columns.map(\.name)
/// ```
public struct DatabaseSchema: Sendable, Hashable {
    /// The tables, by name.
    public var tables: [TableDefinition]
    /// PostgreSQL enum types: name → labels in order.
    public var enumTypes: [String: [String]]

    /// Describes a schema.
    public init(tables: [TableDefinition], enumTypes: [String: [String]] = [:]) {
        self.tables = tables
        self.enumTypes = enumTypes
    }

    /// The table named `name`.
    public func table(named name: String) -> TableDefinition? { self.tables.first { $0.name == name } }
}
