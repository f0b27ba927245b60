import Foundation

/// Everything Quarry knows about one column of a ``Table``.
///
/// `@Table` generates these; write them by hand only for tables declared without the macro.
///
/// ```swift
/// ColumnDescriptor("email", type: String.self, options: [.unique])
/// ```
public struct ColumnDescriptor: Sendable {
    /// The column name in the database.
    public let name: String
    /// The storage type.
    public let type: ColumnType
    /// `true` when the Swift type is `Optional`.
    public let isNullable: Bool
    /// `true` for the primary key.
    public let isPrimaryKey: Bool
    /// `true` for a column the database assigns when an insert leaves it `nil`: an optional
    /// `Int64` or `Int32` single-column primary key, or a column declared ``ColumnOption/identity``.
    public private(set) var isAutoIncrement: Bool
    /// `true` when the column was declared ``ColumnOption/identity`` (kept in a composite key).
    let isDeclaredIdentity: Bool
    /// `true` when the column has a `UNIQUE` constraint.
    public let isUnique: Bool
    /// `true` when the column has an index of its own.
    public let isIndexed: Bool
    /// `true` when the column's values must never be logged.
    public let isSensitive: Bool
    /// The foreign key, if the column references another table.
    public let foreignKey: ForeignKey?
    /// The server-side default value, if any.
    public let defaultValue: DatabaseValue?
    /// `true` when the server-side default is the current time (`CURRENT_TIMESTAMP`).
    public let defaultsToNow: Bool
    /// `true` for the row's version number (``ColumnOption/version``).
    public let isVersion: Bool
    /// `true` for the time of the row's last change (``ColumnOption/updateTime``).
    public let isUpdateTime: Bool
    /// `true` for the time of the row's soft delete (``ColumnOption/softDelete``).
    public let isSoftDelete: Bool
    /// The server-side default as SQL text (``ColumnOption/defaultSQL(_:)``), if any.
    public let defaultSQL: String?
    /// The expression the database computes the column from (``ColumnOption/generated(_:)``), if
    /// any: such a column is read, never written.
    public let generatedSQL: String?
    /// `true` when inserts and updates may write the column: every column but a generated one.
    public var isWritable: Bool { self.generatedSQL == nil }
    /// `true` when updates write the column: a writable column the database does not number
    /// (``ColumnOption/identity``; PostgreSQL refuses to update a `GENERATED ALWAYS` identity).
    public var isUpdatable: Bool { self.isWritable && !self.isDeclaredIdentity }
    /// `true` for a `String` property stored in a PostgreSQL type Quarry has no name for and whose
    /// value is not simply text (`tsvector`, `inet`, `money`, a range, a composite type, an enum
    /// read into a `String`): statements read it as the column cast to text and write it untyped,
    /// so the server parses the text as the column's type, the way `psql` shows and takes it.
    ///
    /// ```swift
    /// @Column(.type(.sql("tsvector"))) var fulltext: String   // 'dinosaur':2 'academy':1
    /// ```
    public let travelsAsText: Bool
    /// `true` for a `Data` or `String` property declared `.type(.json)`: its bytes are written as
    /// the JSON document they hold (`JSONB` on PostgreSQL), as `quarry reflect` declares them.
    let writesJSON: Bool
    /// `true` when the database has a default for the column: an optional property left `nil` is
    /// omitted from `INSERT` so the default applies.
    public var hasServerDefault: Bool { self.defaultValue != nil || self.defaultsToNow || self.defaultSQL != nil }

    /// Describes a column holding values of `type`.
    public init<V: DatabaseValueConvertible>(_ name: String, type: V.Type, options: [ColumnOption] = []) {
        var name = name
        var isPrimaryKey = false
        var isUnique = false
        var isIndexed = false
        var isSensitive = false
        var target: (@Sendable () -> ForeignKey.Target)?
        var onDelete: ForeignKey.Action?
        var onUpdate: ForeignKey.Action?
        var defaultValue: DatabaseValue?
        var defaultsToNow = false
        var defaultSQL: String?
        var generatedSQL: String?
        var isVersion = false
        var isUpdateTime = false
        var isSoftDelete = false
        var isDeclaredIdentity = false
        var columnType = V.columnType
        for option in options {
            switch option.kind {
            case .primaryKey: isPrimaryKey = true
            case .unique: isUnique = true
            case .indexed: isIndexed = true
            case .sensitive: isSensitive = true
            case .named(let n): name = n
            case .references(let t): target = t
            case .onDelete(let a): onDelete = a
            case .onUpdate(let a): onUpdate = a
            case .defaultValue(let v): defaultValue = v
            case .defaultNow: defaultsToNow = true
            case .defaultSQL(let sql): defaultSQL = sql
            case .version: isVersion = true
            case .updateTime: isUpdateTime = true
            case .softDelete: isSoftDelete = true
            case .type(let t): columnType = t
            case .generated(let sql): generatedSQL = sql
            case .identity: isDeclaredIdentity = true
            }
        }
        self.name = name
        self.type = columnType
        self.isNullable = V.isNullable
        self.isPrimaryKey = isPrimaryKey
        self.isDeclaredIdentity = isDeclaredIdentity
        self.isAutoIncrement =
            isDeclaredIdentity
            || isPrimaryKey && V.isNullable && (V.columnType == .integer64 || V.columnType == .integer32)
        self.isUnique = isUnique
        self.isIndexed = isIndexed
        self.isSensitive = isSensitive
        self.foreignKey = target.map { ForeignKey(resolveTarget: $0, onDelete: onDelete, onUpdate: onUpdate) }
        self.defaultValue = defaultValue
        self.defaultsToNow = defaultsToNow
        self.defaultSQL = defaultSQL
        self.generatedSQL = generatedSQL
        self.isVersion = isVersion
        self.isUpdateTime = isUpdateTime
        self.isSoftDelete = isSoftDelete
        self.travelsAsText = V.columnType == .text && Self.isNonCharacterSQLType(columnType)
        self.writesJSON = columnType == .json && (V.columnType == .blob || V.columnType == .text)
    }

    /// `true` for a type named by SQL text that is no character type (`tsvector`, `mood`, not
    /// `NVARCHAR(40)` or `character(20)`, whose values are text already).
    static func isNonCharacterSQLType(_ type: ColumnType) -> Bool {
        guard case .sql(let name) = type.kind else { return false }
        return SchemaText.sqliteAffinity(name) != "TEXT" && name.lowercased() != "name"
    }

    /// `value` as statements send it for this column: untyped text when ``travelsAsText``, a
    /// JSON document for bytes or text declared `.type(.json)`. `@Table` writes each column
    /// through it when the column declares a `.type`.
    public func written(_ value: DatabaseValue) -> DatabaseValue {
        switch value {
        case .text(let text) where self.travelsAsText: .enumLabel(text)
        case .text(let text) where self.writesJSON: .json(Data(text.utf8))
        case .blob(let bytes) where self.writesJSON: .json(bytes)
        default: value
        }
    }

    /// The expression that reads this column of `table` into its property: the column, or for a
    /// column that ``travelsAsText`` `CAST(column AS TEXT) AS column`.
    func selected(from table: String?) -> SQLNode {
        let column = SQLNode.column(table: table, name: self.name)
        return self.travelsAsText ? .alias(.cast(column, .text), self.name) : column
    }
}

extension ColumnDescriptor {
    /// This column as part of a composite key, which the database assigns only when declared
    /// ``ColumnOption/identity``.
    func withoutAutoIncrement() -> ColumnDescriptor {
        var copy = self
        copy.isAutoIncrement = self.isDeclaredIdentity
        return copy
    }
}
