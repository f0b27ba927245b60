import QuarryCore
@_spi(Locking) public import QuarryEngine
import Synchronization

extension Session {
    /// Flushes queued writes and commits the session's transaction, then returns its connection to
    /// the pool. The identity map is emptied (SQLAlchemy's `expire_on_commit`). With no
    /// transaction open it only flushes... which begins and commits one if anything was queued.
    ///
    /// ```swift
    /// session.add(user)
    /// try await session.commit()
    /// ```
    /// - Throws: `DatabaseError`: from the flush (the transaction is then marked
    ///   failed: call ``rollback()``) or from `COMMIT` (the transaction was rolled back).
    public func commit() async throws {
        try self.checkOpen()
        try await self.flush(beforeCommit: true)
        if case .failed(_, let reason) = self.state.withLockedValue({ $0.transaction }) {
            throw Self.failedError(reason)
        }
        guard let connection = await self.takeTransaction() else { return }
        defer { self.state.withLockedValue { $0.identityMap.removeAll() } }
        do {
            try await connection.commit()
        } catch {
            await connection.release()
            throw error
        }
        await connection.release()
    }

    /// Discards queued writes, rolls back the transaction (if any) and returns its connection.
    /// Never throws; the session is usable again afterwards.
    ///
    /// ```swift
    /// do { try await session.flush() } catch { await session.rollback() }
    /// ```
    public func rollback() async {
        await Self.release(self.state.withLockedValue { $0.rollBack() })
    }

    /// Rolls back whatever is uncommitted and closes the session; later statements throw
    /// `closed`. Safe to call more than once.
    public func close() async {
        // One look under the lock, and no suspension for a session that holds no transaction
        // (a request that only read).
        let transaction = self.state.withLockedValue { state in
            state.isClosed = true
            return state.rollBack()
        }
        await Self.release(transaction)
    }

    /// Runs `body` in a transaction: queued writes are flushed and committed when it returns, and
    /// everything is rolled back when it throws. Inside an open transaction it is a savepoint.
    /// With `retries`, a transaction that fails transiently (a serialization failure, a deadlock,
    /// a pool timeout) is run again from the start, up to `retries` more times.
    ///
    /// A `readOnly` transaction reads one consistent snapshot without taking SQLite's write lock
    /// (`READ ONLY` on PostgreSQL; pair it with `.repeatableRead` for one snapshot there).
    ///
    /// ```swift
    /// try await session.withTransaction(isolation: .repeatableRead, readOnly: true) {
    ///     let (a, b) = try await session.gather(q1.all(), q2.all())   // one snapshot
    /// }
    /// ```
    /// - Throws: What `body` throws (after the rollback), or `DatabaseError`.
    @discardableResult
    public func withTransaction<R>(
        isolation: IsolationLevel? = nil,
        readOnly: Bool = false,
        retries: Int = 0,
        _ body: () async throws -> R
    ) async throws -> R {
        // A retry reruns the whole transaction, so only an outermost one retries.
        try await TransactionRetry.run(retries: self.isInTransaction ? 0 : retries) {
            try await self.runTransaction(isolation: isolation, readOnly: readOnly, body)
        }
    }

    /// The earlier spelling of ``withTransaction(isolation:readOnly:retries:_:)``.
    @available(*, deprecated, renamed: "withTransaction(isolation:readOnly:retries:_:)")
    @discardableResult
    public func transaction<R>(
        isolation: IsolationLevel? = nil,
        readOnly: Bool = false,
        _ body: () async throws -> R
    ) async throws -> R {
        try await self.withTransaction(isolation: isolation, readOnly: readOnly, body)
    }

    /// The earlier spelling of ``withSavepoint(_:)``.
    @available(*, deprecated, renamed: "withSavepoint(_:)")
    @discardableResult
    public func savepoint<R>(_ body: () async throws -> R) async throws -> R {
        try await self.withSavepoint(body)
    }

    private func runTransaction<R>(
        isolation: IsolationLevel?,
        readOnly: Bool,
        _ body: () async throws -> R
    ) async throws -> R {
        try self.checkOpen()
        if self.isInTransaction { return try await self.withSavepoint(body) }
        try await self.flush()
        _ = try await self.transactionConnection(isolation: isolation, readOnly: readOnly)
        let result: R
        do {
            result = try await body()
        } catch {
            await self.rollback()
            throw error
        }
        do {
            try await self.commit()
        } catch {
            await self.rollback()
            throw error
        }
        return result
    }

    /// Runs `body` inside a savepoint (SQLAlchemy's `begin_nested`), beginning a transaction when
    /// none is open: its writes are kept when it returns and undone when it throws, while the
    /// outer transaction goes on, usable again even after a failed write.
    ///
    /// ```swift
    /// try? await session.withSavepoint { try await session.insert(&maybeDuplicate) }
    /// ```
    /// - Throws: What `body` throws (after rolling back to the savepoint), or `DatabaseError`.
    @discardableResult
    public func withSavepoint<R>(_ body: () async throws -> R) async throws -> R {
        try self.checkOpen()
        try await self.flush()
        let connection = try await self.transactionConnection()
        let name = self.state.withLockedValue { state in
            state.savepointCounter += 1
            return "quarry_sp_\(state.savepointCounter)"
        }
        try await connection.savepoint(name)
        do {
            let result = try await body()
            try await self.flush()
            try await connection.releaseSavepoint(name)
            return result
        } catch {
            await connection.rollbackToSavepoint(name)
            self.state.withLockedValue { state in
                state.pending.removeAll()
                // Values loaded inside the savepoint may have been undone.
                state.identityMap.removeAll()
                if case .failed(let failed, _) = state.transaction, failed === connection {
                    state.transaction = .active(connection)
                }
            }
            throw error
        }
    }
}

extension Engine {
    /// Runs `body` with a new ``Session`` and closes it afterwards, rolling back anything not
    /// committed (SQLAlchemy's `async with async_session() as session`).
    ///
    /// ```swift
    /// let user = try await engine.withSession { session in
    ///     try await session.get(User.self, id: 42)
    /// }
    /// ```
    /// - Throws: What `body` throws.
    public func withSession<R>(
        configuration: SessionConfiguration = .init(),
        _ body: (Session) async throws -> R
    ) async throws -> R {
        let session = Session(self, configuration: configuration)
        do {
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }
}
