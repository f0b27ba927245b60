public import Logging
public import QuarryCore
@_spi(Locking) import QuarryEngine
import Synchronization

// Model results loaded through a session are recorded in its identity map, so `get` answers
// from memory and `update` can write only the columns that changed.
extension Session {
    /// Every row, decoded; models are recorded in the identity map.
    /// - Throws: `DatabaseError`, `CompileError`.
    public func all<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> [S.Output]
    where S.Output: Table {
        self.remember(try await self.allRows(statement, logger: logger))
    }

    /// Every row, decoded (SQLAlchemy's `scalars().all()`); models are recorded in the identity map.
    /// - Throws: `DatabaseError`, `CompileError`.
    public func scalars<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> [S.Output]
    where S.Output: Table {
        try await self.all(statement, logger: logger)
    }

    /// Exactly one row; the model is recorded in the identity map.
    /// - Throws: `DatabaseError` `noResult` or `multipleResults`.
    public func one<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> S.Output
    where S.Output: Table {
        self.remember(try await self.oneRow(statement, logger: logger))
    }

    /// One row or `nil`; the model is recorded in the identity map.
    /// - Throws: `DatabaseError` `multipleResults`.
    public func oneOrNone<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> S.Output?
    where S.Output: Table {
        try await self.oneOrNoneRow(statement, logger: logger).map(self.remember)
    }

    /// One row or `nil` (SQLAlchemy's `scalar_one_or_none()`); the model is recorded in the identity map.
    /// - Throws: `DatabaseError` `multipleResults`.
    public func scalarOneOrNone<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> S.Output?
    where S.Output: Table {
        try await self.oneOrNone(statement, logger: logger)
    }

    /// The first row or `nil`; the model is recorded in the identity map.
    /// - Throws: `DatabaseError`.
    public func first<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> S.Output?
    where S.Output: Table {
        try await self.firstRow(statement, logger: logger).map(self.remember)
    }

    // The protocol's implementations, reached under other names to avoid recursion.
    private func allRows<S: RowProducing>(_ s: S, logger: Logger?) async throws -> [S.Output] {
        try await (self as any DatabaseExecutor).all(s, logger: logger)
    }
    private func oneRow<S: RowProducing>(_ s: S, logger: Logger?) async throws -> S.Output {
        try await (self as any DatabaseExecutor).one(s, logger: logger)
    }
    private func oneOrNoneRow<S: RowProducing>(_ s: S, logger: Logger?) async throws -> S.Output? {
        try await (self as any DatabaseExecutor).oneOrNone(s, logger: logger)
    }
    private func firstRow<S: RowProducing>(_ s: S, logger: Logger?) async throws -> S.Output? {
        try await (self as any DatabaseExecutor).first(s, logger: logger)
    }

    @discardableResult
    func remember<T: Table>(_ model: T) -> T {
        self.state.withLockedValue { $0.identityMap.register(model) }
        return model
    }

    func remember<T: Table>(_ models: [T]) -> [T] {
        self.state.withLockedValue { state in for model in models { state.identityMap.register(model) } }
        return models
    }
}
