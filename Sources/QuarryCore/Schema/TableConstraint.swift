/// A model whose table has constraints or indexes over several columns, declared next to it and
/// created by `createTable`/`createAll` with the table.
///
/// ```swift
/// extension Track: ConstrainedTable {
///     static let constraints: [TableConstraint<Track>] = [
///         .unique(\.albumId, \.name),                                          // UNIQUE (album_id, name)
///         .index(\.genreId, \.milliseconds),                                    // CREATE INDEX
///         .index(\.composer, where: Track.Columns.composer != nil),              // a partial index
///         .check(Track.Columns.milliseconds > 0, name: "track_has_a_length"),   // CHECK
///     ]
/// }
/// ```
public protocol ConstrainedTable: Table {
    /// The table's multi-column constraints and indexes.
    static var constraints: [TableConstraint<Self>] { get }
}

/// One table-level constraint or index of `T`; see ``ConstrainedTable``. Conditions (`CHECK`,
/// the `WHERE` of a partial index) are typed expressions whose values are written into the DDL as
/// literals (DDL takes no bound values).
public struct TableConstraint<T: Table>: Sendable {
    enum Kind: Sendable {
        case unique
        case index(isUnique: Bool, predicate: SQLNode?, method: IndexMethod?)
        case check(SQLNode)
    }

    let kind: Kind
    /// The columns (unique constraints and indexes).
    let columns: [String]
    /// The indexed expressions of an expression index (its columns are then empty).
    var expressions: [SQLNode] = []
    /// The constraint's or index's name.
    public let name: String
    /// Set when a key path was not a stored column: creating the table then throws.
    let problem: String?

    private init(_ kind: Kind, _ keyPaths: [PartialKeyPath<T>], name: String?, prefix: String) {
        let names = keyPaths.map { T.columnName(for: $0) }
        self.kind = kind
        self.columns = names.compactMap { $0 }
        self.name = name ?? ([prefix, T.schema.name] + self.columns).joined(separator: "_")
        self.problem = zip(keyPaths, names).first { $0.1 == nil }.map { T.notAColumn($0.0) }
    }

    /// `UNIQUE (a, b)`: no two rows share the combination (`NULL`s excepted, as SQL defines).
    public static func unique(_ keyPaths: PartialKeyPath<T>..., name: String? = nil) -> TableConstraint {
        TableConstraint(.unique, keyPaths, name: name, prefix: "uq")
    }

    /// `CREATE [UNIQUE] INDEX … ON table [USING method] (a, b) [WHERE condition]`: a multi-column,
    /// unique or partial index (both backends support partial indexes); `using:` picks
    /// PostgreSQL's access method, such as GIN for an array's elements (SQLite builds a B-tree).
    ///
    /// ```swift
    /// .index(\.tags, using: .gin)
    /// ```
    public static func index(
        _ keyPaths: PartialKeyPath<T>...,
        unique: Bool = false,
        where condition: SQLExpression<Bool>? = nil,
        using method: IndexMethod? = nil,
        name: String? = nil
    ) -> TableConstraint {
        TableConstraint(
            .index(isUnique: unique, predicate: condition?.sqlNode, method: method),
            keyPaths,
            name: name,
            prefix: "ix"
        )
    }

    /// `CREATE [UNIQUE] INDEX name ON table (expression, …)`: an index on computed values, such as
    /// a case-insensitive unique email (both backends; the expressions must be deterministic).
    ///
    /// ```swift
    /// .index(on: lower(User.Columns.email), unique: true, name: "uq_users_email_lower")
    /// ```
    public static func index(
        on expressions: any SQLExpressible...,
        unique: Bool = false,
        where condition: SQLExpression<Bool>? = nil,
        using method: IndexMethod? = nil,
        name: String
    ) -> TableConstraint {
        var constraint = TableConstraint(
            .index(isUnique: unique, predicate: condition?.sqlNode, method: method),
            [],
            name: name,
            prefix: "ix"
        )
        constraint.expressions = expressions.map(\.sqlNode)
        return constraint
    }

    /// `CREATE [UNIQUE] INDEX name ON table (entry, …)` with each entry written as SQL — an
    /// expression, or a quoted column name — as `quarry reflect` writes expression indexes. The
    /// text is trusted DDL.
    ///
    /// ```swift
    /// .index(sql: "lower(email)", unique: true, name: "uq_users_email_lower")
    /// ```
    public static func index(
        sql entries: String...,
        unique: Bool = false,
        whereSQL condition: String? = nil,
        using method: IndexMethod? = nil,
        name: String
    ) -> TableConstraint {
        var constraint = TableConstraint(
            .index(isUnique: unique, predicate: condition.map(SQLNode.unsafeRaw), method: method),
            [],
            name: name,
            prefix: "ix"
        )
        constraint.expressions = entries.map(SQLNode.unsafeRaw)
        return constraint
    }

    /// `CREATE [UNIQUE] INDEX … WHERE condition` with the condition written as SQL, as
    /// `quarry reflect` writes the partial indexes it finds. The text is trusted DDL.
    public static func index(
        _ keyPaths: PartialKeyPath<T>...,
        unique: Bool = false,
        whereSQL condition: String,
        using method: IndexMethod? = nil,
        name: String? = nil
    ) -> TableConstraint {
        TableConstraint(
            .index(isUnique: unique, predicate: .unsafeRaw(condition), method: method),
            keyPaths,
            name: name,
            prefix: "ix"
        )
    }

    /// `CONSTRAINT name CHECK (condition)` with the condition written as SQL, as `quarry reflect`
    /// writes the checks it finds. The text is trusted DDL.
    ///
    /// ```swift
    /// .check(sql: "milliseconds > 0", name: "track_has_a_length")
    /// ```
    public static func check(sql condition: String, name: String) -> TableConstraint {
        TableConstraint(.check(.unsafeRaw(condition)), [], name: name, prefix: "ck")
    }

    /// `CONSTRAINT name CHECK (condition)`: a violating write fails with `checkViolation`.
    public static func check(_ condition: SQLExpression<Bool>, name: String) -> TableConstraint {
        TableConstraint(.check(condition.sqlNode), [], name: name, prefix: "ck")
    }

    var isIndex: Bool {
        if case .index = self.kind { return true }
        return false
    }
}

/// The constraints of `table` when it declares any.
func tableConstraints<T: Table>(_ table: T.Type) -> [TableConstraint<T>] {
    (T.self as? any ConstrainedTable.Type).map { constraints(of: $0) as? [TableConstraint<T>] ?? [] } ?? []
}

private func constraints<C: ConstrainedTable>(of table: C.Type) -> Any { C.constraints }
