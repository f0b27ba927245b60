public import Foundation
public import Logging
import QuarryCore
public import QuarryEngine

/// Applies ``Migration``s in order, each once, recording them in `quarry_migrations`.
///
/// Each migration runs in its own transaction that first takes a lock — a transaction-scoped
/// advisory lock on PostgreSQL (so it also works behind PgBouncer), SQLite's write lock — and
/// re-checks the record, so concurrent migrators (several app instances starting at once) take
/// turns and each migration runs exactly once.
///
/// ```swift
/// let applied = try await Migrator(migrations, logger: logger).migrate(engine)
/// ```
public struct Migrator: Sendable {
    /// The migrations, in the order they are applied.
    public let migrations: [Migration]
    let logger: Logger
    /// The advisory-lock key (an arbitrary constant: "quarry" in ASCII).
    static let advisoryLockKey: Int64 = 0x71_75_61_72_72_79

    /// Creates a migrator.
    public init(
        _ migrations: [Migration],
        logger: Logger = Logger(label: "quarry.migrations", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies the migrations not yet recorded.
    ///
    /// ```swift
    /// try await Migrator(migrations).migrate(engine) { name, took in
    ///     print("applied \(name) in \(took)")
    /// }
    /// ```
    /// - Parameters:
    ///   - engine: The database to migrate.
    ///   - applied: Called after each migration commits, with its name and how long it took
    ///     (progress for long migrations).
    /// - Returns: The names applied by this call (empty when the database was up to date).
    /// - Throws: ``MigrationError`` (`unknownAppliedMigrations`, `checksumMismatch`,
    ///   `duplicateName`, `failed`), or `DatabaseError` when the database cannot be reached.
    @discardableResult
    public func migrate(
        _ engine: Engine,
        applied: (_ name: String, _ duration: Duration) -> Void = { _, _ in }
    ) async throws -> [String] {
        var names: Set<String> = []
        for migration in self.migrations where !names.insert(migration.name).inserted {
            throw MigrationError(.duplicateName, migrations: [migration.name])
        }
        return try await self.applyPending(on: engine, known: names, progress: applied)
    }

    /// The names recorded in `quarry_migrations`, in the order they were applied.
    /// - Throws: `DatabaseError`.
    public static func appliedMigrations(on executor: some DatabaseExecutor) async throws -> [String] {
        try await self.history(on: executor).map(\.name)
    }

    /// The applied migrations, in the order they were applied, with when and their checksums.
    /// - Throws: `DatabaseError`.
    public static func history(on executor: some DatabaseExecutor) async throws -> [AppliedMigration] {
        try await self.prepareTable(executor)
        return try await executor.all(
            SQL("SELECT name, applied_at, checksum FROM quarry_migrations ORDER BY applied_order, applied_at")
        ).map { row in
            AppliedMigration(
                name: try row.decode(String.self, "name"),
                appliedAt: try row.decode(Date.self, "applied_at"),
                checksum: try row.decode(String?.self, "checksum")
            )
        }
    }

    /// Each migration's state: applied or pending, and whether an applied one was edited since.
    /// - Throws: `DatabaseError`.
    public func status(_ engine: Engine) async throws -> [MigrationStatus] {
        self.status(given: try await Self.history(on: engine))
    }

    /// Each migration's state, given the history already read with ``history(on:)``.
    ///
    /// ```swift
    /// let history = try await Migrator.history(on: engine)
    /// let pending = Migrator(migrations).status(given: history).filter { !$0.isApplied }
    /// ```
    /// - Parameter applied: The applied migrations, as ``history(on:)`` returns them.
    /// - Returns: One state per migration of this migrator, in order.
    public func status(given applied: [AppliedMigration]) -> [MigrationStatus] {
        let byName = Dictionary(applied.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return self.migrations.map { migration in
            let record = byName[migration.name]
            return MigrationStatus(
                name: migration.name,
                appliedAt: record?.appliedAt,
                isEdited: record.map { Self.edited(migration, $0) } ?? false
            )
        }
    }

    /// The SQL the pending migrations would run, per migration, without running it (Alembic's
    /// offline mode); a migration written as Swift code is listed with a comment instead.
    /// - Throws: `DatabaseError` reading the applied migrations.
    public func pendingSQL(_ engine: Engine) async throws -> [(migration: String, statements: [String])] {
        let applied = Set(try await Self.appliedMigrations(on: engine))
        return self.migrations.filter { !applied.contains($0.name) }.map { migration in
            (
                migration.name,
                migration.plannedSQL?(engine.dialect)
                    ?? ["-- \(migration.name) is Swift code: its statements are known only when it runs"]
            )
        }
    }

    /// Rolls back the last `count` applied migrations, newest first, each with its `down` in its
    /// own transaction (its record removed in the same transaction).
    /// - Returns: The names rolled back.
    /// - Throws: ``MigrationError`` `irreversible` (nothing of that migration is changed),
    ///   `unknownAppliedMigrations`, `failed`; `DatabaseError`.
    @discardableResult
    public func rollback(_ engine: Engine, count: Int = 1) async throws -> [String] {
        var rolledBack: [String] = []
        for _ in 0..<max(count, 0) {
            let name: String? = try await engine.withSchemaTransaction(retries: Self.retries) { tx in
                try await Self.lock(tx)
                guard let last = try await Self.history(on: tx).last?.name else { return nil }
                guard let migration = self.migrations.first(where: { $0.name == last }) else {
                    throw MigrationError(.unknownAppliedMigrations, migrations: [last])
                }
                guard let down = migration.down else { throw MigrationError(.irreversible, migrations: [last]) }
                do {
                    try await down(tx)
                } catch {
                    throw MigrationError(.failed, migrations: [last], underlying: Self.sendable(error))
                }
                try await tx.execute(SQL("DELETE FROM quarry_migrations WHERE name = \(last)"))
                return last
            }
            guard let name else { break }
            self.logger.notice("Rolled back migration", metadata: ["quarry.migration": "\(name)"])
            rolledBack.append(name)
        }
        return rolledBack
    }

    /// The error as thrown when its type is known to be `Sendable` (a `DatabaseError` keeps its
    /// code for the caller), else its description.
    static func sendable(_ error: any Error) -> any Error & Sendable {
        switch error {
        case let error as DatabaseError: error
        case let error as CompileError: error
        case let error as MigrationError: error
        default: SendableErrorBox(error)
        }
    }

    static func edited(_ migration: Migration, _ record: AppliedMigration) -> Bool {
        guard let recorded = record.checksum, let current = migration.checksum else { return false }
        return recorded != current
    }

    /// Each step is its own transaction, run again on a serialization failure — SQLite's busy
    /// write lock when another process migrates the same file at that moment and its
    /// `busy_timeout` ran out (two migrators on one SQLite file once failed on `BEGIN IMMEDIATE`).
    private static let retries = 9

    private func applyPending(
        on engine: Engine,
        known: Set<String>,
        progress: (String, Duration) -> Void
    ) async throws -> [String] {
        let recorded = try await engine.withTransaction(retries: Self.retries) { tx in
            // Lock before CREATE TABLE IF NOT EXISTS: two PostgreSQL sessions creating it at
            // once can both try, and one fails on pg_type's unique index.
            try await Self.lock(tx)
            return try await Self.history(on: tx)
        }
        let unknown = recorded.map(\.name).filter { !known.contains($0) }
        guard unknown.isEmpty else { throw MigrationError(.unknownAppliedMigrations, migrations: unknown) }
        let edited = self.migrations.filter { migration in
            recorded.first { $0.name == migration.name }.map { Self.edited(migration, $0) } ?? false
        }
        guard edited.isEmpty else { throw MigrationError(.checksumMismatch, migrations: edited.map(\.name)) }
        let done = Set(recorded.map(\.name))
        var applied: [String] = []
        for (order, migration) in self.migrations.enumerated() where !done.contains(migration.name) {
            let ran: Bool
            let started = ContinuousClock.now
            do {
                ran = try await engine.withSchemaTransaction(retries: Self.retries) { tx in
                    // Re-check under the lock: another migrator may have won.
                    try await Self.lock(tx)
                    let done = try await tx.scalar(
                        SQLQuery<Int>("SELECT count(*) FROM quarry_migrations WHERE name = \(migration.name)")
                    )
                    guard done == 0 else { return false }
                    try await migration.up(tx)
                    try await tx.execute(
                        SQL(
                            "INSERT INTO quarry_migrations (name, applied_order, checksum) VALUES (\(migration.name), \(order), \(migration.checksum))"
                        )
                    )
                    return true
                }
            } catch {
                throw MigrationError(.failed, migrations: [migration.name], underlying: Self.sendable(error))
            }
            if ran {
                self.logger.notice("Applied migration", metadata: ["quarry.migration": "\(migration.name)"])
                applied.append(migration.name)
                progress(migration.name, ContinuousClock.now - started)
            }
        }
        return applied
    }

    /// Serializes migrators for the rest of the transaction: a transaction-scoped advisory lock on
    /// PostgreSQL (safe behind PgBouncer's transaction pooling, unlike a session lock); on SQLite
    /// the `BEGIN IMMEDIATE` transaction already holds the write lock.
    static func lock(_ tx: Connection) async throws {
        if tx.dialect == .postgresql {
            try await tx.execute(SQL("SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))"))
        }
    }

    /// Creates `quarry_migrations`, and adds the `checksum` column to one made by an earlier release.
    static func prepareTable(_ executor: some DatabaseExecutor) async throws {
        try await executor.execute(
            SQL(
                unsafeRaw:
                    "CREATE TABLE IF NOT EXISTS quarry_migrations (name TEXT PRIMARY KEY, applied_order INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, checksum TEXT)"
            )
        )
        // Tables written before checksums existed gain the column once; an ALTER on every read
        // would lock the table each time.
        let columnCount =
            executor.dialect == .postgresql
            ? SQLQuery<Int>(
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'quarry_migrations' AND column_name = 'checksum'"
            )
            : SQLQuery<Int>("SELECT count(*) FROM pragma_table_info('quarry_migrations') WHERE name = 'checksum'")
        if try await executor.scalar(columnCount) == 0 {
            try await executor.execute(SQL(unsafeRaw: "ALTER TABLE quarry_migrations ADD COLUMN checksum TEXT"))
        }
    }
}

/// One row of `quarry_migrations`.
public struct AppliedMigration: Sendable, Hashable {
    /// The migration's name.
    public let name: String
    /// When it was applied (UTC).
    public let appliedAt: Date
    /// Its checksum when it was applied; `nil` for a Swift migration without one, or one applied
    /// by a release before checksums.
    public let checksum: String?
}

/// A migration's state in one database, as `quarry migrate status` shows it.
public struct MigrationStatus: Sendable, Hashable {
    /// The migration's name.
    public let name: String
    /// When it was applied; `nil` while pending.
    public let appliedAt: Date?
    /// `true` when it was applied and has been edited since (its checksum differs).
    public let isEdited: Bool
    /// `true` when it was applied.
    public var isApplied: Bool { self.appliedAt != nil }
}
