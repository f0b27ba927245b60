public import Logging
public import QuarryCore

/// Runs every statement on the engine's primary, never on a read replica: ``Engine/primary``.
///
/// ```swift
/// let user = try await engine.primary.one(select(User.self).where(\.id == id))
/// ```
public struct PrimaryExecutor: DatabaseExecutor, Sendable {
    let engine: Engine

    public var dialect: Dialect { self.engine.dialect }

    public func run(_ compiled: CompiledStatement, logger: Logger?) async throws -> QueryResult {
        try await self.engine.withConnection(from: self.engine.primaryPool, logger: logger) {
            try await $0.run(compiled, logger: logger)
        }
    }

    public func runDecoding<T: Sendable>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        _ decode: @escaping @Sendable (Row) throws -> T
    ) async throws -> [T] {
        try await self.engine.withConnection(from: self.engine.primaryPool, logger: logger) {
            try await $0.runDecoding(compiled, logger: logger, decode)
        }
    }

    public func withRows<R>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        _ body: (RowCursor) async throws -> R
    ) async throws -> R {
        try await self.engine.withConnection(from: self.engine.primaryPool, logger: logger) {
            try await $0.withRows(compiled, logger: logger, body)
        }
    }
}
