/// The untyped parts of a `SELECT`: what ``Select`` builds and what subqueries embed.
public struct SelectCore: Sendable {
    /// A `JOIN` clause.
    public struct Join: Sendable {
        /// `INNER`, `LEFT`, `RIGHT`, `FULL` (outer) or `CROSS`.
        public enum Kind: String, Sendable {
            case inner = "JOIN"
            case left = "LEFT JOIN"
            case right = "RIGHT JOIN"
            case full = "FULL JOIN"
            case cross = "CROSS JOIN"
        }
        var kind: Kind
        var table: String
        var schema: String? = nil
        var alias: String?
        /// The condition; none for a `CROSS JOIN`.
        var on: SQLNode?
        /// A derived table, `JOIN (query) AS table`, whose columns the query names (a `.subquery`
        /// node); `nil` for a stored table.
        var query: SQLNode? = nil
        /// `JOIN LATERAL (query)` (PostgreSQL): the query may refer to the tables before it.
        var isLateral = false
    }

    var isDistinct = false
    /// `DISTINCT ON (…)` (PostgreSQL): the first row of each group of equal values.
    var distinctOn: [SQLNode] = []
    var columns: [SQLNode]
    var from: String?
    var fromSchema: String?
    var fromAlias: String?
    /// A derived table: `FROM (query) AS from`, whose columns the query names (a `.subquery`
    /// node: the enum boxes the nested query).
    var fromQuery: SQLNode?
    var joins: [Join] = []
    var predicate: SQLNode?
    /// `from.deleted_at IS NULL` for a table with a soft-delete column, added to the `WHERE`
    /// unless the query includes deleted rows.
    var hidesDeleted: SQLNode?
    var groupBy: [SQLNode] = []
    /// `GROUP BY ROLLUP (…)` (PostgreSQL): subtotals for each prefix of the list and a grand total.
    var groupsByRollup = false
    var having: SQLNode?
    var orderBy: [Ordering] = []
    var limit: Int?
    var offset: Int?
    /// `FOR UPDATE` and its kin.
    var lock: RowLock?
    /// The sensitive column names of the tables selected from and joined.
    var sensitiveColumns: Set<String> = []
    /// `UNION` / `INTERSECT` / `EXCEPT` members after this one; `orderBy`, `limit` and `offset`
    /// then apply to the whole compound.
    var compound: [(CompoundOperator, SelectCore)] = []
    /// `WITH` tables: name, column names, query.
    var commonTables: [CommonTable] = []
    /// A mistake found while building (a series with a step of zero): compiling throws it.
    var problem: CompileError?

    /// One `name (columns) AS (query)` of a `WITH`.
    struct CommonTable: Sendable {
        var name: String
        var columns: [String]
        var query: SelectCore
        var isRecursive: Bool
    }

    /// How a member joins a compound select.
    enum CompoundOperator: String, Sendable {
        case union = "UNION"
        case unionAll = "UNION ALL"
        case intersect = "INTERSECT"
        case except = "EXCEPT"
    }

    init(columns: [SQLNode], from: String?) {
        self.columns = columns
        self.from = from
    }

    init(columns: [SQLNode], from schema: TableSchema) {
        self.columns = columns
        self.from = schema.name
        self.fromSchema = schema.schemaName
        self.sensitiveColumns = schema.sensitiveColumnNames
        if let index = schema.softDeleteIndex {
            self.hidesDeleted = .isNull(.column(table: schema.name, name: schema.columns[index].name), negated: false)
        }
    }

    /// This query as a derived table whose rows are `table`'s: its result columns named after
    /// `table`'s columns, in order (`FROM (…) AS table`, `JOIN (…) AS table`).
    func derivedTable<T: Table>(of table: T.Type) -> SQLNode {
        .subquery(self.naming(T.schema.columns.map(\.name)))
    }

    /// This query with its result columns named `names`, in order (the first member's, for a
    /// compound): what a derived table's rows are called outside it.
    private func naming(_ names: [String]) -> SelectCore {
        var copy = self
        for (i, name) in names.enumerated() where i < copy.columns.count {
            if case .alias(let inner, _) = copy.columns[i] {
                copy.columns[i] = .alias(inner, name)
            } else {
                copy.columns[i] = .alias(copy.columns[i], name)
            }
        }
        return copy
    }

    /// The `WHERE` condition: the soft-delete filter, then the query's own conditions.
    var wherePredicate: SQLNode? {
        guard let hidden = self.hidesDeleted else { return self.predicate }
        return self.predicate.map { .binary(hidden, .and, $0) } ?? hidden
    }

    mutating func addPredicate(_ node: SQLNode) {
        self.predicate = self.predicate.map { .binary($0, .and, node) } ?? node
    }

    func compile(into builder: inout SQLBuilder) throws {
        if let problem = self.problem { throw problem }
        guard self.commonTables.isEmpty else { return try self.compileWith(into: &builder) }
        guard self.compound.isEmpty else { return try self.compileCompound(into: &builder) }
        if !self.sensitiveColumns.isEmpty { builder.sensitiveColumns.formUnion(self.sensitiveColumns) }
        // PostgreSQL requires ORDER BY expressions of a SELECT DISTINCT to be select-list
        // expressions, and select-list expressions of a grouped query to match a GROUP BY one,
        // parameters included: a constant used in both must be the same $n.
        let reusesBinds =
            (self.isDistinct || !self.distinctOn.isEmpty || !self.groupBy.isEmpty) && builder.reusableBinds == nil
        if reusesBinds { builder.reusableBinds = [:] }
        defer { if reusesBinds { builder.reusableBinds = nil } }
        if !self.distinctOn.isEmpty {
            try builder.requirePostgreSQL(
                "DISTINCT ON is PostgreSQL's; on SQLite rank the rows with rowNumber().over(partitionBy:orderBy:) and keep the first"
            )
            builder.append("SELECT DISTINCT ON (")
            try builder.appendList(self.distinctOn) { try $0.append($1) }
            builder.append(") ")
        } else {
            builder.append(self.isDistinct ? "SELECT DISTINCT " : "SELECT ")
        }
        try builder.appendList(self.columns) { try $0.append($1) }
        if let from = self.from, let query = self.fromQuery {
            builder.append(" FROM ")
            try builder.append(query)
            builder.append(" AS ")
            builder.appendIdentifier(from)
        } else if let from = self.from {
            builder.append(" FROM ")
            builder.appendTable(from, schema: self.fromSchema)
            if let alias = self.fromAlias {
                builder.append(" AS ")
                builder.appendIdentifier(alias)
            }
        }
        for join in self.joins {
            builder.append(" \(join.kind.rawValue) ")
            if let query = join.query {
                if join.isLateral {
                    try builder.requirePostgreSQL(
                        "JOIN LATERAL is PostgreSQL's; on SQLite rank the rows with rowNumber().over(partitionBy:orderBy:) in a derived table and join it"
                    )
                    builder.append("LATERAL ")
                }
                try builder.append(query)
                builder.append(" AS ")
                builder.appendIdentifier(join.table)
            } else {
                builder.appendTable(join.table, schema: join.schema)
            }
            if let alias = join.alias {
                builder.append(" AS ")
                builder.appendIdentifier(alias)
            }
            if let condition = join.on {
                builder.append(" ON ")
                try builder.append(condition)
            }
        }
        if let predicate = self.wherePredicate {
            builder.append(" WHERE ")
            try builder.append(predicate)
        }
        if !self.groupBy.isEmpty {
            if self.groupsByRollup {
                try builder.requirePostgreSQL(
                    "GROUP BY ROLLUP is PostgreSQL's; on SQLite union the grouped query with its totals"
                )
                builder.append(" GROUP BY ROLLUP (")
                try builder.appendList(self.groupBy) { try $0.append($1) }
                builder.append(")")
            } else {
                builder.append(" GROUP BY ")
                try builder.appendList(self.groupBy) { try $0.append($1) }
            }
        }
        if let having = self.having {
            builder.append(" HAVING ")
            try builder.append(having)
        }
        if !self.orderBy.isEmpty {
            builder.append(" ORDER BY ")
            try builder.appendList(self.orderBy) { try $0.append($1) }
        }
        self.appendLimits(into: &builder)
        if let lock = self.lock { try lock.compile(into: &builder) }
    }

    /// `WITH [RECURSIVE] name (columns) AS (query), … <the select>`.
    private func compileWith(into builder: inout SQLBuilder) throws {
        builder.append(self.commonTables.contains(where: \.isRecursive) ? "WITH RECURSIVE " : "WITH ")
        try builder.appendList(self.commonTables) { b, table in
            b.appendIdentifier(table.name)
            b.append(" (")
            b.appendList(table.columns) { $0.appendIdentifier($1) }
            b.append(") AS (")
            try table.query.compile(into: &b)
            b.append(")")
        }
        builder.append(" ")
        var rest = self
        rest.commonTables = []
        try rest.compile(into: &builder)
    }

    /// `LIMIT n OFFSET m` (SQLite needs a `LIMIT` before an `OFFSET`: -1 is none).
    private func appendLimits(into builder: inout SQLBuilder) {
        if let limit = self.limit {
            builder.append(" LIMIT ")
            builder.appendBind(.integer(Int64(limit)))
        }
        if let offset = self.offset {
            if self.limit == nil && builder.dialect == .sqlite { builder.append(" LIMIT -1") }
            builder.append(" OFFSET ")
            builder.appendBind(.integer(Int64(offset)))
        }
    }

    /// `first UNION second …` with the ordering and limits of the whole at the end. Members may
    /// not order or limit themselves (SQLite has no parentheses around compound members), and the
    /// compound's `ORDER BY` names result columns, unqualified, as both dialects require.
    private func compileCompound(into builder: inout SQLBuilder) throws {
        var head = self
        head.compound = []
        head.orderBy = []
        head.limit = nil
        head.offset = nil
        guard head.lock == nil else {
            throw CompileError(.unsupportedByDialect, "a UNION, INTERSECT or EXCEPT cannot lock rows")
        }
        try head.compile(into: &builder)
        for (op, member) in self.compound {
            guard member.orderBy.isEmpty, member.limit == nil, member.offset == nil, member.compound.isEmpty,
                member.lock == nil
            else {
                throw CompileError(
                    .unsupportedByDialect,
                    "a member of a \(op.rawValue) cannot have its own ORDER BY, LIMIT, OFFSET or lock: put them on the whole"
                )
            }
            builder.append(" \(op.rawValue) ")
            try member.compile(into: &builder)
        }
        if !self.orderBy.isEmpty {
            builder.append(" ORDER BY ")
            try builder.appendList(self.orderBy) { b, ordering in
                try b.append(
                    Ordering(ordering.node.resultColumn, descending: ordering.descending, nulls: ordering.nulls)
                )
            }
        }
        self.appendLimits(into: &builder)
    }
}

extension SQLNode {
    /// How a compound select's `ORDER BY` names this: a column by its bare name, an aliased
    /// expression by its alias.
    var resultColumn: SQLNode {
        switch self {
        case .column(_, let name): .column(table: nil, name: name)
        case .alias(_, let name): .column(table: nil, name: name)
        default: self
        }
    }
}
