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
        builder.appendIdentifier(schema.name)
        builder.append(" (")
        let composite = schema.primaryKeyIndexes.count > 1
        builder.appendList(schema.columns) { b, column in
            b.appendIdentifier(column.name)
            b.append(" ")
            b.append(b.dialect.typeName(for: column))
            if column.isPrimaryKey && !composite {
                b.append(b.dialect.primaryKeySuffix(for: column))
            } else if !column.isNullable || column.isPrimaryKey {
                b.append(" NOT NULL")
            }
            if column.isUnique { b.append(" UNIQUE") }
            if let value = column.defaultValue {
                b.append(" DEFAULT ")
                b.append(b.dialect.literal(value))
            }
            if let foreignKey = column.foreignKey {
                let target = foreignKey.target
                b.append(" REFERENCES ")
                b.appendIdentifier(target.table)
                b.append(" (")
                b.appendIdentifier(target.column)
                b.append(")")
                if let action = foreignKey.onDelete { b.append(" ON DELETE \(action.sql)") }
            }
        }
        if composite {
            builder.append(", PRIMARY KEY (")
            builder.appendList(schema.primaryKeyNames) { $0.appendIdentifier($1) }
            builder.append(")")
        }
        builder.append(")")
    }
}

/// `CREATE TABLE [IF NOT EXISTS]` for `table`.
public func createTable<T: Table>(_ table: T.Type, ifNotExists: Bool = false) -> CreateTable<T> {
    CreateTable(ifNotExists: ifNotExists)
}

/// `CREATE INDEX` for one column.
public struct CreateIndex: Statement {
    let table: String
    let column: String
    let ifNotExists: Bool

    /// The index name: `ix_<table>_<column>`, as SQLAlchemy names them.
    public var name: String { "ix_\(self.table)_\(self.column)" }

    public var kind: StatementKind { .schema }

    public func compile(into builder: inout SQLBuilder) throws {
        builder.append(self.ifNotExists ? "CREATE INDEX IF NOT EXISTS " : "CREATE INDEX ")
        builder.appendIdentifier(self.name)
        builder.append(" ON ")
        builder.appendIdentifier(self.table)
        builder.append(" (")
        builder.appendIdentifier(self.column)
        builder.append(")")
    }
}

/// One `CREATE INDEX` per `.indexed` column of `table`.
public func createIndexes<T: Table>(_ table: T.Type, ifNotExists: Bool = false) -> [CreateIndex] {
    T.schema.columns.filter(\.isIndexed).map {
        CreateIndex(table: T.schema.name, column: $0.name, ifNotExists: ifNotExists)
    }
}

/// `DROP TABLE [IF EXISTS]`.
public struct DropTable: Statement {
    let table: String
    let ifExists: Bool

    /// `DROP TABLE [IF EXISTS] table`.
    public init(table: String, ifExists: Bool) {
        self.table = table
        self.ifExists = ifExists
    }

    public var kind: StatementKind { .schema }

    public func compile(into builder: inout SQLBuilder) throws {
        builder.append(self.ifExists ? "DROP TABLE IF EXISTS " : "DROP TABLE ")
        builder.appendIdentifier(self.table)
    }
}

/// `DROP TABLE [IF EXISTS]` for `table`.
public func dropTable<T: Table>(_ table: T.Type, ifExists: Bool = false) -> DropTable {
    DropTable(table: T.schema.name, ifExists: ifExists)
}
