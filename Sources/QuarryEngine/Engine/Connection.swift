public import Logging
public import QuarryCore

/// One leased connection, lent to a closure by ``Engine/withConnection(_:)``. Statements on it run
/// one after another; it must not escape the closure.
///
/// ```swift
/// try await engine.withConnection { connection in
///     try await connection.withTransaction { tx in
///         try await tx.execute(insert(user))
///     }
/// }
/// ```
public struct Connection: DatabaseExecutor {
    let driverConnection: any DriverConnection
    let runner: StatementRunner
    let logger: Logger
    let state: ConnectionState

    init(_ driverConnection: any DriverConnection, runner: StatementRunner, logger: Logger) {
        self.driverConnection = driverConnection
        self.runner = runner
        self.logger = logger
        self.state = ConnectionState()
    }

    public var dialect: Dialect { self.runner.dialect }

    /// `true` inside ``withTransaction(isolation:_:)``.
    public var isInTransaction: Bool { self.state.transactionDepth > 0 }

    public func execute<R>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        reading reader: RowReader<R>
    ) async throws -> R {
        try await self.runner.execute(compiled, on: self.driverConnection, logger: logger ?? self.logger, reader)
    }
}

@available(*, unavailable)
extension Connection: Sendable {}

/// Transaction nesting of one connection.
final class ConnectionState {
    var transactionDepth = 0
    /// Set when a rollback failed: the connection's state is unknown and it must not be reused.
    var isPoisoned = false
}
