import Foundation
import Logging
import NIOPosix
import Quarry
import Testing

@testable import QuarrySQLite

/// Regression (found by the conformance check `cancellingMidQueryLeavesThePoolHealthy`, which races
/// cancellation against the thread pool and so caught it only sometimes): NIO's
/// `NIOThreadPool.runIfActive` throws `CancellationError` for work whose task was cancelled while
/// it waited for a thread, and the SQLite driver called that an unknown server error (`.server`,
/// which an application logs as a fault and answers with a 500). The statement never ran.
@Suite("SQLite cancellation")
struct SQLiteCancellationTests {
    /// An in-memory SQLite driver whose thread pool has one thread, which a test can hold busy.
    static func driverOnOneThread() throws -> (NIOThreadPool, SQLiteDriver) {
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let driver = try SQLiteDriver(
            url: DatabaseURL("sqlite::memory:"),
            configuration: EngineConfiguration(),
            threadPool: threadPool
        )
        return (threadPool, driver)
    }

    @Test func theThreadPoolsCancellationIsACancelledStatement() {
        let error = SQLiteErrorMapping.map(CancellationError())
        #expect(error.code == .cancelled)
        #expect(error.message.contains("before it started"))
    }

    /// A statement queued behind a busy thread pool and cancelled there fails as `.cancelled`
    /// (whether the cancellation reaches it before it is queued or while it waits), and the
    /// connection answers the next statement.
    @Test func aStatementCancelledWhileThePoolIsBusyIsCancelledAndTheConnectionStaysUsable() async throws {
        let (threadPool, driver) = try Self.driverOnOneThread()
        let logger = Logger(label: "test")
        let connection = try await driver.connect(role: .primary, id: 1, logger: logger)
        let select = CompiledStatement(sql: "SELECT 1", binds: [], kind: .read)

        // The pool's only thread is held until the statement's task has been cancelled, so the
        // statement cannot have run before that.
        let release = DispatchSemaphore(value: 0)
        threadPool.submit { _ in release.wait() }
        let task = Task { try await connection.run(select, logger: logger) }
        task.cancel()
        release.signal()

        let error = await #expect(throws: DatabaseError.self) { try await task.value }
        #expect(error?.code == .cancelled)
        let rows = try await connection.run(select, logger: logger).rows
        #expect(rows.count == 1)
        await connection.close()
        try await threadPool.shutdownGracefully()
    }

    /// Regression (the conformance check above, in CI on a slow host): a connection the pool opens
    /// for a request that is cancelled while the open waits for a thread fails as `.cancelled`, not
    /// as `.connectionFailed` (a fault the application would log and answer with a 503), and the
    /// driver opens the next connection.
    @Test func anOpenCancelledWhileThePoolIsBusyIsCancelled() async throws {
        let (threadPool, driver) = try Self.driverOnOneThread()
        let logger = Logger(label: "test")
        let release = DispatchSemaphore(value: 0)
        threadPool.submit { _ in release.wait() }
        let task = Task { try await driver.connect(role: .primary, id: 1, logger: logger) }
        task.cancel()
        release.signal()

        let error = await #expect(throws: DatabaseError.self) { try await task.value }
        #expect(error?.code == .cancelled)
        let connection = try await driver.connect(role: .primary, id: 2, logger: logger)
        let rows = try await connection.run(CompiledStatement(sql: "SELECT 1", binds: [], kind: .read), logger: logger)
        #expect(rows.rows.count == 1)
        await connection.close()
        try await threadPool.shutdownGracefully()
    }
}
