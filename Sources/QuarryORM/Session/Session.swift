public import Logging
public import QuarryCore
@_spi(Locking) public import QuarryEngine

/// A unit of work over an `Engine`: SQLAlchemy's `AsyncSession`, minus its traps.
///
/// A session takes no connection until a statement needs one, and holds one only while it is in a
/// transaction. Reads outside a transaction run on pooled connections, so concurrent reads on one
/// session run in parallel. The first write (or ``withTransaction(isolation:readOnly:retries:_:)``) begins a
/// transaction on one checked-out connection; from then on every statement, including concurrent
/// ones, is serialized on it and sees its writes, until ``commit()`` or ``rollback()``.
///
/// ```swift
/// try await engine.withSession { session in
///     var user = User(name: "Ada", email: "ada@example.com")
///     try await session.insert(&user)                       // id filled in
///     let (found, posts) = try await session.gather(
///         select(User.self).where(\.id == user.id).oneOrNone(),
///         select(Post.self).where(\.userId == user.id!).all())
///     try await session.commit()
/// }
/// ```
///
/// `Session` is `Sendable`: the child tasks of one request may share it. Any number of statements
/// may be started on it concurrently; none fails with "operation in progress".
public final class Session: Sendable, DatabaseExecutor {
    enum TransactionState: Sendable {
        case none
        case beginning(Task<CheckedOutConnection, any Error>)
        case active(CheckedOutConnection)
        /// A write failed inside the transaction: only ``rollback()`` (or leaving the savepoint
        /// it happened in) makes the session usable again.
        case failed(CheckedOutConnection, reason: String)
    }

    struct State: Sendable {
        var transaction = TransactionState.none
        var identityMap = IdentityMap()
        var pending: [PendingWrite] = []
        var savepointCounter = 0
        var statementCounts: [String: Int] = [:]
        var warnedStatements: Set<String> = []
        var isClosed = false
        /// Set once the session began a read-write transaction: later reads outside a
        /// transaction go to the primary, never to a replica that may lag behind its writes.
        var readsFromPrimary = false

        /// Throws `closed` once the session is closed.
        func checkOpen() throws {
            if self.isClosed { throw Session.closedError }
        }

        /// Hands over the transaction state, leaving none.
        mutating func takeTransaction() -> TransactionState {
            defer { self.transaction = .none }
            return self.transaction
        }

        /// What a rollback does to the state: queued writes and loaded models dropped, the
        /// transaction handed over.
        mutating func rollBack() -> TransactionState {
            self.pending.removeAll()
            self.identityMap.removeAll()
            return self.takeTransaction()
        }
    }

    /// The engine statements run on.
    public let engine: Engine
    /// The session's configuration.
    public let configuration: SessionConfiguration
    let logger: Logger
    let state = Locked(State())

    /// Creates a session. It opens nothing until its first statement; call ``close()`` when done
    /// (`Engine.withSession(configuration:_:)` does it for you).
    ///
    /// ```swift
    /// let session = Session(engine)
    /// let user = try await session.get(User.self, id: 42)
    /// await session.close()
    /// ```
    public init(_ engine: Engine, configuration: SessionConfiguration = .init()) {
        self.engine = engine
        self.configuration = configuration
        self.logger = configuration.logger ?? engine.configuration.logger
    }

    public var dialect: Dialect { self.engine.dialect }

    /// `true` while the session holds a connection with an open transaction.
    public var isInTransaction: Bool {
        self.state.withLockedValue { if case .none = $0.transaction { false } else { true } }
    }

    /// The number of queued writes not yet flushed.
    public var pendingWriteCount: Int { self.state.withLockedValue { $0.pending.count } }

    // MARK: - DatabaseExecutor

    public func execute<R>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        reading reader: RowReader<R>
    ) async throws -> R {
        try await self.markingFailedWrites(compiled) {
            try await $0.execute(compiled, logger: logger ?? self.logger, reading: reader)
        }
    }

    /// Where `compiled` runs: the pool (replicas, when the engine has them, or the primary once
    /// this session has written) for a read when there is no transaction and nothing waits to be
    /// flushed; else the session's transaction connection, after flushing queued writes.
    private func executor(
        for compiled: CompiledStatement
    ) async throws -> (executor: any DatabaseExecutor, inTransaction: Bool) {
        // One look under the lock: open, and where a read goes.
        let readExecutor: (any DatabaseExecutor)? = try self.state.withLockedValue { state in
            try state.checkOpen()
            guard compiled.isReadOnly, state.pending.isEmpty, case .none = state.transaction else { return nil }
            return state.readsFromPrimary ? self.engine.primary : self.engine
        }
        self.noteStatement(compiled)
        if let readExecutor { return (readExecutor, false) }
        try await self.flush()
        return (try await self.transactionConnection(), true)
    }

    /// Runs `body` on the statement's executor; a write that fails inside the transaction marks
    /// it failed until ``rollback()``.
    private func markingFailedWrites<R>(
        _ compiled: CompiledStatement,
        _ body: (any DatabaseExecutor) async throws -> R
    ) async throws -> R {
        let (executor, inTransaction) = try await self.executor(for: compiled)
        do {
            return try await body(executor)
        } catch {
            if inTransaction, !compiled.isReadOnly { self.markFailed(error) }
            throw error
        }
    }

    // MARK: - Connection and transaction state

    func checkOpen() throws {
        try self.state.withLockedValue { try $0.checkOpen() }
    }

    /// The error for any use of a closed session.
    static var closedError: DatabaseError { DatabaseError(.closed, message: "The session is closed") }

    /// The connection of the session's transaction, beginning one when there is none. Concurrent
    /// callers share one `BEGIN`.
    func transactionConnection(
        isolation: IsolationLevel? = nil,
        readOnly: Bool = false
    ) async throws -> CheckedOutConnection {
        enum Next {
            case ready(CheckedOutConnection)
            case wait(Task<CheckedOutConnection, any Error>)
        }
        let next: Next = try self.state.withLockedValue { state in
            switch state.transaction {
            case .active(let connection):
                return .ready(connection)
            case .beginning(let task):
                return .wait(task)
            case .failed(_, let reason):
                throw Self.failedError(reason)
            case .none:
                let engine = self.engine
                let logger = self.logger
                // Unstructured on purpose: concurrent statements share this one BEGIN, so it cannot
                // belong to (and be cancelled with) whichever caller came first; every caller
                // awaits it, and takeTransaction() awaits it before releasing.
                let task = Task {
                    let connection = try await engine.checkout(readOnly: readOnly, logger: logger)
                    do {
                        try await connection.begin(isolation: isolation, readOnly: readOnly)
                    } catch {
                        await connection.release()
                        throw error
                    }
                    return connection
                }
                state.transaction = .beginning(task)
                if !readOnly { state.readsFromPrimary = true }
                return .wait(task)
            }
        }
        switch next {
        case .ready(let connection):
            return connection
        case .wait(let task):
            do {
                // The shared BEGIN gives up (leaves the pool's queue, or has its statement
                // cancelled) when a caller waiting for it is cancelled: the statements of a
                // request whose client left must not take a connection later.
                let connection = try await withTaskCancellationHandler {
                    try await task.value
                } onCancel: {
                    task.cancel()
                }
                self.state.withLockedValue { state in
                    if case .beginning = state.transaction { state.transaction = .active(connection) }
                }
                return connection
            } catch {
                self.state.withLockedValue { state in
                    if case .beginning = state.transaction { state.transaction = .none }
                }
                throw error
            }
        }
    }

    /// After a failed write the transaction must be rolled back before the session goes on.
    func markFailed(_ error: any Error) {
        let reason = (error as? DatabaseError).map { "\($0.code): \($0.message)" } ?? "\(type(of: error))"
        self.state.withLockedValue { state in
            if case .active(let connection) = state.transaction {
                state.transaction = .failed(connection, reason: reason)
            }
        }
    }

    static func failedError(_ reason: String) -> DatabaseError {
        DatabaseError(
            .transactionFailed,
            message:
                "This session's transaction failed earlier (\(reason)); call rollback() before using the session again"
        )
    }

    /// The transaction's connection and the state to restore, taken out of the session.
    func takeTransaction() async -> CheckedOutConnection? {
        await Self.connection(of: self.state.withLockedValue { $0.takeTransaction() })
    }

    /// Rolls back a transaction taken out of the session and returns its connection; nothing
    /// for none, without suspending.
    static func release(_ transaction: TransactionState) async {
        if case .none = transaction { return }
        if let connection = await Self.connection(of: transaction) { await connection.release() }
    }

    /// The connection a transaction state holds, once its `BEGIN` finished (`nil` when that failed).
    static func connection(of transaction: TransactionState) async -> CheckedOutConnection? {
        switch transaction {
        case .none: return nil
        case .active(let connection), .failed(let connection, _): return connection
        case .beginning(let task): return try? await task.value
        }
    }

    // MARK: - N+1 detection

    private func noteStatement(_ compiled: CompiledStatement) {
        guard let threshold = self.configuration.repeatedStatementWarningThreshold, compiled.isReadOnly else { return }
        let shouldWarn: Int? = self.state.withLockedValue { state in
            let count = state.statementCounts[compiled.sql, default: 0] + 1
            state.statementCounts[compiled.sql] = count
            guard count > threshold, !state.warnedStatements.contains(compiled.sql) else { return nil }
            state.warnedStatements.insert(compiled.sql)
            return count
        }
        guard let count = shouldWarn else { return }
        self.logger.warning(
            "The same statement ran \(count) times in one session (an N+1 query pattern?); load related rows together with including(all:) or one IN query",
            metadata: [LogKey.queryText: "\(compiled.sql)", "quarry.statement.count": "\(count)"]
        )
    }
}
