extension Session {
    /// Runs several fetches concurrently and returns their results as a typed tuple: the
    /// tutorial's `asyncio.gather`, correct on one session. Outside a transaction each runs on its
    /// own pooled connection, in parallel; inside one they run one after another on the
    /// transaction's connection and see the same transaction.
    ///
    /// ```swift
    /// let (user, posts) = try await session.gather(
    ///     select(User.self).where(\.id == 42).oneOrNone(),
    ///     select(Post.self).where(\.userId == 42).orderBy(\.id).all())
    /// ```
    /// - Throws: The first error any fetch throws; the others are cancelled.
    public func gather<each Result: Sendable>(_ fetches: repeat Fetch<each Result>) async throws -> (repeat each Result)
    {
        var jobs: [@Sendable (Session) async throws -> any Sendable] = []
        for fetch in repeat each fetches { jobs.append { try await fetch.perform($0) } }
        let results = try await withThrowingTaskGroup(of: (Int, any Sendable).self) { group in
            for (index, job) in jobs.enumerated() {
                group.addTask { (index, try await job(self)) }
            }
            var results = [(any Sendable)?](repeating: nil, count: jobs.count)
            for try await (index, value) in group { results[index] = value }
            return results
        }
        var position = 0
        func take<R>(_ fetch: Fetch<R>) -> R {
            defer { position += 1 }
            // Invariant: results[position] was produced by this very fetch, so it is an R.
            return results[position] as! R
        }
        return (repeat take(each fetches))
    }
}
