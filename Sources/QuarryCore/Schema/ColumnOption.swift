/// An option on a `@Table` property, given with `@Column(...)`.
///
/// ```swift
/// @Column(.primaryKey) var id: Int64? = nil
/// @Column(.references(User.self), .indexed) var userId: Int64
/// @Column(.named("mail"), .unique) var email: String
/// ```
public struct ColumnOption: Sendable {
    enum Kind: Sendable {
        case primaryKey
        case unique
        case indexed
        case named(String)
        case references(@Sendable () -> ForeignKey.Target)
        case defaultValue(DatabaseValue)
        case defaultNow
        case defaultSQL(String)
        case version
        case updateTime
        case softDelete
        case sensitive
        case onDelete(ForeignKey.Action)
        case onUpdate(ForeignKey.Action)
        case type(ColumnType)
        case generated(String)
    }
    let kind: Kind

    /// The primary key. An optional integer primary key is filled in by the database on insert.
    public static let primaryKey = ColumnOption(kind: .primaryKey)
    /// A `UNIQUE` constraint.
    public static let unique = ColumnOption(kind: .unique)
    /// An index on this column.
    public static let indexed = ColumnOption(kind: .indexed)
    /// Values that must never reach logs or error messages, even with bound-value logging on.
    public static let sensitive = ColumnOption(kind: .sensitive)

    /// The column's SQL type, when it is not the Swift type's own: `.type(.numeric(precision: 10,
    /// scale: 2))` for a `Decimal` price stored as `NUMERIC(10, 2)`.
    public static func type(_ type: ColumnType) -> ColumnOption { ColumnOption(kind: .type(type)) }

    /// The column's name, when it is not the property name in snake_case.
    public static func named(_ name: String) -> ColumnOption { ColumnOption(kind: .named(name)) }

    /// A foreign key to the primary key of `table`.
    public static func references<T: Table>(_ table: T.Type) -> ColumnOption {
        ColumnOption(
            kind: .references({
                ForeignKey.Target(
                    table: T.schema.name,
                    column: T.schema.primaryKeyName ?? "id",
                    schema: T.schema.schemaName
                )
            })
        )
    }

    /// What happens to this row when the referenced row is deleted.
    public static func onDelete(_ action: ForeignKey.Action) -> ColumnOption { ColumnOption(kind: .onDelete(action)) }

    /// What happens to this row when the referenced key changes (`ON UPDATE CASCADE`, …).
    public static func onUpdate(_ action: ForeignKey.Action) -> ColumnOption { ColumnOption(kind: .onUpdate(action)) }

    /// A server-side default, rendered as a literal in `CREATE TABLE`. On an optional property
    /// the default applies: a row inserted with `nil` there (in every row of the statement) leaves
    /// the column out of the `INSERT`, so the database fills it in, and `insert(…).returning()` or
    /// `session.insert(&model)` reads the value back.
    ///
    /// ```swift
    /// @Column(.default("queued")) var state: String? = nil
    /// ```
    public static func `default`<V: DatabaseValueConvertible>(_ value: V) -> ColumnOption {
        ColumnOption(kind: .defaultValue(value.databaseValue))
    }

    /// A server-side default of the current time (`CURRENT_TIMESTAMP`), applied as ``default(_:)``
    /// is: leave the optional property `nil` and read the time the database assigned back.
    ///
    /// ```swift
    /// @Column(.defaultNow) var createdAt: Date? = nil
    /// ```
    public static let defaultNow = ColumnOption(kind: .defaultNow)

    /// The row's version number, for optimistic locking: a `Session` update or delete of the row
    /// requires the version it read (`WHERE … AND version = read`) and writes the next one; when
    /// another writer got there first, nothing is written and the flush throws
    /// `DatabaseError.Code.staleData` naming the table and key.
    ///
    /// ```swift
    /// @Column(.version) var version: Int64 = 1
    /// ```
    public static let version = ColumnOption(kind: .version)

    /// The time of the row's last change: every `Session` update that changes the row sets it to
    /// the current time (a change of nothing leaves it). Pair it with ``defaultNow`` for the time
    /// of the insert.
    ///
    /// ```swift
    /// @Column(.defaultNow) var createdAt: Date? = nil
    /// @Column(.defaultNow, .updateTime) var updatedAt: Date? = nil
    /// ```
    public static let updateTime = ColumnOption(kind: .updateTime)

    /// The time the row was deleted, for soft deletes: `Session.delete` of the row sets it to the
    /// current time instead of removing the row, and every `select` from the table leaves rows with
    /// a time out unless it says `.includingDeleted()`. (Joined tables are not filtered; a
    /// `delete(from:)` statement still removes rows.)
    ///
    /// ```swift
    /// @Column(.softDelete) var deletedAt: Date? = nil
    /// ```
    public static let softDelete = ColumnOption(kind: .softDelete)

    /// A server-side default written as SQL (`gen_random_uuid()`, `nextval('seq')`), applied as
    /// ``default(_:)`` is. The text is trusted DDL: never build it from input.
    ///
    /// ```swift
    /// @Column(.defaultSQL("gen_random_uuid()")) var token: UUID? = nil
    /// ```
    public static func defaultSQL(_ sql: String) -> ColumnOption { ColumnOption(kind: .defaultSQL(sql)) }

    /// A column the database computes from `sql`, over the row's other columns
    /// (`GENERATED ALWAYS AS (sql) STORED`, on PostgreSQL 12+ and SQLite 3.31+): rows read it,
    /// and inserts and updates never write it (the database refuses them). Declare the property
    /// optional: it is `nil` in a row not yet inserted. The text is trusted DDL: never build it
    /// from input.
    ///
    /// ```swift
    /// @Column(.generated("price * quantity")) var total: Decimal? = nil
    /// ```
    public static func generated(_ sql: String) -> ColumnOption { ColumnOption(kind: .generated(sql)) }
}

/// A foreign-key constraint.
public struct ForeignKey: Sendable {
    /// The referenced table and column.
    public struct Target: Sendable, Hashable {
        /// The referenced table.
        public var table: String
        /// The referenced column.
        public var column: String
        /// The referenced table's schema, when it has one of its own.
        public var schema: String?

        /// Names a referenced column.
        public init(table: String, column: String, schema: String? = nil) {
            self.table = table
            self.column = column
            self.schema = schema
        }
    }

    /// An `ON DELETE` or `ON UPDATE` action.
    public struct Action: Sendable, Hashable {
        /// The action as SQL writes it: `CASCADE`, `SET NULL`, …
        public let sql: String

        /// The action written as `sql` (any case, as databases report it); `nil` for an unknown one.
        public init?(sql: String) {
            let words = sql.uppercased().split(whereSeparator: { $0 == " " || $0 == "_" }).joined(separator: " ")
            guard ["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"].contains(words) else { return nil }
            self.sql = words
        }

        private init(verified sql: String) { self.sql = sql }
        /// `CASCADE`: delete (or re-key) the referencing rows too.
        public static let cascade = Action(verified: "CASCADE")
        /// `SET NULL`: clear the referencing column.
        public static let setNull = Action(verified: "SET NULL")
        /// `SET DEFAULT`: set the referencing column to its default.
        public static let setDefault = Action(verified: "SET DEFAULT")
        /// `RESTRICT`: refuse at once.
        public static let restrict = Action(verified: "RESTRICT")
        /// `NO ACTION`: refuse at the end of the statement (the default).
        public static let noAction = Action(verified: "NO ACTION")
    }

    let resolveTarget: @Sendable () -> Target
    /// The `ON DELETE` action, if any.
    public var onDelete: Action?
    /// The `ON UPDATE` action, if any.
    public var onUpdate: Action?

    /// The referenced table and column (resolved lazily, so tables may reference each other).
    public var target: Target { self.resolveTarget() }
}
