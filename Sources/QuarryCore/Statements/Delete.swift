/// A `DELETE` from one table.
///
/// ```swift
/// try await engine.execute(delete(from: Post.self).where(\.userId == 7))
/// try await engine.execute(delete(post))                   // by primary key
/// ```
public struct Delete<T: Table>: Statement {
    var predicate: SQLNode?
    var returningColumns: [SQLNode] = []
    /// Other tables the condition reads (`DELETE … USING`).
    var sources: [(name: String, schema: String?)] = []

    public func compile(into builder: inout SQLBuilder) throws {
        builder.sensitiveColumns.formUnion(T.schema.sensitiveColumnNames)
        builder.append("DELETE FROM ")
        builder.appendTable(T.schema.name, schema: T.schema.schemaName)
        if self.sources.isEmpty || builder.dialect == .postgresql {
            if !self.sources.isEmpty {
                builder.append(" USING ")
                builder.appendList(self.sources) { $0.appendTable($1.name, schema: $1.schema) }
            }
            if let predicate = self.predicate {
                builder.append(" WHERE ")
                try builder.append(predicate)
            }
        } else {
            // SQLite has no DELETE … USING: the rows some row of the other tables joins to, as
            // a correlated EXISTS — the same rows.
            builder.append(" WHERE EXISTS (SELECT 1 FROM ")
            builder.appendList(self.sources) { $0.appendTable($1.name, schema: $1.schema) }
            if let predicate = self.predicate {
                builder.append(" WHERE ")
                try builder.append(predicate)
            }
            builder.append(")")
        }
        appendReturning(
            self.returningColumns,
            into: &builder,
            qualifiedBy: self.sources.isEmpty ? nil : T.schema.name
        )
    }

    /// `DELETE … USING other`: deletes the rows that the condition joins to some row of `other`
    /// (on SQLite, which has no `USING`, as `WHERE EXISTS (SELECT 1 FROM other WHERE …)`).
    ///
    /// ```swift
    /// delete(from: Post.self).using(User.self)
    ///     .where(Post.Columns.userId == User.Columns.id && User.Columns.name == "spam")
    /// ```
    public func using<U: Table>(_ other: U.Type) -> Delete {
        var copy = self
        copy.sources.append((U.schema.name, U.schema.schemaName))
        return copy
    }

    /// Adds a `WHERE` condition.
    public func `where`(_ predicate: SQLExpression<Bool>) -> Delete {
        var copy = self
        copy.predicate = copy.predicate.map { .binary($0, .and, predicate.sqlNode) } ?? predicate.sqlNode
        return copy
    }

    /// Adds a `WHERE` condition written with key paths.
    public func `where`(_ predicate: TablePredicate<T>) -> Delete { self.where(predicate.expression) }

    /// Adds `RETURNING` and decodes the deleted rows.
    public func returning() -> Returning<Delete<T>, T> {
        var copy = self
        copy.returningColumns = modelColumns(T.self)
        return Returning(base: copy) { try T(row: $0) }
    }
}

/// `DELETE FROM table`: every row unless followed by `where`.
public func delete<T: Table>(from table: T.Type) -> Delete<T> { Delete() }

/// `DELETE` one row by its primary key.
public func delete<T: Table>(_ row: T) -> Delete<T> { Delete(predicate: primaryKeyPredicate(of: row)) }
