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

    public func run(_ compiled: CompiledStatement, logger: Logger?) async throws -> QueryResult {
        try await self.runner.run(compiled, on: self.driverConnection, logger: logger ?? self.logger)
    }

    public func runDecoding<T: Sendable>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        _ decode: @escaping @Sendable (Row) throws -> T
    ) async throws -> [T] {
        try await self.runner.runDecoding(compiled, on: self.driverConnection, logger: logger ?? self.logger, decode)
    }

    public func withRows<R>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        _ body: (RowCursor) async throws -> R
    ) async throws -> R {
        try await self.runner.stream(compiled, on: self.driverConnection, logger: logger ?? self.logger, body)
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
