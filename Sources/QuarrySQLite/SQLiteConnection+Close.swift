import SQLiteNIO

extension SQLiteConnection {
    /// Closes the connection even when the calling task is cancelled: SQLiteNIO's `close()` runs
    /// on the thread pool, which refuses work for a cancelled task, and a connection dropped
    /// unclosed leaks its file handle.
    func closeShieldedFromCancellation() async {
        // Unstructured on purpose, and awaited: it does not inherit the caller's cancellation.
        await Task { try? await self.close() }.value
    }
}
