@_spi(Locking) import QuarryEngine
import SQLiteNIO

extension SQLiteConnection {
    /// SQLiteNIO's `query(_:_:_:)`: runs `sql` on the thread pool, calling `onRow` there for each
    /// row, and returns after the last. Afterwards the task is ordered after the thread-pool job for
    /// ThreadSanitizer (see `ThreadSanitizerResume`), so what `onRow` collected can be read.
    func queryRows(
        _ sql: String,
        _ binds: [SQLiteData],
        _ onRow: @escaping @Sendable (SQLiteRow) -> Void
    ) async throws {
        defer { ThreadSanitizerResume.acquire() }
        try await self.query(sql, binds, onRow)
    }
}
