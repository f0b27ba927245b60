import Foundation
import Logging
import NIOCore
import QuarryCore
import QuarryEngine
import QuarryNIO
import SQLiteNIO
import Synchronization

/// One SQLiteNIO connection behind Quarry's driver seam.
final class SQLiteDriverConnection: DriverConnection {
    let connection: SQLiteConnection
    let id: Int
    /// Stops a running statement (timeouts, cancellation); `nil` when the handle is not reachable.
    let interrupt: SQLiteInterrupt?

    /// The database file's identity check (file databases only).
    let fileWatch: DatabaseFileWatch?

    init(connection: SQLiteConnection, id: Int, fileWatch: DatabaseFileWatch?) {
        self.connection = connection
        self.id = id
        self.interrupt = SQLiteInterrupt(connection)
        self.fileWatch = fileWatch
    }

    /// Which statement runs now, so interrupts reach that one and no later one.
    private let running = Mutex(RunningStatement())
    /// The running statement's deadline: one repeating check per connection (``StatementWatch``).
    private let watch = StatementWatch()

    private struct RunningStatement {
        var generation: UInt64 = 0
        var isRunning = false
    }

    /// `false` once closed, or once its database file was deleted or replaced (its writes would
    /// go to an unlinked file): the pool then discards it, and opening another is refused.
    var isUsable: Bool { !self.connection.isClosed && (self.fileWatch?.isIntact ?? true) }

    func run(_ statement: CompiledStatement, logger: Logger) async throws -> QueryResult {
        let binds = try Self.sqliteBinds(statement.binds)
        let collector = DecodingCollector<Row> { $0 }
        try self.beginStatement()
        defer { self.endStatement() }
        do {
            try await self.connection.queryRows(statement.sql, binds) { collector.append($0) }
            let rows = try collector.results()
            // How many rows a write changed (not routing: the statement already runs here).
            if rows.isEmpty, statement.operationName != "SELECT", !statement.sql.hasPrefix("PRAGMA") {
                let changes = DecodingCollector<Row> { $0 }
                try await self.connection.queryRows("SELECT changes()", []) { changes.append($0) }
                let count = try changes.results().first.flatMap { Int.fromDatabaseValue($0[0]) } ?? 0
                return QueryResult(rows: [], rowsAffected: count)
            }
            return QueryResult(rows: rows, rowsAffected: rows.count)
        } catch {
            throw SQLiteErrorMapping.map(error)
        }
    }

    func runDecoding<T: Sendable>(
        _ statement: CompiledStatement,
        logger: Logger,
        _ decode: @escaping @Sendable (Row) throws -> T
    ) async throws -> [T] {
        guard statement.operationName == "SELECT" else {
            return try await self.run(statement, logger: logger).rows.map(decode)
        }
        let binds = try Self.sqliteBinds(statement.binds)
        let collector = DecodingCollector<T>(decode)
        try self.beginStatement()
        defer { self.endStatement() }
        do {
            // Each row is decoded on the thread that read it, while it is still in cache.
            try await self.connection.queryRows(statement.sql, binds) { collector.append($0) }
        } catch {
            throw SQLiteErrorMapping.map(error)
        }
        return try collector.results()
    }

    func stream<R>(
        _ statement: CompiledStatement,
        logger: Logger,
        _ body: (RowCursor) async throws -> R
    ) async throws -> R {
        let channel = BlockingRowChannel(capacity: 256)
        let binds = try Self.sqliteBinds(statement.binds)
        let connection = self.connection
        try self.beginStatement()
        defer { self.endStatement() }
        // The statement runs on the thread pool; each row blocks that thread (never an event loop)
        // while the channel is full, so memory stays bounded. Unstructured on purpose: the rows
        // must flow to `body` while SQLiteNIO's query call is still running; the task is always
        // awaited (or cancelled and awaited) below, so it never outlives this call.
        let producer = Task {
            do {
                try await connection.queryRows(statement.sql, binds) {
                    channel.push(Self.row($0, columns: channel.columns(for: $0)))
                }
                channel.finish(nil)
            } catch {
                channel.finish(SQLiteErrorMapping.map(error))
            }
        }
        let result: R
        do {
            result = try await body(RowCursor { try await channel.next() })
        } catch {
            channel.cancel()
            _ = await producer.result
            throw error
        }
        channel.cancel()
        _ = await producer.result
        return result
    }

    func cancelRunningStatement() async {
        self.interruptRunningStatement()
    }

    func armStatementDeadline(for timeout: Duration) -> StatementDeadline {
        guard self.interrupt != nil else { return .none }
        return self.watch.arm(for: timeout, on: self.connection.eventLoop) { [weak self] in
            guard let self else { return false }
            if self.watch.expired() { self.interruptRunningStatement() }
            return true
        }
    }

    /// Marks a statement as running before it is queued for the thread pool, so an interrupt that
    /// comes while it waits there is not lost; a task already cancelled does not start it.
    private func beginStatement() throws {
        self.running.withLock { state in
            state.generation &+= 1
            state.isRunning = true
        }
        if Task.isCancelled {
            self.endStatement()
            throw SQLiteErrorMapping.cancelledBeforeStart()
        }
    }

    private func endStatement() { self.running.withLock { $0.isRunning = false } }

    /// Stops the running statement (SQLITE_INTERRUPT at its next VM step; the connection stays
    /// healthy). An interrupt is a no-op until the statement reaches SQLite — it may still wait
    /// for a thread-pool thread — so it is repeated every 5 ms until that statement ends.
    private func interruptRunningStatement() {
        guard let interrupt = self.interrupt,
            let target = self.running.withLock({ $0.isRunning ? $0.generation : nil })
        else { return }
        self.keepInterrupting(target, interrupt)
    }

    private func keepInterrupting(_ target: UInt64, _ interrupt: SQLiteInterrupt) {
        guard self.running.withLock({ $0.isRunning && $0.generation == target }) else { return }
        interrupt.interrupt()
        self.connection.eventLoop.scheduleTask(in: .milliseconds(5)) { [self] in
            self.keepInterrupting(target, interrupt)
        }
    }

    func ping() async -> Bool {
        do {
            try await self.connection.queryRows("SELECT 1", []) { _ in }
            return true
        } catch {
            return false
        }
    }

    func close() async {
        self.watch.stop()
        await self.connection.closeShieldedFromCancellation()
    }

    /// SQLiteNIO reads text up to the first NUL, which would silently cut the value: refuse such
    /// text as PostgreSQL does, so nothing is lost and both backends behave alike.
    static func sqliteBinds(_ values: [DatabaseValue]) throws -> [SQLiteData] {
        try values.map { value in
            if case .text(let text) = value, text.utf8.contains(0) {
                throw DatabaseError(.invalidValue, message: "Text values cannot contain NUL (U+0000) characters")
            }
            return Self.sqliteData(value)
        }
    }

    static func sqliteData(_ value: DatabaseValue) -> SQLiteData {
        switch value {
        case .null: .null
        case .integer(let v): .integer(SQLiteInt64(v))
        case .double(let v): .float(v)
        case .text(let v): .text(v)
        case .blob(let v): .blob(ByteBuffer(bytes: v))
        case .bool(let v): .integer(v ? 1 : 0)
        case .date(let v): .text(TimestampFormat.format(v))
        case .uuid(let v): .text(v.uuidString.lowercased())
        case .json(let v): .text(String(decoding: v, as: UTF8.self))
        case .decimal(let v): Self.sqliteData(decimal: v)
        case .calendarDate(let v): .text(v.description)
        case .timeOfDay(let v): .text(ArrayText.text(of: .timeOfDay(v)))
        // An interval of time only (every Duration) is a number of microseconds, which sorts and
        // sums; one with days or months keeps them apart, exactly, as its ISO 8601 text.
        case .interval(let v): v.isTimeOnly ? .integer(SQLiteInt64(v.microseconds)) : .text(v.description)
        case .array(let elements, _): .text(ArrayText.json(elements))
        case .enumLabel(let v): .text(v)
        }
    }

    /// A decimal as the SQLite value that holds it exactly and compares as a number where it can:
    /// an integer when it is whole and fits, a REAL when the double read back to 15 significant
    /// digits is the same decimal, else its text. `Decimal` columns have BLOB affinity
    /// (`DECIMAL_BLOB`), so SQLite stores each as bound; numbers compare and sort numerically, and
    /// the rare text ones (more digits than a double holds) after every number.
    static func sqliteData(decimal: Decimal) -> SQLiteData {
        if let whole = Int64.fromDatabaseValue(.decimal(decimal)) { return .integer(SQLiteInt64(whole)) }
        let double = NSDecimalNumber(decimal: decimal).doubleValue
        if double.isFinite, Decimal.fromDatabaseValue(.double(double)) == decimal { return .float(double) }
        return .text(decimal.description)
    }

    static func databaseValue(_ data: SQLiteData) -> DatabaseValue {
        switch data {
        case .null: .null
        case .integer(let v): .integer(Int64(v))
        case .float(let v): .double(v)
        case .text(let v): .text(v)
        case .blob(let v): .blob(Data(v.readableBytesView))
        }
    }

    static func row(_ row: SQLiteRow, columns: ColumnNames) -> Row {
        Row(values: row.columns.map { Self.databaseValue($0.data) }, columns: columns)
    }
}

/// Decodes rows as SQLiteNIO delivers them. `@unchecked Sendable` rests on SQLiteNIO's contract
/// for `query(_:_:_:)`: the row callback runs on one thread-pool thread, one row after another,
/// and the query returns only after the last callback, so the buffers are written by one thread
/// at a time and read (`results()`) only after the query's completion orders those writes first.
final class DecodingCollector<T: Sendable>: @unchecked Sendable {
    private let decode: @Sendable (Row) throws -> T
    private var outputs: [T] = []
    private var columns: ColumnNames?
    private var error: (any Error)?

    init(_ decode: @escaping @Sendable (Row) throws -> T) { self.decode = decode }

    /// Reused for every row: when the decoded value does not keep the row (a model), the buffer is
    /// uniquely referenced again and refilling it allocates nothing; when it does (`Row` itself),
    /// refilling copies on write and the kept row is untouched.
    private var scratch: [DatabaseValue] = []

    func append(_ row: SQLiteRow) {
        guard self.error == nil else { return }
        let fields = row.columns
        let columns = self.columns ?? ColumnNames(fields.map(\.name))
        self.columns = columns
        self.scratch.removeAll(keepingCapacity: true)
        for field in fields { self.scratch.append(SQLiteDriverConnection.databaseValue(field.data)) }
        do {
            self.outputs.append(try self.decode(Row(values: self.scratch, columns: columns)))
        } catch {
            self.error = error
        }
    }

    func results() throws -> [T] {
        if let error { throw error }
        return self.outputs
    }
}
