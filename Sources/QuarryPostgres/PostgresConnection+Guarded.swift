import Logging
import NIOCore
import PostgresNIO
import QuarryCore

extension PostgresConnection {
    /// The error for a statement sent on a connection the server has already closed.
    static let closedByServer = DatabaseError(
        .closed,
        message: "The database closed this connection (server restart or shutdown)"
    )

    /// Runs `query` and collects its rows, or fails at once when the connection is closed.
    ///
    /// PostgresNIO writes a query to its channel with no promise, so a query written to a channel
    /// that has just closed is dropped and its result never arrives: a statement on a connection
    /// the server closed waited forever (found by `scripts/chaos`, database restart under load).
    /// On the connection's event loop the closed check and the write are one step, so the channel
    /// cannot close between them.
    ///
    /// ```swift
    /// let result = try await connection.queryUnlessClosed("SELECT 1", logger: logger).get()
    /// ```
    func queryUnlessClosed(_ query: PostgresQuery, logger: Logger) -> EventLoopFuture<PostgresQueryResult> {
        self.eventLoop.flatSubmit {
            self.isClosed ? self.eventLoop.makeFailedFuture(Self.closedByServer) : self.query(query, logger: logger)
        }
    }
}
