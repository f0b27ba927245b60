public import Logging
public import QuarryCore

/// A connection taken out of the engine's pool until ``release()``: what a `Session` (or any
/// code whose connection outlives one closure) holds for a transaction. `Sendable`: concurrent
/// statements on it are serialized by an ``AsyncLock``, so they never interleave on the wire.
///
/// ```swift
/// let connection = try await engine.checkout()
/// try await connection.begin()
/// try await connection.execute(insert(user))
/// try await connection.commit()
/// await connection.release()
/// ```
public final class CheckedOutConnection: Sendable, DatabaseExecutor {
    private struct Flags {
        var transactionDepth = 0
        var isPoisoned = false
        var isReleased = false
    }

    private let lease: ConnectionPool<any DriverConnection, ContinuousClock>.Lease
    private let pool: ConnectionPool<any DriverConnection, ContinuousClock>
    private let runner: StatementRunner
    private let logger: Logger
    private let lock = AsyncLock()
    private let flags = Locked(Flags())

    init(
        lease: ConnectionPool<any DriverConnection, ContinuousClock>.Lease,
        pool: ConnectionPool<any DriverConnection, ContinuousClock>,
        runner: StatementRunner,
        logger: Logger
    ) {
        self.lease = lease
        self.pool = pool
        self.runner = runner
        self.logger = logger
    }

    public var dialect: Dialect { self.runner.dialect }

    /// `true` between ``begin(isolation:readOnly:)`` and ``commit()`` / ``rollback()``.
    public var isInTransaction: Bool { self.flags.withLockedValue { $0.transactionDepth > 0 } }

    /// The driver's id for the connection (in echo logs as `db.connection.id`).
    public var connectionID: Int { self.lease.connection.id }

    public func execute<R>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        reading reader: RowReader<R>
    ) async throws -> R {
        try await self.lock.withLock {
            try self.checkUsable()
            return try await self.runner.execute(
                compiled,
                on: self.lease.connection,
                logger: logger ?? self.logger,
                reader
            )
        }
    }

    /// Starts a transaction (`BEGIN`; on SQLite `BEGIN IMMEDIATE`, which takes the write lock up
    /// front so the transaction cannot fail to upgrade later). A `readOnly` transaction is
    /// `READ ONLY` on PostgreSQL and a deferred `BEGIN` on SQLite, whose snapshot starts at its
    /// first read and never blocks writers.
    /// - Throws: `DatabaseError` from the server, or when a transaction is already open.
    public func begin(isolation: IsolationLevel? = nil, readOnly: Bool = false) async throws {
        guard !self.isInTransaction else {
            throw DatabaseError(.transactionAlreadyOpen, message: "A transaction is already open on this connection")
        }
        try await self.execute(SQL(unsafeRaw: self.dialect.beginTransactionSQL(isolation, readOnly: readOnly)))
        self.flags.withLockedValue { $0.transactionDepth = 1 }
    }

    /// Commits the open transaction.
    /// - Throws: `DatabaseError`; after a failed `COMMIT` the transaction is rolled back.
    public func commit() async throws {
        do {
            try await self.execute(SQL(unsafeRaw: "COMMIT"))
            self.flags.withLockedValue { $0.transactionDepth = 0 }
        } catch {
            await self.rollback()
            throw error
        }
    }

    /// Rolls the open transaction back. Never throws: it runs even when the calling task is
    /// cancelled, and a failed rollback marks the connection to be closed instead of reused.
    public func rollback() async {
        guard self.isInTransaction else { return }
        await self.runDetached("ROLLBACK")
        self.flags.withLockedValue { $0.transactionDepth = 0 }
    }

    /// Opens a savepoint named `name` inside the transaction.
    /// - Throws: `DatabaseError`.
    public func savepoint(_ name: String) async throws {
        try await self.execute(SQL("SAVEPOINT \(identifier: name)"))
        self.flags.withLockedValue { $0.transactionDepth += 1 }
    }

    /// Releases the savepoint `name`, keeping its work in the transaction.
    /// - Throws: `DatabaseError`.
    public func releaseSavepoint(_ name: String) async throws {
        try await self.execute(SQL("RELEASE SAVEPOINT \(identifier: name)"))
        self.flags.withLockedValue { $0.transactionDepth -= 1 }
    }

    /// Undoes the work since the savepoint `name`; the outer transaction stays open.
    public func rollbackToSavepoint(_ name: String) async {
        await self.runDetached(SQL("ROLLBACK TO SAVEPOINT \(identifier: name)"))
        self.flags.withLockedValue { $0.transactionDepth -= 1 }
    }

    /// Rolls back anything still open and returns the connection to the pool (or closes it when
    /// its state is unknown). Calling it again does nothing.
    public func release() async {
        await self.rollback()
        let discard: Bool? = self.flags.withLockedValue { flags in
            if flags.isReleased { return nil }
            flags.isReleased = true
            return flags.isPoisoned
        }
        guard let discard else { return }
        self.pool.release(self.lease, discard: discard || !self.lease.connection.isUsable)
    }

    private func checkUsable() throws {
        let (released, poisoned) = self.flags.withLockedValue { ($0.isReleased, $0.isPoisoned) }
        if released { throw DatabaseError(.closed, message: "The connection was already returned to the pool") }
        if poisoned {
            throw DatabaseError(
                .closed,
                message: "The connection's state is unknown after a failed rollback; roll back the session"
            )
        }
    }

    /// Runs `statement` so the caller's cancellation cannot interrupt it; a failure (or a
    /// statement that cannot be compiled) poisons the connection.
    private func runDetached(_ statement: SQL) async {
        let connection = self.lease.connection
        let logger = self.logger
        let runner = self.runner
        let lock = self.lock
        guard let compiled = try? statement.compile(for: self.dialect) else {
            self.flags.withLockedValue { $0.isPoisoned = true }
            return
        }
        let succeeded = await StatementRunner.runShieldedFromCancellation(compiled.sql, logger: logger) {
            _ = try await lock.withLock {
                try await runner.execute(compiled, on: connection, logger: logger, .rows)
            }
        }
        if !succeeded { self.flags.withLockedValue { $0.isPoisoned = true } }
    }
}

extension Dialect {
    /// The statement that opens a transaction at `isolation`.
    func beginTransactionSQL(_ isolation: IsolationLevel?, readOnly: Bool = false) -> String {
        switch self {
        case .sqlite: return readOnly ? "BEGIN" : "BEGIN IMMEDIATE"
        default:
            return (isolation.map { "BEGIN ISOLATION LEVEL \($0.sql)" } ?? "BEGIN") + (readOnly ? " READ ONLY" : "")
        }
    }
}

extension Engine {
    /// Takes a connection from the pool until ``CheckedOutConnection/release()``: a read-only
    /// connection when `readOnly` and the driver has them (SQLite), else a primary one.
    /// Prefer ``withConnection(_:)`` or ``withTransaction(isolation:retries:_:)`` when the work fits in
    /// one closure.
    ///
    /// ```swift
    /// let connection = try await engine.checkout()
    /// try await connection.execute(insert(user))
    /// await connection.release()
    /// ```
    /// - Throws: `DatabaseError` `poolTimeout`, `poolClosed`, `connectionFailed`.
    public func checkout(readOnly: Bool = false, logger: Logger? = nil) async throws -> CheckedOutConnection {
        let pool = readOnly ? (self.readerPool ?? self.primaryPool) : self.primaryPool
        let lease = try await pool.lease()
        return CheckedOutConnection(
            lease: lease,
            pool: pool,
            runner: self.runner,
            logger: logger ?? self.configuration.logger
        )
    }
}
