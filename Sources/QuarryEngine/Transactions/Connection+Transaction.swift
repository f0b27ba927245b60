import Logging
import QuarryCore

extension Connection {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. Called
    /// inside a transaction, it opens a savepoint instead.
    ///
    /// ```swift
    /// try await connection.withTransaction(isolation: .serializable) { tx in
    ///     try await tx.execute(update(Account.self).set(\.balance, to: 0).where(\.id == 1))
    /// }
    /// ```
    /// - Parameters:
    ///   - isolation: The isolation level; `nil` uses the database's default.
    ///   - body: The work; it receives this connection.
    /// - Returns: What `body` returns.
    /// - Throws: The error `body` threw, unchanged (after the rollback), or `DatabaseError`
    ///   from `BEGIN`/`COMMIT`. A failed rollback is logged and the connection is discarded.
    @discardableResult
    public func withTransaction<R>(
        isolation: IsolationLevel? = nil,
        _ body: (Connection) async throws -> R
    ) async throws -> R {
        if self.state.transactionDepth > 0 { return try await self.withSavepoint(body) }
        try await self.execute(SQL(unsafeRaw: self.dialect.beginTransactionSQL(isolation)))
        self.state.transactionDepth = 1
        defer { self.state.transactionDepth = 0 }
        let result: R
        do {
            result = try await body(self)
        } catch {
            await self.rollback("ROLLBACK")
            throw error
        }
        do {
            try await self.execute(SQL(unsafeRaw: "COMMIT"))
        } catch {
            // A failed COMMIT leaves PostgreSQL's transaction aborted; end it before reuse.
            await self.rollback("ROLLBACK")
            throw error
        }
        return result
    }

    /// Runs `body` inside a savepoint of the current transaction (SQLAlchemy's `begin_nested`):
    /// released when it returns, rolled back to when it throws, leaving the outer transaction alive.
    ///
    /// ```swift
    /// try? await tx.withSavepoint { sp in try await sp.execute(insert(maybeDuplicate)) }
    /// ```
    /// - Throws: The error `body` threw, unchanged; `DatabaseError` when called outside a
    ///   transaction.
    @discardableResult
    public func withSavepoint<R>(_ body: (Connection) async throws -> R) async throws -> R {
        guard self.state.transactionDepth > 0 else {
            throw DatabaseError(.transactionRequired, message: "withSavepoint needs an enclosing transaction")
        }
        let name = "quarry_sp_\(self.state.transactionDepth)"
        try await self.execute(SQL(unsafeRaw: "SAVEPOINT \(name)"))
        self.state.transactionDepth += 1
        defer { self.state.transactionDepth -= 1 }
        do {
            let result = try await body(self)
            try await self.execute(SQL(unsafeRaw: "RELEASE SAVEPOINT \(name)"))
            return result
        } catch {
            await self.rollback("ROLLBACK TO SAVEPOINT \(name)")
            throw error
        }
    }

    private func rollback(_ sql: String) async {
        let connection = self.driverConnection
        let logger = self.logger
        let succeeded = await StatementRunner.runShieldedFromCancellation(sql, logger: logger) {
            _ = try await connection.run(CompiledStatement(sql: sql, binds: []), logger: logger)
        }
        if !succeeded { self.state.isPoisoned = true }
    }
}

extension Connection {
    /// Runs `body` in a transaction on this connection (a savepoint inside an open one).
    public func atomically<R>(_ body: (any DatabaseExecutor) async throws -> R) async throws -> R {
        try await self.withTransaction { try await body($0) }
    }
}

extension Engine {
    /// Runs `body` in a transaction on one connection.
    public func atomically<R>(_ body: (any DatabaseExecutor) async throws -> R) async throws -> R {
        try await self.withTransaction { try await body($0) }
    }
}
