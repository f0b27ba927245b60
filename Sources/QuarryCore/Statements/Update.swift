/// An `UPDATE` of one table.
///
/// ```swift
/// try await engine.execute(update(User.self).set(\.name, to: "Ada").where(\.id == 1))
/// try await engine.execute(update(user))                    // every column, by primary key
/// ```
public struct Update<T: Table>: Statement {
    var assignments: [(String, SQLNode)] = []
    var predicate: SQLNode?
    var returningColumns: [SQLNode] = []
    /// Other tables the assignments and the condition read (`UPDATE … FROM`).
    var sources: [(name: String, schema: String?)] = []

    public func compile(into builder: inout SQLBuilder) throws {
        guard !self.assignments.isEmpty else {
            throw CompileError(.emptyStatement, "UPDATE of \(T.schema.name) sets no column")
        }
        let sensitive = T.schema.sensitiveColumnNames
        builder.sensitiveColumns.formUnion(sensitive)
        builder.append("UPDATE ")
        builder.appendTable(T.schema.name, schema: T.schema.schemaName)
        builder.append(" SET ")
        try builder.appendList(self.assignments) { b, assignment in
            b.appendIdentifier(assignment.0)
            b.append(" = ")
            try b.append(assignment.1, redacted: sensitive.contains(assignment.0))
        }
        if !self.sources.isEmpty {
            // PostgreSQL and SQLite (3.33+) both read UPDATE … FROM.
            builder.append(" FROM ")
            builder.appendList(self.sources) { $0.appendTable($1.name, schema: $1.schema) }
        }
        if let predicate = self.predicate {
            builder.append(" WHERE ")
            try builder.append(predicate)
        }
        appendReturning(
            self.returningColumns,
            into: &builder,
            qualifiedBy: self.sources.isEmpty ? nil : T.schema.name
        )
    }

    /// `SET column = value`. A key path that is not a stored column (a computed property) makes
    /// the statement fail to compile with `CompileError` `unknownColumn`.
    public func set<V: DatabaseValueConvertible>(_ keyPath: KeyPath<T, V>, to value: V) -> Update {
        self.assigning(keyPath, .bind(value.databaseValue))
    }

    /// `SET column = expression` (for example `\.views` to `T.Columns.views + 1`).
    public func set<V, E: SQLExpressible>(_ keyPath: KeyPath<T, V>, to expression: E) -> Update where E.Value == V {
        self.assigning(keyPath, expression.sqlNode)
    }

    private func assigning(_ keyPath: PartialKeyPath<T>, _ value: SQLNode) -> Update {
        var copy = self
        if let name = T.columnName(for: keyPath) {
            copy.assignments.append((name, value))
        } else {
            copy.assignments.append(("", .invalid(T.notAColumn(keyPath))))
        }
        return copy
    }

    /// `UPDATE … FROM other`: the assignments and the condition may read `other`'s columns, each
    /// row updated from the row of `other` the condition joins it to.
    ///
    /// ```swift
    /// update(Post.self).from(User.self)
    ///     .set(\.title, to: User.Columns.name)
    ///     .where(Post.Columns.userId == User.Columns.id)
    /// ```
    public func from<U: Table>(_ other: U.Type) -> Update {
        var copy = self
        copy.sources.append((U.schema.name, U.schema.schemaName))
        return copy
    }

    /// Adds a `WHERE` condition.
    public func `where`(_ predicate: SQLExpression<Bool>) -> Update {
        var copy = self
        copy.predicate = copy.predicate.map { .binary($0, .and, predicate.sqlNode) } ?? predicate.sqlNode
        return copy
    }

    /// Adds a `WHERE` condition written with key paths.
    public func `where`(_ predicate: TablePredicate<T>) -> Update { self.where(predicate.expression) }

    /// Adds `RETURNING` and decodes the updated rows.
    public func returning() -> Returning<Update<T>, T> {
        var copy = self
        copy.returningColumns = modelColumns(T.self)
        return Returning(base: copy) { try T(row: $0) }
    }
}

/// `UPDATE table`: follow with `set` and `where`.
public func update<T: Table>(_ table: T.Type) -> Update<T> { Update() }

/// `UPDATE` every non-key column of `row`, matched by its primary key.
public func update<T: Table>(_ row: T) -> Update<T> {
    let schema = T.schema
    let values = row.databaseValues
    var statement = Update<T>()
    for (i, column) in schema.columns.enumerated() where !column.isPrimaryKey && column.isUpdatable {
        statement.assignments.append((column.name, .bind(values[i])))
    }
    statement.predicate = primaryKeyPredicate(of: row)
    return statement
}

/// `key = value [AND …]` over every primary-key column of `row`.
func primaryKeyPredicate<T: Table>(of row: T) -> SQLNode {
    let values = row.databaseValues
    return T.primaryKeyNode(table: nil, T.schema.primaryKeyIndexes.map { values[$0] })
}
