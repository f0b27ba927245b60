import PostgresNIO

extension PostgresConnection {
    /// Closes the connection even when the calling task is cancelled (a cancelled `close()` may
    /// return before the socket is closed, leaking the server session).
    func closeShieldedFromCancellation() async {
        // Unstructured on purpose, and awaited: it does not inherit the caller's cancellation.
        await Task { try? await self.close() }.value
    }
}
