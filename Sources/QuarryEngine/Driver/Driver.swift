public import Logging
public import QuarryCore

/// The seam between Quarry and a database client library: open connections, and shut down.
/// `QuarryPostgres` and `QuarrySQLite` implement it; everything above is written once.
///
/// ```swift
/// let engine = Engine(url: url, driver: try PostgresDriver(url: url, configuration: config),
///                     configuration: config)
/// ```
public protocol Driver: Sendable {
    /// The SQL dialect of the database.
    var dialect: Dialect { get }
    /// How many read-only connections to keep beside the primary pool; `0` when reads share it.
    /// SQLite uses readers so reads never queue behind its single writer.
    var readerPoolSize: Int { get }
    /// The most primary connections the backend supports (`1` for SQLite's single writer).
    var maximumPrimaryConnections: Int? { get }
    /// Opens a connection.
    /// - Throws: `DatabaseError` `connectionFailed` (the password never appears in it).
    func connect(role: ConnectionRole, id: Int, logger: Logger) async throws -> any DriverConnection
    /// Releases driver-wide resources after every connection is closed.
    func shutdown() async
}

/// What a connection is for.
public enum ConnectionRole: Sendable, Hashable {
    /// Reads and writes.
    case primary
    /// Reads only.
    case reader
}

/// One open connection. It runs one statement at a time; the engine never shares it between
/// concurrent statements.
public protocol DriverConnection: AnyObject, Sendable {
    /// An id for logs (`quarry.connection.id`).
    var id: Int { get }
    /// `false` once the connection broke or was closed.
    var isUsable: Bool { get }
    /// Runs a statement and collects its rows.
    /// - Throws: `DatabaseError`, normalized (constraint codes, connection failures, cancellation).
    func run(_ statement: CompiledStatement, logger: Logger) async throws -> QueryResult
    /// Runs a statement and hands its rows to `body` as they arrive, with backpressure.
    /// - Throws: `DatabaseError`, or whatever `body` throws.
    func stream<R>(
        _ statement: CompiledStatement,
        logger: Logger,
        _ body: (RowCursor) async throws -> R
    ) async throws -> R
    /// Cancels the statement running on this connection, from another task. Best effort.
    func cancelRunningStatement() async
    /// Starts the timer of a statement about to run when the engine has a statement timeout
    /// (``StatementDeadline``). The default never fires.
    func armStatementDeadline(for timeout: Duration) -> StatementDeadline
    /// Runs a statement and decodes each row as it is read (while it is still in cache), for
    /// drivers that read rows on another thread. The default runs ``run(_:logger:)`` and maps.
    func runDecoding<T: Sendable>(
        _ statement: CompiledStatement,
        logger: Logger,
        _ decode: @escaping @Sendable (Row) throws -> T
    ) async throws -> [T]
    /// A cheap round trip (`SELECT 1`).
    func ping() async -> Bool
    /// Closes the connection.
    func close() async
}

/// The rows of a statement and how many rows it changed.
public struct QueryResult: Sendable {
    /// The rows, in order.
    public var rows: [Row]
    /// Rows inserted, updated or deleted (or returned, for a query).
    public var rowsAffected: Int

    /// Creates a result.
    public init(rows: [Row], rowsAffected: Int) {
        self.rows = rows
        self.rowsAffected = rowsAffected
    }
}

/// Pulls rows one at a time from a running statement.
public struct RowCursor {
    let nextRow: @concurrent () async throws -> Row?

    /// Wraps a row source. `@concurrent`: a driver reads its rows off the caller's actor.
    public init(_ next: @escaping @concurrent () async throws -> Row?) { self.nextRow = next }

    /// The next row, or `nil` at the end.
    public mutating func next() async throws -> Row? { try await self.nextRow() }
}

@available(*, unavailable)
extension RowCursor: Sendable {}

extension DriverConnection {
    public func armStatementDeadline(for timeout: Duration) -> StatementDeadline { .none }

    public func runDecoding<T: Sendable>(
        _ statement: CompiledStatement,
        logger: Logger,
        _ decode: @escaping @Sendable (Row) throws -> T
    ) async throws -> [T] {
        try await self.run(statement, logger: logger).rows.map(decode)
    }
}
