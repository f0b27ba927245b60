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

    public func execute<R>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        reading reader: RowReader<R>
    ) async throws -> R {
        try await self.engine.run(compiled, on: self.engine.primaryPool, logger: logger, reading: reader)
    }
}
