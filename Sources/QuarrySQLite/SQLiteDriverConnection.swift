import Foundation
import Logging
import NIOCore
import QuarryCore
import QuarryEngine
import SQLiteNIO

/// One SQLiteNIO connection behind Quarry's driver seam.
final class SQLiteDriverConnection: DriverConnection {
    let connection: SQLiteConnection
    let id: Int

    init(connection: SQLiteConnection, id: Int) {
        self.connection = connection
        self.id = id
    }

    var isUsable: Bool { !self.connection.isClosed }

    func run(_ statement: CompiledStatement, logger: Logger) async throws -> QueryResult {
        let binds = try Self.sqliteBinds(statement.binds)
        let collector = DecodingCollector<Row> { $0 }
        do {
            try await self.connection.query(statement.sql, binds) { collector.append($0) }
            let rows = try collector.results()
            // How many rows a write changed (not routing: the statement already runs here).
            if rows.isEmpty, statement.operationName != "SELECT", !statement.sql.hasPrefix("PRAGMA") {
                let changes = DecodingCollector<Row> { $0 }
                try await self.connection.query("SELECT changes()", []) { changes.append($0) }
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
        do {
            // Each row is decoded on the thread that read it, while it is still in cache.
            try await self.connection.query(statement.sql, binds) { collector.append($0) }
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
        // The statement runs on the thread pool; each row blocks that thread (never an event loop)
        // while the channel is full, so memory stays bounded. Unstructured on purpose: the rows
        // must flow to `body` while SQLiteNIO's query call is still running; the task is always
        // awaited (or cancelled and awaited) below, so it never outlives this call.
        let producer = Task {
            do {
                try await connection.query(statement.sql, binds) {
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
        // SQLiteNIO does not expose sqlite3_interrupt; statements run to completion on the thread
        // pool and the engine keeps the connection, which is healthy afterwards.
    }

    func ping() async -> Bool {
        do {
            try await self.connection.query("SELECT 1", []) { _ in }
            return true
        } catch {
            return false
        }
    }

    func close() async {
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
        }
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
