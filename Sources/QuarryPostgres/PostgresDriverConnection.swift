import Logging
import NIOCore
import PostgresNIO
import QuarryCore
import QuarryEngine
import Synchronization

/// One PostgresNIO connection behind Quarry's driver seam.
final class PostgresDriverConnection: DriverConnection {
    let connection: PostgresConnection
    let backendPID: Int32
    let driver: PostgresDriver
    /// Set once a cancel request was sent: a late cancel could hit the next statement, so the
    /// connection is not reused.
    private let wasCancelled = Atomic<Bool>(false)

    init(connection: PostgresConnection, backendPID: Int32, driver: PostgresDriver) {
        self.connection = connection
        self.backendPID = backendPID
        self.driver = driver
    }

    var id: Int { self.connection.id }

    var isUsable: Bool { !self.connection.isClosed && !self.wasCancelled.load(ordering: .relaxed) }

    /// Fails at once on a closed connection (see ``PostgresConnection/queryUnlessClosed(_:logger:)``;
    /// the streaming API offers no event-loop form, so a close in the instant after this check is
    /// still possible there).
    private func ensureOpen() throws {
        if self.connection.isClosed { throw PostgresConnection.closedByServer }
    }

    func run(_ statement: CompiledStatement, logger: Logger) async throws -> QueryResult {
        let logger = PostgresDriver.wireLogger(logger)
        let query = PostgresQuery(unsafeSQL: statement.sql, binds: PostgresBind.bindings(statement.binds))
        do {
            // The collecting API also reports the command tag's row count for writes.
            let result = try await self.connection.queryUnlessClosed(query, logger: logger).get()
            var rows: [Row] = []
            rows.reserveCapacity(result.rows.count)
            if let first = result.rows.first {
                let names = PostgresRowDecoding.columnNames(first)
                for postgresRow in result.rows { rows.append(PostgresRowDecoding.row(postgresRow, columns: names)) }
            }
            return QueryResult(rows: rows, rowsAffected: result.metadata.rows ?? rows.count)
        } catch {
            throw PostgresErrorMapping.map(error)
        }
    }

    func stream<R>(_ statement: CompiledStatement, logger: Logger, _ body: (RowCursor) async throws -> R) async throws -> R {
        let logger = PostgresDriver.wireLogger(logger)
        try self.ensureOpen()
        let query = PostgresQuery(unsafeSQL: statement.sql, binds: PostgresBind.bindings(statement.binds))
        let sequence: PostgresRowSequence
        do {
            sequence = try await self.connection.query(query, logger: logger)
        } catch {
            throw PostgresErrorMapping.map(error)
        }
        let box = IteratorBox(sequence.makeAsyncIterator())
        let result = try await body(
            RowCursor {
                do {
                    guard let row = try await box.iterator.next() else { return nil }
                    let names = box.columns ?? PostgresRowDecoding.columnNames(row)
                    box.columns = names
                    return PostgresRowDecoding.row(row, columns: names)
                } catch {
                    throw PostgresErrorMapping.map(error)
                }
            })
        // Drain what the body left unread so the connection is ready for the next statement.
        do {
            while try await box.iterator.next() != nil {}
        } catch {
            throw PostgresErrorMapping.map(error)
        }
        return result
    }

    func cancelRunningStatement() async {
        self.wasCancelled.store(true, ordering: .relaxed)
        if self.driver.isBehindPgBouncer {
            // PgBouncer drops the server connection of a client that leaves mid-transaction.
            await self.connection.closeShieldedFromCancellation()
        } else {
            await self.driver.cancelBackend(self.backendPID, logger: self.connection.logger)
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
        await self.connection.closeShieldedFromCancellation()
    }
}

/// Holds a row iterator across cursor calls (used by one task only).
private final class IteratorBox {
    var iterator: PostgresRowSequence.AsyncIterator
    var columns: ColumnNames?
    init(_ iterator: PostgresRowSequence.AsyncIterator) { self.iterator = iterator }
}
