extension TableDefinition {
    /// The table a `@Table` model describes, as `createTable` and `createIndexes` create it in
    /// `dialect` (conditions of checks and partial indexes are rendered in that dialect).
    ///
    /// ```swift
    /// let wanted = try TableDefinition(User.self, for: .postgresql)
    /// wanted.columns.map(\.name)    // ["id", "name", "email", "created_at"]
    /// ```
    /// - Throws: `CompileError` when a declared constraint names a key path that is not a column.
    public init<T: Table>(_ table: T.Type, for dialect: Dialect) throws {
        let schema = T.schema
        let composite = schema.primaryKeyIndexes.count > 1
        let columns = schema.columns.map { column in
            // SQLite numbers only its INTEGER PRIMARY KEY; PostgreSQL any identity column, which
            // is NOT NULL.
            let isIdentity = column.isAutoIncrement && (column.isPrimaryKey || dialect == .postgresql)
            return ColumnDefinition(
                column.name,
                type: column.type,
                isNullable: column.isNullable && !column.isPrimaryKey && !isIdentity,
                default: column.defaultValue.map(ColumnDefault.literal)
                    ?? (column.defaultsToNow ? .currentTimestamp : nil)
                        ?? column.defaultSQL.map(ColumnDefault.expression),
                isIdentity: isIdentity,
                generated: column.generatedSQL
            )
        }
        var uniques = schema.columns.filter { $0.isUnique && !($0.isPrimaryKey && !composite) }.map {
            UniqueDefinition(columns: [$0.name])
        }
        var checks: [CheckDefinition] = []
        for constraint in tableConstraints(T.self) {
            if let problem = constraint.problem { throw CompileError(.unknownColumn, problem) }
            switch constraint.kind {
            case .unique: uniques.append(UniqueDefinition(name: constraint.name, columns: constraint.columns))
            case .check(let condition):
                checks.append(CheckDefinition(constraint.name, try Self.inlined(condition.unqualified, dialect)))
            case .index: continue
            }
        }
        let indexes = try createIndexes(T.self).map { index in
            IndexDefinition(
                index.name,
                columns: index.columns
                    + (try index.expressions.map { "(" + (try Self.inlined($0.unqualified, dialect)) + ")" }),
                isUnique: index.isUnique,
                predicate: try index.predicate.map { try Self.inlined($0.unqualified, dialect) },
                method: IndexMethod.written(index.method, for: dialect)
            )
        }
        let foreignKeys = schema.columns.compactMap { column -> ForeignKeyDefinition? in
            guard let foreignKey = column.foreignKey else { return nil }
            let target = foreignKey.target
            return ForeignKeyDefinition(
                columns: [column.name],
                references: target.table,
                schema: target.schema,
                columns: [target.column],
                onDelete: foreignKey.onDelete,
                onUpdate: foreignKey.onUpdate
            )
        }
        self.init(
            schema.name,
            schema: schema.schemaName,
            columns: columns,
            primaryKey: schema.primaryKeyNames,
            uniqueConstraints: uniques,
            indexes: indexes,
            foreignKeys: foreignKeys,
            checks: checks
        )
    }

    /// `node` as SQL text with its values written as literals.
    static func inlined(_ node: SQLNode, _ dialect: Dialect) throws -> String {
        var builder = SQLBuilder(dialect: dialect)
        try builder.appendInlined(node)
        return builder.sql
    }
}
