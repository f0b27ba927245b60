import Logging
import NIOCore
import PostgresNIO
import QuarryCore
@_spi(Locking) import QuarryEngine
import QuarryNIO
import Synchronization

/// One PostgresNIO connection behind Quarry's driver seam.
final class PostgresDriverConnection: DriverConnection {
    let connection: PostgresConnection
    let backendPID: Int32
    let driver: PostgresDriver
    /// The connection's event loop, as a task executor.
    let executor: EventLoopTaskExecutor
    /// Set once a cancel request was sent (a late cancel could hit the next statement) or a
    /// prepared read failed (PostgresNIO keeps a failed preparation): the connection is not reused.
    private let mustNotBeReused = Atomic<Bool>(false)
    /// The running statement's deadline (see ``armStatementDeadline(for:)``).
    private let watch = StatementWatch()

    init(connection: PostgresConnection, backendPID: Int32, driver: PostgresDriver) {
        self.connection = connection
        self.executor = EventLoopTaskExecutor(connection.eventLoop)
        self.backendPID = backendPID
        self.driver = driver
    }

    var id: Int { self.connection.id }

    var isUsable: Bool { !self.connection.isClosed && !self.mustNotBeReused.load(ordering: .relaxed) }

    /// Runs `start` — a PostgresNIO call that writes a request — on the connection's event loop,
    /// after checking there that the connection is open, and fails at once if it is not. On the
    /// event loop the channel cannot close between the check and the write (see
    /// ``EventLoopTaskExecutor``). Whatever follows `start` runs back on the caller's executor.
    private func startOnEventLoop<T>(_ start: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self.executor) {
            assert(self.connection.eventLoop.inEventLoop)
            if self.connection.isClosed { throw PostgresConnection.closedByServer }
            return try await start()
        }
    }

    func run(_ statement: CompiledStatement, logger: Logger) async throws -> QueryResult {
        let logger = PostgresDriver.wireLogger(logger)
        if let copy = statement.bulkCopy { return try await self.copy(copy, logger: logger) }
        if statement.isReadOnly, let entry = self.driver.preparedStatements?.entry(for: statement) {
            let rows = try await self.runPrepared(statement, entry: entry, logger: logger) { $0 }
            return QueryResult(rows: rows, rowsAffected: rows.count)
        }
        let query = PostgresQuery(unsafeSQL: statement.sql, binds: PostgresBind.bindings(statement.binds))
        do {
            // The collecting API also reports the command tag's row count for writes.
            let result = try await self.connection.queryUnlessClosed(query, logger: logger).get()
            var rows: [Row] = []
            rows.reserveCapacity(result.rows.count)
            var columns: ColumnNames?
            for postgresRow in result.rows { rows.append(PostgresRowDecoding.row(postgresRow, columns: &columns)) }
            return QueryResult(rows: rows, rowsAffected: result.metadata.rows ?? rows.count)
        } catch {
            throw PostgresErrorMapping.map(error)
        }
    }

    /// Streams `copy`'s rows with `COPY … FROM STDIN` in text format, about 256 KB per message.
    private func copy(_ copy: BulkCopy, logger: Logger) async throws -> QueryResult {
        // PostgresNIO writes the names inside double quotes as given: inner quotes are doubled
        // here, and a schema is joined with `"."` so the result is `"schema"."table"`.
        func escaped(_ name: String) -> String {
            name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
        }
        let table = copy.schema.map { escaped($0) + "\".\"" } ?? ""
        do {
            try await self.connection.copyFrom(
                table: table + escaped(copy.table),
                columns: copy.columns.map(escaped),
                logger: logger
            ) { writer in
                var start = 0
                while start < copy.rows.count {
                    let end = min(copy.rows.count, start + 2_000)
                    var text = ""
                    text.reserveCapacity(256 * 1_024)
                    copy.appendText(rows: start..<end, to: &text)
                    try await writer.write(ByteBuffer(string: text))
                    start = end
                }
            }
        } catch {
            throw PostgresErrorMapping.map(error)
        }
        return QueryResult(rows: [], rowsAffected: copy.rows.count)
    }

    /// Runs a read as a prepared statement (see ``PreparedStatementCache``). The request is
    /// written on the connection's event loop (``startOnEventLoop(_:)``); the rows are decoded
    /// back on the caller's executor, never on the event loop.
    ///
    /// PostgresNIO remembers a failed preparation for the life of the connection, so after any
    /// error here the connection is not reused: a read that failed because, say, its table did not
    /// exist yet must not keep failing on that connection once the table does.
    private func runPrepared<T>(
        _ statement: CompiledStatement,
        entry: PreparedStatementCache.Entry,
        logger: Logger,
        _ decode: (Row) throws -> T
    ) async throws -> [T] {
        let prepared = RuntimePreparedStatement(bindings: PostgresBind.bindings(statement.binds))
        let shape = RuntimePreparedStatement.Shape(name: entry.name, sql: statement.sql)
        do {
            let sequence = try await self.startOnEventLoop {
                try await RuntimePreparedStatement.$shape.withValue(shape) {
                    try await self.connection.execute(prepared, logger: logger)
                }
            }
            var outputs: [T] = []
            let known = entry.columns.withLockedValue { $0 }
            var columns = known
            for try await postgresRow in sequence {
                outputs.append(try decode(PostgresRowDecoding.row(postgresRow, columns: &columns)))
            }
            if known == nil, let columns { entry.columns.withLockedValue { $0 = columns } }
            return outputs
        } catch {
            // Also for a row that did not decode: the rest of the result was not read.
            self.mustNotBeReused.store(true, ordering: .relaxed)
            throw PostgresErrorMapping.map(error)
        }
    }

    func runDecoding<T: Sendable>(
        _ statement: CompiledStatement,
        logger: Logger,
        _ decode: @escaping @Sendable (Row) throws -> T
    ) async throws -> [T] {
        guard statement.isReadOnly, let entry = self.driver.preparedStatements?.entry(for: statement) else {
            return try await self.run(statement, logger: logger).rows.map(decode)
        }
        return try await self.runPrepared(statement, entry: entry, logger: PostgresDriver.wireLogger(logger), decode)
    }

    func stream<R>(
        _ statement: CompiledStatement,
        logger: Logger,
        _ body: (RowCursor) async throws -> R
    ) async throws -> R {
        let logger = PostgresDriver.wireLogger(logger)
        let query = PostgresQuery(unsafeSQL: statement.sql, binds: PostgresBind.bindings(statement.binds))
        let sequence: PostgresRowSequence
        do {
            sequence = try await self.startOnEventLoop { try await self.connection.query(query, logger: logger) }
        } catch {
            throw PostgresErrorMapping.map(error)
        }
        let box = IteratorBox(sequence.makeAsyncIterator())
        let result = try await body(
            RowCursor {
                do {
                    guard let row = try await box.iterator.next() else { return nil }
                    return PostgresRowDecoding.row(row, columns: &box.columns)
                } catch {
                    throw PostgresErrorMapping.map(error)
                }
            }
        )
        // Drain what the body left unread so the connection is ready for the next statement.
        do {
            while try await box.iterator.next() != nil {}
        } catch {
            throw PostgresErrorMapping.map(error)
        }
        return result
    }

    func cancelRunningStatement() async {
        self.mustNotBeReused.store(true, ordering: .relaxed)
        if self.driver.isBehindPgBouncer {
            // PgBouncer drops the server connection of a client that leaves mid-transaction.
            await self.connection.closeShieldedFromCancellation()
        } else {
            await self.driver.cancelBackend(self.backendPID, logger: self.connection.logger)
        }
    }

    /// The server's own `statement_timeout` (set at connect) cancels a slow statement at
    /// `timeout`; this deadline, a second later, is for a server that does not answer at all
    /// (stopped, partitioned): it closes the connection, which fails the statement at once. The
    /// connection's one repeating check on its event loop watches every statement
    /// (``StatementWatch``), so a statement schedules no timer of its own.
    func armStatementDeadline(for timeout: Duration) -> StatementDeadline {
        self.watch.arm(for: timeout + .seconds(1), on: self.connection.eventLoop) { [weak self] in
            guard let self, !self.connection.isClosed else { return false }
            if self.watch.expired() {
                self.mustNotBeReused.store(true, ordering: .relaxed)
                self.connection.close().whenComplete { _ in }
            }
            return true
        }
    }

    func ping() async -> Bool {
        if self.connection.isClosed { return false }
        do {
            _ = try await self.connection.queryUnlessClosed("SELECT 1", logger: self.connection.logger).get()
            return true
        } catch {
            return false
        }
    }

    func close() async {
        self.watch.stop()
        await self.connection.closeShieldedFromCancellation()
    }
}

/// Holds a row iterator across cursor calls (used by one task only).
private final class IteratorBox {
    var iterator: PostgresRowSequence.AsyncIterator
    var columns: ColumnNames?
    init(_ iterator: PostgresRowSequence.AsyncIterator) { self.iterator = iterator }
}
