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
    /// - Returns: The names applied by this call (empty when the database was up to date).
    /// - Throws: ``MigrationError`` (`unknownAppliedMigrations`, `duplicateName`, `failed`), or
    ///   `DatabaseError` when the database cannot be reached.
    @discardableResult
    public func migrate(_ engine: Engine) async throws -> [String] {
        var names: Set<String> = []
        for migration in self.migrations where !names.insert(migration.name).inserted {
            throw MigrationError(.duplicateName, migrations: [migration.name])
        }
        return try await self.applyPending(on: engine, known: names)
    }

    /// The names recorded in `quarry_migrations`, in the order they were applied.
    /// - Throws: `DatabaseError`.
    public static func appliedMigrations(on executor: some DatabaseExecutor) async throws -> [String] {
        try await executor.execute(Self.createTable(executor.dialect))
        return try await executor.all(SQLQuery<String>("SELECT name FROM quarry_migrations ORDER BY applied_order"))
    }

    /// Each step is its own transaction, run again on a serialization failure — SQLite's busy
    /// write lock when another process migrates the same file at that moment and its
    /// `busy_timeout` ran out (two migrators on one SQLite file once failed on `BEGIN IMMEDIATE`).
    private static let retries = 9

    private func applyPending(on engine: Engine, known: Set<String>) async throws -> [String] {
        let recorded = try await engine.withTransaction(retries: Self.retries) { tx in
            // Lock before CREATE TABLE IF NOT EXISTS: two PostgreSQL sessions creating it at
            // once can both try, and one fails on pg_type's unique index.
            try await Self.lock(tx)
            return try await Self.appliedMigrations(on: tx)
        }
        let unknown = recorded.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw MigrationError(.unknownAppliedMigrations, migrations: unknown) }
        var applied: [String] = []
        for (order, migration) in self.migrations.enumerated() where !recorded.contains(migration.name) {
            let ran: Bool
            do {
                ran = try await engine.withTransaction(retries: Self.retries) { tx in
                    // Re-check under the lock: another migrator may have won.
                    try await Self.lock(tx)
                    let done = try await tx.scalar(
                        SQLQuery<Int>("SELECT count(*) FROM quarry_migrations WHERE name = \(migration.name)")
                    )
                    guard done == 0 else { return false }
                    try await migration.body(tx)
                    try await tx.execute(
                        SQL("INSERT INTO quarry_migrations (name, applied_order) VALUES (\(migration.name), \(order))")
                    )
                    return true
                }
            } catch {
                throw MigrationError(.failed, migrations: [migration.name], underlying: SendableErrorBox(error))
            }
            if ran {
                self.logger.notice("Applied migration", metadata: ["quarry.migration": "\(migration.name)"])
                applied.append(migration.name)
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

    static func createTable(_ dialect: Dialect) -> SQL {
        SQL(
            unsafeRaw:
                "CREATE TABLE IF NOT EXISTS quarry_migrations (name TEXT PRIMARY KEY, applied_order INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        )
    }
}
