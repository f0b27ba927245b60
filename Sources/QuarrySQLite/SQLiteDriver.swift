import Foundation
public import Logging
public import NIOCore
public import NIOPosix
public import QuarryCore
@_spi(Locking) public import QuarryEngine
import SQLiteNIO

/// The SQLite driver: SQLiteNIO connections whose blocking calls run on an `NIOThreadPool`, in WAL
/// mode with foreign keys on; one writer connection and several read-only readers, so reads never
/// queue behind a write.
///
/// ```swift
/// let url = DatabaseURL.sqlite(path: "/tmp/app.db")
/// let engine = Engine(url: url, driver: try SQLiteDriver(url: url, configuration: .init()), configuration: .init())
/// ```
public struct SQLiteDriver: Driver {
    let path: String?
    /// Notices the database file being deleted or replaced (file databases only).
    let fileWatch: DatabaseFileWatch?
    let configuration: EngineConfiguration
    let threadPool: NIOThreadPool
    let eventLoopGroup: any EventLoopGroup

    public var dialect: Dialect { .sqlite }
    /// In-memory databases live in one connection, so they get no readers.
    public var readerPoolSize: Int { self.path == nil ? 0 : max(1, self.configuration.sqliteReaders) }
    public var maximumPrimaryConnections: Int? { 1 }

    /// Creates the driver for `url`.
    /// - Parameters:
    ///   - url: An `sqlite://` URL.
    ///   - configuration: The engine configuration (busy timeout, reader count).
    ///   - threadPool: Where blocking SQLite calls run. The default is NIO's shared pool.
    ///   - eventLoopGroup: The event loops futures complete on. The default is NIO's shared group.
    /// - Throws: ``QuarryCore/DatabaseError`` `unsupportedURL` for a non-SQLite URL.
    public init(
        url: DatabaseURL,
        configuration: EngineConfiguration,
        threadPool: NIOThreadPool = .singleton,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        guard url.backend == .sqlite else {
            throw DatabaseError(.unsupportedURL, message: "SQLiteDriver needs an sqlite:// URL")
        }
        self.path = url.path
        self.fileWatch = url.path.map(DatabaseFileWatch.init(path:))
        self.configuration = configuration
        self.threadPool = threadPool
        self.eventLoopGroup = eventLoopGroup
    }

    public func connect(role: ConnectionRole, id: Int, logger: Logger) async throws -> any DriverConnection {
        let storage: SQLiteConnection.Storage = self.path.map { .file(path: $0) } ?? .memory
        if let watch = self.fileWatch, !watch.allowsOpening() {
            // Opening would create a new, empty database where the one in use was.
            throw DatabaseError(
                .connectionFailed,
                message:
                    "The SQLite database file \(watch.path) was deleted or replaced while the engine was running; "
                    + "not opening it again (restore the file or restart)"
            )
        }
        if let watch = self.fileWatch, role == .primary, watch.currentIdentity() == nil {
            logger.notice("Creating a new SQLite database", metadata: ["db.sqlite.path": "\(watch.path)"])
        }
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: storage,
                threadPool: self.threadPool,
                logger: logger,
                on: self.eventLoopGroup.any()
            )
            ThreadSanitizerResume.acquire()  // the handle was made on a thread-pool thread
        } catch is CancellationError {
            // NIO's thread pool refuses work whose task was cancelled while it waited for a thread:
            // the request went away (a client disconnect), the database did not fail. Nothing was opened.
            throw DatabaseError(.cancelled, message: "Opening the SQLite database was cancelled before it started")
        } catch {
            throw DatabaseError(
                .connectionFailed,
                message: "Could not open the SQLite database \(self.path ?? ":memory:")",
                underlying: SendableErrorBox(error)
            )
        }
        let (seconds, attoseconds) = self.configuration.busyTimeout.components
        let busyMilliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        var pragmas = [
            "PRAGMA busy_timeout = \(busyMilliseconds)",
            "PRAGMA foreign_keys = ON",
            "PRAGMA case_sensitive_like = ON",
        ]
        if self.path != nil {
            // After busy_timeout, so switching to WAL waits for another process's lock.
            if role == .primary { pragmas.insert("PRAGMA journal_mode = WAL", at: 1) }
            pragmas.append("PRAGMA synchronous = NORMAL")
        }
        if role == .reader { pragmas.append("PRAGMA query_only = ON") }
        do {
            for pragma in pragmas { try await connection.queryRows(pragma, []) { _ in } }
            for function in SQLiteFunctions.forConnection() {
                try await connection.install(customFunction: function).get()
            }
        } catch {
            await connection.closeShieldedFromCancellation()
            throw SQLiteErrorMapping.map(error)
        }
        self.fileWatch?.recordOpened()
        return SQLiteDriverConnection(connection: connection, id: id, fileWatch: self.fileWatch)
    }

    public func shutdown() async {}
}
