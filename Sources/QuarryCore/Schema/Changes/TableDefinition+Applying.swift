extension TableDefinition {
    /// This table after `change`, as the database will have it — what SQLite's rebuild creates.
    /// Dropping a column drops the indexes, constraints and checks that involve it, as
    /// PostgreSQL does.
    ///
    /// ```swift
    /// let after = try before.applying(.dropColumn("users", nickname))
    /// ```
    /// - Throws: `CompileError` (`.unknownColumn`) when the change names a column, constraint or
    ///   index the table does not have.
    public func applying(_ change: SchemaChange) throws -> TableDefinition {
        var table = self
        switch change {
        case .createTable(let created): return created
        case .renameTable(_, let to): table.name = to
        case .addColumn(_, let column):
            guard self.column(named: column.name) == nil else {
                throw self.problem("already has a column \(column.name)")
            }
            table.columns.append(column)
        case .dropColumn(_, let column):
            try self.requireColumn(column.name)
            table.columns.removeAll { $0.name == column.name }
            table.primaryKey.removeAll { $0 == column.name }
            table.uniqueConstraints.removeAll { $0.columns.contains(column.name) }
            table.indexes.removeAll { index in index.columns.contains { Self.mentions($0, column.name) } }
            table.foreignKeys.removeAll { $0.columns.contains(column.name) }
            table.checks.removeAll { Self.mentions($0.expression, column.name) }
        case .renameColumn(_, let from, let to):
            try self.requireColumn(from)
            func renamed(_ name: String) -> String { name == from ? to : name }
            for i in table.columns.indices where table.columns[i].name == from { table.columns[i].name = to }
            table.primaryKey = table.primaryKey.map(renamed)
            for i in table.uniqueConstraints.indices {
                table.uniqueConstraints[i].columns = table.uniqueConstraints[i].columns.map(renamed)
            }
            for i in table.indexes.indices { table.indexes[i].columns = table.indexes[i].columns.map(renamed) }
            for i in table.foreignKeys.indices {
                table.foreignKeys[i].columns = table.foreignKeys[i].columns.map(renamed)
            }
        case .alterColumn(_, let from, let to):
            guard let i = table.columns.firstIndex(where: { $0.name == from.name }) else {
                throw self.problem("has no column \(from.name)")
            }
            table.columns[i] = to
        case .createIndex(_, let index):
            guard !self.indexes.contains(where: { $0.name == index.name }) else {
                throw self.problem("already has an index \(index.name)")
            }
            table.indexes.append(index)
        case .dropIndex(_, let index):
            guard self.indexes.contains(where: { $0.name == index.name }) else {
                throw self.problem("has no index \(index.name)")
            }
            table.indexes.removeAll { $0.name == index.name }
        case .addUnique(_, let unique):
            try unique.columns.forEach(self.requireColumn)
            table.uniqueConstraints.append(unique)
        case .dropUnique(_, let unique):
            guard self.uniqueConstraints.contains(where: { $0.columns == unique.columns }) else {
                throw self.problem("has no unique constraint on \(unique.columns.joined(separator: ", "))")
            }
            table.uniqueConstraints.removeAll { $0.columns == unique.columns }
        case .addForeignKey(_, let key):
            try key.columns.forEach(self.requireColumn)
            table.foreignKeys.append(key)
        case .dropForeignKey(_, let key):
            guard self.foreignKeys.contains(where: { $0.sameReference(as: key) }) else {
                throw self.problem("has no foreign key on \(key.columns.joined(separator: ", "))")
            }
            table.foreignKeys.removeAll { $0.sameReference(as: key) }
        case .addCheck(_, let check): table.checks.append(check)
        case .dropCheck(_, let check):
            guard self.checks.contains(where: { $0.name == check.name }) else {
                throw self.problem("has no check \(check.name)")
            }
            table.checks.removeAll { $0.name == check.name }
        case .dropTable, .sql: break
        }
        return table
    }

    private func requireColumn(_ name: String) throws {
        guard self.column(named: name) != nil else { throw self.problem("has no column \(name)") }
    }

    private func problem(_ text: String) -> CompileError {
        CompileError(.unknownColumn, "table \(self.qualifiedName) \(text)")
    }

    /// `true` when the SQL text `expression` names `column` as a word (quoted or not).
    static func mentions(_ expression: String, _ column: String) -> Bool {
        if expression == column { return true }
        let words = expression.split { !($0.isLetter || $0.isNumber || $0 == "_") }
        return words.contains { $0 == column[...] }
    }
}

extension ForeignKeyDefinition {
    /// `true` when both keys link the same columns to the same columns of the same table.
    func sameReference(as other: ForeignKeyDefinition) -> Bool {
        self.columns == other.columns && self.referencedTable == other.referencedTable
            && self.referencedColumns == other.referencedColumns
    }
}
