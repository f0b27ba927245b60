/// `CREATE TABLE` for a model, with its keys, foreign keys, unique constraints and defaults.
/// Indexes of `.indexed` columns are separate statements: see ``createIndexes(_:ifNotExists:)``.
///
/// ```swift
/// try await engine.execute(createTable(User.self, ifNotExists: true))
/// ```
public struct CreateTable<T: Table>: Statement {
    let ifNotExists: Bool

    public var kind: StatementKind { .schema }

    public func compile(into builder: inout SQLBuilder) throws {
        let schema = T.schema
        builder.append(self.ifNotExists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ")
        builder.appendTable(schema.name, schema: schema.schemaName)
        builder.append(" (")
        let composite = schema.primaryKeyIndexes.count > 1
        builder.appendList(schema.columns) { b, column in
            b.appendIdentifier(column.name)
            b.append(" ")
            b.append(b.dialect.typeName(for: column))
            if let sql = column.generatedSQL { b.append(" GENERATED ALWAYS AS (\(sql)) STORED") }
            if column.isPrimaryKey && !composite {
                b.append(b.dialect.primaryKeySuffix(for: column))
            } else if !column.isNullable || column.isPrimaryKey {
                b.append(" NOT NULL")
            }
            if column.isUnique { b.append(" UNIQUE") }
            if let value = column.defaultValue {
                b.append(" DEFAULT ")
                b.append(b.dialect.literal(value))
            } else if column.defaultsToNow {
                b.append(" DEFAULT CURRENT_TIMESTAMP")
            } else if let sql = column.defaultSQL {
                b.append(" DEFAULT \(sql)")
            }
            if let foreignKey = column.foreignKey {
                let target = foreignKey.target
                b.append(" REFERENCES ")
                b.appendTable(target.table, schema: target.schema)
                b.append(" (")
                b.appendIdentifier(target.column)
                b.append(")")
                if let action = foreignKey.onDelete { b.append(" ON DELETE \(action.sql)") }
                if let action = foreignKey.onUpdate { b.append(" ON UPDATE \(action.sql)") }
            }
        }
        if composite {
            builder.append(", PRIMARY KEY (")
            builder.appendList(schema.primaryKeyNames) { $0.appendIdentifier($1) }
            builder.append(")")
        }
        for constraint in tableConstraints(T.self) {
            if let problem = constraint.problem { throw CompileError(.unknownColumn, problem) }
            switch constraint.kind {
            case .unique:
                builder.append(", CONSTRAINT ")
                builder.appendIdentifier(constraint.name)
                builder.append(" UNIQUE (")
                builder.appendList(constraint.columns) { $0.appendIdentifier($1) }
                builder.append(")")
            case .check(let condition):
                builder.append(", CONSTRAINT ")
                builder.appendIdentifier(constraint.name)
                builder.append(" CHECK (")
                try builder.appendInlined(condition.unqualified)
                builder.append(")")
            case .index:
                continue  // its own statement: createIndexes
            }
        }
        builder.append(")")
    }
}

/// `CREATE TABLE [IF NOT EXISTS]` for `table`.
public func createTable<T: Table>(_ table: T.Type, ifNotExists: Bool = false) -> CreateTable<T> {
    CreateTable(ifNotExists: ifNotExists)
}

/// `CREATE [UNIQUE] INDEX` on one or more columns, optionally partial.
public struct CreateIndex: Statement {
    let table: String
    let schema: String?
    let columns: [String]
    /// Indexed expressions, after the columns (an expression index).
    var expressions: [SQLNode] = []
    let ifNotExists: Bool
    let isUnique: Bool
    let predicate: SQLNode?
    /// The index name: `ix_<table>_<columns>` (SQLAlchemy's convention) unless one was given.
    public let name: String

    init(
        table: String,
        schema: String? = nil,
        columns: [String],
        ifNotExists: Bool,
        isUnique: Bool = false,
        predicate: SQLNode? = nil,
        name: String? = nil
    ) {
        self.table = table
        self.schema = schema
        self.columns = columns
        self.ifNotExists = ifNotExists
        self.isUnique = isUnique
        self.predicate = predicate
        self.name = name ?? (["ix", table] + columns).joined(separator: "_")
    }

    public var kind: StatementKind { .schema }

    public func compile(into builder: inout SQLBuilder) throws {
        builder.append(self.isUnique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ")
        if self.ifNotExists { builder.append("IF NOT EXISTS ") }
        builder.appendIdentifier(self.name)
        builder.append(" ON ")
        builder.appendTable(self.table, schema: self.schema)
        builder.append(" (")
        builder.appendList(self.columns) { $0.appendIdentifier($1) }
        for (i, expression) in self.expressions.enumerated() {
            if i > 0 || !self.columns.isEmpty { builder.append(", ") }
            // An expression is written in parentheses, with its columns unqualified.
            builder.append("(")
            try builder.appendInlined(expression.unqualified)
            builder.append(")")
        }
        builder.append(")")
        if let predicate = self.predicate {
            builder.append(" WHERE ")
            // Qualified column names are not allowed here: the index's own table is implied.
            try builder.appendInlined(predicate.unqualified)
        }
    }
}

/// One `CREATE INDEX` per `.indexed` column of `table`, then the indexes its
/// ``ConstrainedTable/constraints`` declare.
public func createIndexes<T: Table>(_ table: T.Type, ifNotExists: Bool = false) -> [CreateIndex] {
    let single = T.schema.columns.filter(\.isIndexed).map {
        CreateIndex(table: T.schema.name, schema: T.schema.schemaName, columns: [$0.name], ifNotExists: ifNotExists)
    }
    let declared = tableConstraints(T.self).compactMap { constraint -> CreateIndex? in
        guard case .index(let isUnique, let predicate) = constraint.kind else { return nil }
        var index = CreateIndex(
            table: T.schema.name,
            schema: T.schema.schemaName,
            columns: constraint.columns,
            ifNotExists: ifNotExists,
            isUnique: isUnique,
            predicate: predicate,
            name: constraint.name
        )
        index.expressions = constraint.expressions
        return index
    }
    return single + declared
}

/// `DROP TABLE [IF EXISTS]`.
public struct DropTable: Statement {
    let table: String
    let schema: String?
    let ifExists: Bool

    /// `DROP TABLE [IF EXISTS] [schema.]table`.
    public init(table: String, schema: String? = nil, ifExists: Bool) {
        self.table = table
        self.schema = schema
        self.ifExists = ifExists
    }

    public var kind: StatementKind { .schema }

    public func compile(into builder: inout SQLBuilder) throws {
        builder.append(self.ifExists ? "DROP TABLE IF EXISTS " : "DROP TABLE ")
        builder.appendTable(self.table, schema: self.schema)
    }
}

/// `DROP TABLE [IF EXISTS]` for `table`.
public func dropTable<T: Table>(_ table: T.Type, ifExists: Bool = false) -> DropTable {
    DropTable(table: T.schema.name, schema: T.schema.schemaName, ifExists: ifExists)
}
