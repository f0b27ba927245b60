import QuarryCore

extension Engine {
    /// Runs `body` in a transaction made for schema changes: on SQLite, on a connection with
    /// foreign-key enforcement off (so a table rebuild neither cascades nor fails half-way), and
    /// `PRAGMA foreign_key_check` must come back clean before the commit; enforcement is back on
    /// before the connection returns to the pool. On PostgreSQL it is a plain transaction (DDL is
    /// transactional there). Migrations run each step this way.
    ///
    /// ```swift
    /// try await engine.withSchemaTransaction { tx in
    ///     try await tx.apply(.addCheck("posts", CheckDefinition("title_not_empty", "length(title) > 0")))
    /// }
    /// ```
    /// - Throws: What `body` throws; `DatabaseError` `foreignKeyViolation` naming the first
    ///   violating table when rows break a foreign key after the changes (nothing is committed).
    @discardableResult
    public func withSchemaTransaction<R>(retries: Int = 0, _ body: (Connection) async throws -> R) async throws -> R {
        guard self.dialect == .sqlite else { return try await self.withTransaction(retries: retries, body) }
        return try await TransactionRetry.run(retries: retries) {
            try await self.withConnection { connection in
                try await connection.execute(SQL(unsafeRaw: "PRAGMA foreign_keys = OFF"))
                do {
                    let result = try await connection.withTransaction { tx in
                        let result = try await body(tx)
                        let violations = try await tx.all(
                            SQL("SELECT \"table\" AS t, parent FROM pragma_foreign_key_check")
                        )
                        if let first = violations.first {
                            let table: String = try first.decode(String.self, "t")
                            let parent: String = try first.decode(String.self, "parent")
                            throw DatabaseError(
                                .foreignKeyViolation,
                                message:
                                    "\(violations.count) row(s) of \(table) reference missing rows of \(parent) after the schema change; nothing was applied"
                            )
                        }
                        return result
                    }
                    try await connection.execute(SQL(unsafeRaw: "PRAGMA foreign_keys = ON"))
                    return result
                } catch {
                    _ = try? await connection.execute(SQL(unsafeRaw: "PRAGMA foreign_keys = ON"))
                    throw error
                }
            }
        }
    }
}
