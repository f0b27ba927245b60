import Foundation
public import Quarry
import Synchronization

/// Runs `body` with an engine whose every connection is one real connection to `url`, inside a
/// transaction that is rolled back when `body` returns or throws (Ecto's SQL sandbox, Django's
/// `TestCase`): a test writes what it likes — tables included — and leaves the database as it
/// found it, so tests can share one database instead of creating one each.
///
/// ```swift
/// try await withSandboxEngine(url: sharedDatabaseURL) { engine in
///     try await engine.createAll(User.self)
///     try await engine.execute(insert(User(name: "Ada", email: "ada@example.com")))
/// }   // rolled back: no users table, no row
/// ```
///
/// Everything the engine does runs on that connection, one statement at a time, so concurrent
/// requests of one test (a router test, a live server on loopback) share it and see each other's
/// writes. A transaction (`withTransaction`, a `Session`) becomes a savepoint, and a statement
/// outside one runs in a savepoint of its own on PostgreSQL, so a failing statement fails alone,
/// as it would with autocommit. Transactions take turns: one opened while another is open waits
/// for it (a request's session and a background job), and one that waits longer than the pool
/// timeout — a transaction opened while the same task holds another, which would wait for itself —
/// fails with `poolTimeout` saying so. Statements outside a transaction run between the open
/// transaction's statements, so rolling that transaction back also undoes them. Isolation levels
/// and `READ ONLY` do not apply. A row stream holds the connection until it is read to the end:
/// do not query inside the loop. Code under test that commits for real (an engine of its own) is
/// not covered.
///
/// - Parameters:
///   - url: The database to borrow; nothing in it changes.
///   - configure: Adjusts the engine configuration (echo, logger, timeouts).
///   - body: The test.
/// - Throws: What `body` throws; `DatabaseError` when the connection cannot be opened.
public func withSandboxEngine<R>(
    url: DatabaseURL,
    configure: (inout EngineConfiguration) -> Void = { _ in },
    _ body: (Engine) async throws -> R
) async throws -> R {
    var configuration = EngineConfiguration()
    configuration.poolTimeout = .seconds(10)
    configure(&configuration)
    configuration = try configuration.applying(url)
    let driver = try Engine.driver(for: url, configuration: configuration)
    let logger = configuration.logger
    let shared = try await driver.connect(role: .primary, id: 0, logger: logger)
    let begin = driver.dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
    do {
        _ = try await shared.run(CompiledStatement(sql: begin, binds: []), logger: logger)
    } catch {
        await shared.close()
        await driver.shutdown()
        throw error
    }
    let sandbox = SandboxDriver(shared: shared, dialect: driver.dialect, turnTimeout: configuration.poolTimeout)
    let engine = Engine(url: url, driver: sandbox, configuration: configuration)
    let result: Result<R, any Error>
    do {
        result = .success(try await body(engine))
    } catch {
        result = .failure(error)
    }
    await engine.shutdown()
    _ = try? await shared.run(CompiledStatement(sql: "ROLLBACK", binds: []), logger: logger)
    await shared.close()
    await driver.shutdown()
    return try result.get()
}

/// Hands out views of one shared connection as the sandbox engine's connections.
final class SandboxDriver: Driver {
    let shared: any DriverConnection
    let dialect: Dialect
    /// One statement at a time on the shared connection.
    let lock = AsyncLock()
    /// Numbers the savepoints of every view, so no two share a name.
    let savepoints = Atomic<Int>(0)
    /// One open transaction at a time: the view that has it, and the views waiting for it.
    private let turns = Mutex<Turns>(Turns())
    let turnTimeout: Duration

    private struct Turns {
        var owner: ObjectIdentifier?
        var waiting: [(view: ObjectIdentifier, turn: CheckedContinuation<Void, any Error>)] = []
    }

    init(shared: any DriverConnection, dialect: Dialect, turnTimeout: Duration) {
        self.shared = shared
        self.dialect = dialect
        self.turnTimeout = turnTimeout
    }

    var readerPoolSize: Int { 0 }
    var maximumPrimaryConnections: Int? { nil }

    func connect(role: ConnectionRole, id: Int, logger: Logger) async throws -> any DriverConnection {
        SandboxConnection(id: id, sandbox: self)
    }

    func shutdown() async {}

    /// Waits until `view` may open its transaction, at most ``turnTimeout``.
    func takeTurn(_ view: ObjectIdentifier) async throws {
        let granted = self.turns.withLock { turns in
            guard turns.owner == nil else { return false }
            turns.owner = view
            return true
        }
        if granted { return }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.waitForTurn(view) }
                group.addTask {
                    try await Task.sleep(for: self.turnTimeout)
                    throw DatabaseError(
                        .poolTimeout,
                        message:
                            "A transaction in the test sandbox waited \(self.turnTimeout) for another one to end: transactions there take turns, so one opened while the same task holds another waits for itself"
                    )
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        } catch {
            // The turn may have come just as the wait gave up: hand it on.
            self.endTurn(view)
            throw error
        }
    }

    private func waitForTurn(_ view: ObjectIdentifier) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (turn: CheckedContinuation<Void, any Error>) in
                let now = self.turns.withLock { turns in
                    if turns.owner == nil {
                        turns.owner = view
                        return true
                    }
                    turns.waiting.append((view, turn))
                    return false
                }
                if now { turn.resume() }
            }
        } onCancel: {
            let cancelled = self.turns.withLock { turns in
                turns.waiting.firstIndex { $0.view == view }.map { turns.waiting.remove(at: $0).turn }
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }

    /// Ends `view`'s turn (when it has it) and gives the next waiting view its turn.
    func endTurn(_ view: ObjectIdentifier) {
        let next = self.turns.withLock { turns -> CheckedContinuation<Void, any Error>? in
            guard turns.owner == view else { return nil }
            guard !turns.waiting.isEmpty else {
                turns.owner = nil
                return nil
            }
            let next = turns.waiting.removeFirst()
            turns.owner = next.view
            return next.turn
        }
        next?.resume()
    }
}

/// One of the engine's connections in a sandbox: the shared connection, with its transaction
/// statements turned into savepoints of its own.
final class SandboxConnection: DriverConnection {
    let id: Int
    let sandbox: SandboxDriver
    /// The savepoints this view's open transaction and its savepoints stand for, innermost last.
    private let open = Mutex<[String]>([])

    init(id: Int, sandbox: SandboxDriver) {
        self.id = id
        self.sandbox = sandbox
    }

    var isUsable: Bool { self.sandbox.shared.isUsable }

    func run(_ statement: CompiledStatement, logger: Logger) async throws -> QueryResult {
        try await self.withTurns(statement.sql) { control in
            try await self.sandbox.lock.withLock {
                if let control { return try await self.run(control, logger: logger) }
                return try await self.autocommitted(statement, logger: logger) {
                    try await self.sandbox.shared.run(statement, logger: logger)
                }
            }
        }
    }

    func stream<R>(
        _ statement: CompiledStatement,
        logger: Logger,
        _ body: (RowCursor) async throws -> R
    ) async throws -> R {
        try await self.withTurns(statement.sql) { control in
            try await self.sandbox.lock.withLock {
                if let control {
                    _ = try await self.run(control, logger: logger)
                    return try await body(RowCursor { nil })
                }
                return try await self.autocommitted(statement, logger: logger) {
                    try await self.sandbox.shared.stream(statement, logger: logger, body)
                }
            }
        }
    }

    func runDecoding<T: Sendable>(
        _ statement: CompiledStatement,
        logger: Logger,
        _ decode: @escaping @Sendable (Row) throws -> T
    ) async throws -> [T] {
        try await self.withTurns(statement.sql) { control in
            try await self.sandbox.lock.withLock {
                if let control {
                    _ = try await self.run(control, logger: logger)
                    return []
                }
                return try await self.autocommitted(statement, logger: logger) {
                    try await self.sandbox.shared.runDecoding(statement, logger: logger, decode)
                }
            }
        }
    }

    /// Runs `work` with the savepoint statements standing for `sql` when it is a transaction
    /// statement: an outermost `BEGIN` first waits for the sandbox's turn, and the `COMMIT` or
    /// `ROLLBACK` that ends it gives the turn on.
    private func withTurns<R>(_ sql: String, _ work: ([CompiledStatement]?) async throws -> R) async throws -> R {
        // Transaction statements are short: only the start of the text needs comparing.
        let text = sql.prefix(24).uppercased()
        let view = ObjectIdentifier(self)
        let begins = text.hasPrefix("BEGIN")
        if begins, self.open.withLock({ $0.isEmpty }) { try await self.sandbox.takeTurn(view) }
        let control = self.control(text)
        defer { if self.open.withLock({ $0.isEmpty }) { self.sandbox.endTurn(view) } }
        do {
            return try await work(control)
        } catch {
            // A savepoint that could not be opened stands for nothing.
            if begins { _ = self.open.withLock { $0.popLast() } }
            throw error
        }
    }

    func cancelRunningStatement() async { await self.sandbox.shared.cancelRunningStatement() }

    func armStatementDeadline(for timeout: Duration) -> StatementDeadline {
        self.sandbox.shared.armStatementDeadline(for: timeout)
    }

    func ping() async -> Bool { self.sandbox.shared.isUsable }

    /// Rolls back what this view left open; the shared connection stays.
    func close() async {
        let names = self.open.withLock { names in
            defer { names.removeAll() }
            return names
        }
        guard let outermost = names.first else { return }
        _ = try? await self.sandbox.lock.withLock {
            try await self.run(
                [CompiledStatement(sql: "ROLLBACK TO SAVEPOINT \(outermost)", binds: [])],
                logger: Logger(label: "quarry.sandbox")
            )
        }
        self.sandbox.endTurn(ObjectIdentifier(self))
    }

    /// The savepoint statements standing for a transaction statement (`text`: the statement's
    /// first 24 characters, upper-cased), or `nil` for any other.
    private func control(_ text: String) -> [CompiledStatement]? {
        func statement(_ sql: String) -> CompiledStatement { CompiledStatement(sql: sql, binds: []) }
        if text.hasPrefix("BEGIN") {
            let name = "quarry_sandbox_\(self.sandbox.savepoints.add(1, ordering: .relaxed).newValue)"
            self.open.withLock { $0.append(name) }
            return [statement("SAVEPOINT \(name)")]
        }
        if text == "COMMIT" || text == "ROLLBACK" {
            guard let name = self.open.withLock({ $0.popLast() }) else { return [] }
            return text == "COMMIT"
                ? [statement("RELEASE SAVEPOINT \(name)")]
                : [statement("ROLLBACK TO SAVEPOINT \(name)"), statement("RELEASE SAVEPOINT \(name)")]
        }
        return nil
    }

    private func run(_ statements: [CompiledStatement], logger: Logger) async throws -> QueryResult {
        var result = QueryResult(rows: [], rowsAffected: 0)
        for statement in statements { result = try await self.sandbox.shared.run(statement, logger: logger) }
        return result
    }

    /// Runs `work` in a savepoint of its own when this view has no transaction open on
    /// PostgreSQL, where one failing statement would otherwise abort the sandbox's transaction.
    private func autocommitted<R>(
        _ statement: CompiledStatement,
        logger: Logger,
        _ work: () async throws -> R
    ) async throws -> R {
        guard self.sandbox.dialect == .postgresql, self.open.withLock({ $0.isEmpty }) else { return try await work() }
        let name = "quarry_sandbox_\(self.sandbox.savepoints.add(1, ordering: .relaxed).newValue)"
        _ = try await self.run([CompiledStatement(sql: "SAVEPOINT \(name)", binds: [])], logger: logger)
        do {
            let result = try await work()
            _ = try await self.run([CompiledStatement(sql: "RELEASE SAVEPOINT \(name)", binds: [])], logger: logger)
            return result
        } catch {
            _ = try? await self.run(
                [
                    CompiledStatement(sql: "ROLLBACK TO SAVEPOINT \(name)", binds: []),
                    CompiledStatement(sql: "RELEASE SAVEPOINT \(name)", binds: []),
                ],
                logger: logger
            )
            throw error
        }
    }
}
