/// A row-locking clause of a `SELECT` (PostgreSQL's `FOR UPDATE`, `FOR NO KEY UPDATE`,
/// `FOR SHARE`, `FOR KEY SHARE`, with `NOWAIT` or `SKIP LOCKED`).
///
/// A locking select is a ``StatementKind/lockingRead``: the engine runs it only inside a
/// transaction, on the primary. SQLite has no row locks — a write transaction already excludes
/// every other writer — so compiling one for SQLite throws ``CompileError`` `unsupportedByDialect`
/// rather than dropping the clause silently.
///
/// ```swift
/// // A job queue: each worker takes the oldest job no other worker holds.
/// let job = select(Job.self)
///     .where(\.state == "queued")
///     .orderBy(Job.Columns.id.asc)
///     .limit(1)
///     .forUpdate(.skipLocked)
/// ```
public struct RowLock: Sendable, Hashable {
    /// How strongly the selected rows are locked.
    public enum Strength: String, Sendable, Hashable {
        /// `FOR UPDATE`: blocks updates, deletes and every other lock, including foreign-key checks
        /// of rows being inserted elsewhere that reference these rows.
        case update = "UPDATE"
        /// `FOR NO KEY UPDATE`: like ``update`` but lets foreign-key checks through.
        case noKeyUpdate = "NO KEY UPDATE"
        /// `FOR SHARE`: blocks updates and deletes, not other readers that lock.
        case share = "SHARE"
        /// `FOR KEY SHARE`: blocks only deletes and key changes.
        case keyShare = "KEY SHARE"
    }

    /// What happens when a row is already locked by another transaction.
    public enum Waiting: Sendable, Hashable {
        /// Wait for the other transaction (the default).
        case wait
        /// Fail at once with `DatabaseError` `lockTimeout` (`NOWAIT`).
        case noWait
        /// Leave locked rows out of the result (`SKIP LOCKED`): the job-queue idiom.
        case skipLocked
    }

    /// The lock's strength.
    public var strength: Strength
    /// The behaviour on a locked row.
    public var waiting: Waiting

    /// A lock of `strength`.
    public init(_ strength: Strength, _ waiting: Waiting = .wait) {
        self.strength = strength
        self.waiting = waiting
    }

    func compile(into builder: inout SQLBuilder) throws {
        try builder.requirePostgreSQL(
            "\(builder.dialect.name) has no row locks (SELECT … FOR \(self.strength.rawValue)); a write transaction there already excludes other writers"
        )
        builder.append(" FOR \(self.strength.rawValue)")
        switch self.waiting {
        case .wait: break
        case .noWait: builder.append(" NOWAIT")
        case .skipLocked: builder.append(" SKIP LOCKED")
        }
    }
}

extension Select {
    /// Locks the selected rows until the transaction ends (`FOR UPDATE`); see ``RowLock``.
    ///
    /// ```swift
    /// try await session.withTransaction {
    ///     let user = try await session.one(select(User.self).where(\.id == 1).forUpdate())
    ///     …
    /// }
    /// ```
    public func forUpdate(_ waiting: RowLock.Waiting = .wait) -> Select { self.locking(RowLock(.update, waiting)) }

    /// Locks the selected rows against changes until the transaction ends (`FOR SHARE`).
    public func forShare(_ waiting: RowLock.Waiting = .wait) -> Select { self.locking(RowLock(.share, waiting)) }

    /// Locks the selected rows with `lock` until the transaction ends.
    public func locking(_ lock: RowLock) -> Select {
        var copy = self
        copy.core.lock = lock
        return copy
    }
}
