import Logging
public import QuarryCore

/// How a statement's rows are read on the connection that runs it: all collected
/// (``rows``), decoded as they arrive (``decoded(_:)``), or streamed to a closure with
/// backpressure (``streamed(_:)``). The one thing every ``DatabaseExecutor`` is asked to do is
/// ``DatabaseExecutor/execute(_:logger:reading:)`` with a reader; `all`, `one`, `scalar`, `stream`
/// and the rest are written once, over it.
///
/// ```swift
/// let compiled = try select(User.self).compile(for: engine.dialect)
/// let result = try await engine.execute(compiled, logger: nil, reading: .rows)
/// print(result.rows.count, result.rowsAffected)
/// ```
public struct RowReader<Result> {
    let read:
        (_ connection: any DriverConnection, _ statement: CompiledStatement, _ logger: Logger) async throws -> Result
    /// How many rows the result holds, for the echo log; `nil` when not known.
    let rowCount: (Result) -> Int?

    /// A reader from a driver-level read.
    init(
        read: @escaping (any DriverConnection, CompiledStatement, Logger) async throws -> Result,
        rowCount: @escaping (Result) -> Int?
    ) {
        self.read = read
        self.rowCount = rowCount
    }
}

extension RowReader where Result == QueryResult {
    /// Every row, collected, and the number of rows the statement changed.
    public static var rows: RowReader<QueryResult> {
        RowReader(read: { try await $0.run($1, logger: $2) }, rowCount: { $0.rowsAffected })
    }
}

extension RowReader {
    /// Every row, decoded by `decode` as it is read (drivers that read rows on another thread
    /// decode them there, while the row is still in cache).
    public static func decoded<T: Sendable>(_ decode: @escaping @Sendable (Row) throws -> T) -> RowReader<[T]>
    where Result == [T] {
        RowReader(read: { try await $0.runDecoding($1, logger: $2, decode) }, rowCount: { $0.count })
    }

    /// The rows handed to `body` as they arrive, with backpressure; memory stays bounded whatever
    /// the result size. `body` must not keep the cursor.
    public static func streamed(_ body: @escaping (RowCursor) async throws -> Result) -> RowReader<Result> {
        RowReader(read: { try await $0.stream($1, logger: $2, body) }, rowCount: { _ in nil })
    }
}

@available(*, unavailable)
extension RowReader: Sendable {}
