import QuarryCore

/// Decoded rows as they arrive from the database: an `AsyncSequence` with backpressure (the
/// database is read only as fast as the loop consumes). Valid only inside the `stream` closure.
///
/// ```swift
/// try await engine.stream(select(Post.self)) { posts in
///     for try await post in posts { total += post.body.count }
/// }
/// ```
public struct RowStream<Output>: AsyncSequence {
    public typealias Element = Output
    let cursor: RowCursor
    let decode: (Row) throws -> Output

    /// Iterates the rows.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var cursor: RowCursor
        let decode: (Row) throws -> Output

        public mutating func next() async throws -> Output? {
            guard let row = try await self.cursor.next() else { return nil }
            return try self.decode(row)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(cursor: self.cursor, decode: self.decode) }
}

@available(*, unavailable)
extension RowStream: Sendable {}
