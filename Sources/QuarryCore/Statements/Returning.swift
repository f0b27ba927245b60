/// An `INSERT`, `UPDATE` or `DELETE` with a `RETURNING` clause, decoding the affected rows.
///
/// ```swift
/// let deleted = try await engine.all(delete(from: Post.self).where(\.userId == 7).returning())
/// ```
public struct Returning<Base: Statement, Output: Sendable>: RowProducing {
    let base: Base
    let decoder: @Sendable (Row) throws -> Output

    public func compile(into builder: inout SQLBuilder) throws { try self.base.compile(into: &builder) }

    public var kind: StatementKind { self.base.kind }

    public func decode(_ row: Row) throws -> Output { try self.decoder(row) }
}

extension Returning {
    /// The base statement's parts, each with the same `RETURNING`.
    public func compiledChunks(for dialect: Dialect) throws -> [CompiledStatement]? {
        try self.base.compiledChunks(for: dialect)
    }
}
