extension SchemaChange {
    /// The statements that make this change in place in `dialect`, or `nil` when SQLite cannot
    /// and the table must be rebuilt (`Connection.apply(_:)` does that; so does
    /// ``TableDefinition/rebuildSQL(from:for:renamedColumns:)``).
    ///
    /// ```swift
    /// SchemaChange.renameColumn("users", from: "mail", to: "email").sql(for: .sqlite)
    /// // ["ALTER TABLE \"users\" RENAME COLUMN \"mail\" TO \"email\""]
    /// ```
    public func sql(for dialect: Dialect) -> [String]? {
        let sqlite = dialect == .sqlite
        switch self {
        case .createTable(let table): return table.createSQL(for: dialect)
        case .dropTable(let table): return ["DROP TABLE \(DDL.table(table.name, table.schema))"]
        case .renameTable(let from, let to): return ["ALTER TABLE \(DDL.quote(from)) RENAME TO \(DDL.quote(to))"]
        case .addColumn(let table, let column):
            if sqlite && !DDL.sqliteCanAdd(column) { return nil }
            return ["ALTER TABLE \(DDL.quote(table)) ADD COLUMN \(DDL.column(column, dialect, inlineKey: false))"]
        case .dropColumn(let table, let column):
            if sqlite { return nil }
            return ["ALTER TABLE \(DDL.quote(table)) DROP COLUMN \(DDL.quote(column.name))"]
        case .renameColumn(let table, let from, let to):
            return ["ALTER TABLE \(DDL.quote(table)) RENAME COLUMN \(DDL.quote(from)) TO \(DDL.quote(to))"]
        case .alterColumn(let table, let from, let to):
            if sqlite { return nil }
            return DDL.alterColumnSQL(table, from, to)
        case .createIndex(let table, let index): return [DDL.createIndex(index, on: table, schema: nil, dialect)]
        case .dropIndex(_, let index): return ["DROP INDEX \(DDL.quote(index.name))"]
        case .addUnique(let table, let unique):
            if sqlite { return nil }
            return ["ALTER TABLE \(DDL.quote(table)) ADD \(DDL.unique(unique, table: table))"]
        case .dropUnique(let table, let unique):
            if sqlite { return nil }
            let name = unique.name ?? DDL.defaultName(table, unique.columns, "key")
            return ["ALTER TABLE \(DDL.quote(table)) DROP CONSTRAINT \(DDL.quote(name))"]
        case .addForeignKey(let table, let key):
            if sqlite { return nil }
            return ["ALTER TABLE \(DDL.quote(table)) ADD \(DDL.foreignKey(key, table: table))"]
        case .dropForeignKey(let table, let key):
            if sqlite { return nil }
            let name = key.name ?? DDL.defaultName(table, key.columns, "fkey")
            return ["ALTER TABLE \(DDL.quote(table)) DROP CONSTRAINT \(DDL.quote(name))"]
        case .addCheck(let table, let check):
            if sqlite { return nil }
            return ["ALTER TABLE \(DDL.quote(table)) ADD \(DDL.check(check))"]
        case .dropCheck(let table, let check):
            if sqlite { return nil }
            return ["ALTER TABLE \(DDL.quote(table)) DROP CONSTRAINT \(DDL.quote(check.name))"]
        case .sql(let sql, _): return [sql]
        }
    }
}

extension TableDefinition {
    /// `CREATE TABLE` with every column and constraint, then one `CREATE INDEX` per index.
    ///
    /// ```swift
    /// try TableDefinition(User.self, for: .sqlite).createSQL(for: .sqlite)
    /// ```
    public func createSQL(for dialect: Dialect) -> [String] {
        [self.createTableSQL(named: self.name, for: dialect)]
            + self.indexes.map { DDL.createIndex($0, on: self.name, schema: self.schema, dialect) }
    }

    func createTableSQL(named name: String, for dialect: Dialect) -> String {
        let inlineKey =
            dialect == .sqlite && self.primaryKey.count == 1
            && self.column(named: self.primaryKey[0])?.isIdentity == true
        var parts = self.columns.map { column in
            DDL.column(column, dialect, inlineKey: inlineKey && column.name == self.primaryKey[0])
        }
        if !self.primaryKey.isEmpty && !inlineKey {
            parts.append("PRIMARY KEY (\(DDL.list(self.primaryKey)))")
        }
        // Unnamed constraints get PostgreSQL's names on both backends, so later steps can name them.
        parts += self.uniqueConstraints.map { DDL.unique($0, table: self.name) }
        parts += self.foreignKeys.map { DDL.foreignKey($0, table: self.name) }
        parts += self.checks.map { DDL.check($0) }
        return "CREATE TABLE \(DDL.table(name, self.schema)) (\(parts.joined(separator: ", ")))"
    }

    /// SQLite's table rebuild from `old` to this definition (same name): create the new table
    /// under a temporary name, copy the columns both share, drop the old one, rename, recreate
    /// indexes. The caller runs it in a transaction with foreign keys off, recreates triggers and
    /// views, and runs `PRAGMA foreign_key_check` before committing.
    ///
    /// `renamedColumns` maps new column names to old ones, for a copy across a rename.
    public func rebuildSQL(
        from old: TableDefinition,
        for dialect: Dialect,
        renamedColumns: [String: String] = [:]
    )
        -> [String]
    {
        let temporary = "_quarry_new_\(self.name)"
        // A generated column is computed again in the new table, never copied into it.
        let shared = self.columns.compactMap { column -> (String, String)? in
            guard column.generated == nil else { return nil }
            let source = renamedColumns[column.name] ?? column.name
            return old.column(named: source) == nil ? nil : (column.name, source)
        }
        let copy =
            "INSERT INTO \(DDL.quote(temporary)) (\(DDL.list(shared.map(\.0)))) SELECT \(DDL.list(shared.map(\.1))) FROM \(DDL.quote(old.name))"
        return [self.createTableSQL(named: temporary, for: dialect)]
            + (shared.isEmpty ? [] : [copy])
            + [
                "DROP TABLE \(DDL.quote(old.name))",
                "ALTER TABLE \(DDL.quote(temporary)) RENAME TO \(DDL.quote(self.name))",
            ]
            + self.indexes.map { DDL.createIndex($0, on: self.name, schema: self.schema, dialect) }
    }
}

/// The pieces of DDL text the schema changes share.
enum DDL {
    static func quote(_ name: String) -> String { Dialect.sqlite.quote(name) }

    static func table(_ name: String, _ schema: String?) -> String {
        schema.map { "\(quote($0)).\(quote(name))" } ?? quote(name)
    }

    static func list(_ names: [String]) -> String { names.map(quote).joined(separator: ", ") }

    /// An index entry: a column name quoted, an expression (`lower(email)`) as written.
    static func indexEntry(_ entry: String) -> String { entry.contains("(") ? entry : quote(entry) }

    /// PostgreSQL's own name for an unnamed constraint (`posts_user_id_fkey`, `users_email_key`),
    /// so a constraint made by `createAll`'s column clauses and one made by a step have one name.
    static func defaultName(_ table: String, _ columns: [String], _ suffix: String) -> String {
        ([table] + columns + [suffix]).joined(separator: "_")
    }

    static func column(_ column: ColumnDefinition, _ dialect: Dialect, inlineKey: Bool) -> String {
        var sql = "\(quote(column.name)) \(dialect.typeName(for: column.type))"
        if let expression = column.generated { sql += " GENERATED ALWAYS AS (\(expression)) STORED" }
        if inlineKey {
            sql += " PRIMARY KEY AUTOINCREMENT"
        } else if column.isIdentity && dialect == .postgresql {
            sql += " GENERATED BY DEFAULT AS IDENTITY"
        }
        if !column.isNullable && !inlineKey { sql += " NOT NULL" }
        if let value = column.defaultValue { sql += " DEFAULT \(value.sql(for: dialect))" }
        return sql
    }

    /// SQLite adds a column in place unless it is a key, is generated and stored, has no usable
    /// default for existing rows, or has a default that is not a constant.
    static func sqliteCanAdd(_ column: ColumnDefinition) -> Bool {
        guard !column.isIdentity, column.generated == nil else { return false }
        switch column.defaultValue {
        case .literal: return true
        case .currentTimestamp, .expression: return false
        case nil: return column.isNullable
        }
    }

    static func unique(_ unique: UniqueDefinition, table: String?) -> String {
        let name = unique.name ?? table.map { defaultName($0, unique.columns, "key") }
        return (name.map { "CONSTRAINT \(quote($0)) " } ?? "") + "UNIQUE (\(list(unique.columns)))"
    }

    static func foreignKey(_ key: ForeignKeyDefinition, table: String?) -> String {
        let name = key.name ?? table.map { defaultName($0, key.columns, "fkey") }
        var sql = (name.map { "CONSTRAINT \(quote($0)) " } ?? "")
        sql += "FOREIGN KEY (\(list(key.columns))) REFERENCES \(self.table(key.referencedTable, key.referencedSchema))"
        sql += " (\(list(key.referencedColumns)))"
        if let action = key.onDelete { sql += " ON DELETE \(action.sql)" }
        if let action = key.onUpdate { sql += " ON UPDATE \(action.sql)" }
        return sql
    }

    static func check(_ check: CheckDefinition) -> String {
        "CONSTRAINT \(quote(check.name)) CHECK (\(check.expression))"
    }

    static func createIndex(_ index: IndexDefinition, on table: String, schema: String?, _ dialect: Dialect) -> String {
        var sql = index.isUnique ? "CREATE UNIQUE INDEX " : "CREATE INDEX "
        sql += "\(quote(index.name)) ON \(self.table(table, schema)) "
        if let method = IndexMethod.written(index.method, for: dialect) { sql += "USING \(quote(method.name)) " }
        sql += "("
        sql += index.columns.map(indexEntry).joined(separator: ", ") + ")"
        if let predicate = index.predicate { sql += " WHERE \(predicate)" }
        return sql
    }

    /// PostgreSQL's `ALTER COLUMN` clauses for what differs between `from` and `to`.
    static func alterColumnSQL(_ table: String, _ from: ColumnDefinition, _ to: ColumnDefinition) -> [String] {
        let prefix = "ALTER TABLE \(quote(table)) ALTER COLUMN \(quote(to.name))"
        var statements: [String] = []
        let fromType = Dialect.postgresql.typeName(for: from.type)
        let toType = Dialect.postgresql.typeName(for: to.type)
        if fromType != toType {
            statements.append("\(prefix) TYPE \(toType) USING \(quote(to.name))::\(toType)")
        }
        if from.isNullable != to.isNullable {
            statements.append("\(prefix) \(to.isNullable ? "DROP" : "SET") NOT NULL")
        }
        if from.defaultValue != to.defaultValue {
            statements.append(
                to.defaultValue.map { "\(prefix) SET DEFAULT \($0.sql(for: .postgresql))" } ?? "\(prefix) DROP DEFAULT"
            )
        }
        if from.isIdentity != to.isIdentity {
            statements.append("\(prefix) \(to.isIdentity ? "ADD GENERATED BY DEFAULT AS IDENTITY" : "DROP IDENTITY")")
        }
        if from.generated != to.generated {
            // SET EXPRESSION needs PostgreSQL 17; on an older server the step fails as a whole.
            statements.append(
                to.generated.map { "\(prefix) SET EXPRESSION AS (\($0))" } ?? "\(prefix) DROP EXPRESSION"
            )
        }
        return statements
    }
}
