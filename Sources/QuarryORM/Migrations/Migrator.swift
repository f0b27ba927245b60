public import Logging
import QuarryCore
public import QuarryEngine

/// Applies ``Migration``s in order, each once, recording them in `quarry_migrations`.
///
/// On PostgreSQL a session-level advisory lock makes concurrent migrators (several app
/// instances starting at once) take turns, so each migration runs exactly once; on SQLite each
/// migration's `BEGIN IMMEDIATE` transaction re-checks the record under the write lock.
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
    public init(_ migrations: [Migration], logger: Logger = Logger(label: "quarry.migrations", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies the migrations not yet recorded.
    /// - Returns: The names applied by this call (empty when the database was up to date).
    /// - Throws: ``MigrationError`` (`unknownAppliedMigrations`, `duplicateName`, `failed`), or
    ///   ``QuarryCore/DatabaseError`` when the database cannot be reached.
    @discardableResult
    public func migrate(_ engine: Engine) async throws -> [String] {
        var names: Set<String> = []
        for migration in self.migrations where !names.insert(migration.name).inserted {
            throw MigrationError(kind: .duplicateName(migration.name), underlying: nil)
        }
        return try await engine.withConnection { connection in
            // Lock first: two PostgreSQL sessions running CREATE TABLE IF NOT EXISTS at once can
            // both try to create it and one fails on pg_type's unique index.
            let locked = connection.dialect == .postgresql
            if locked { try await connection.execute(SQL("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")) }
            do {
                let applied = try await self.applyPending(on: connection, known: names)
                if locked { try await connection.execute(SQL("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")) }
                return applied
            } catch {
                // Closing the connection would also free the lock; unlock to keep it reusable.
                if locked { _ = try? await connection.execute(SQL("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")) }
                throw error
            }
        }
    }

    /// The names recorded in `quarry_migrations`, in the order they were applied.
    /// - Throws: ``QuarryCore/DatabaseError``.
    public static func appliedMigrations(on executor: some DatabaseExecutor) async throws -> [String] {
        try await executor.execute(Self.createTable(executor.dialect))
        return try await executor.all(SQLQuery<String>("SELECT name FROM quarry_migrations ORDER BY applied_order"))
    }

    private func applyPending(on connection: Connection, known: Set<String>) async throws -> [String] {
        let recorded = try await Self.appliedMigrations(on: connection)
        let unknown = recorded.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw MigrationError(kind: .unknownAppliedMigrations(unknown), underlying: nil) }
        var applied: [String] = []
        for (order, migration) in self.migrations.enumerated() where !recorded.contains(migration.name) {
            let ran: Bool
            do {
                ran = try await connection.withTransaction { tx in
                    // Re-check under the transaction's lock: another migrator may have won.
                    let done = try await tx.scalar(SQLQuery<Int>("SELECT count(*) FROM quarry_migrations WHERE name = \(migration.name)"))
                    guard done == 0 else { return false }
                    try await migration.body(tx)
                    try await tx.execute(SQL("INSERT INTO quarry_migrations (name, applied_order) VALUES (\(migration.name), \(order))"))
                    return true
                }
            } catch {
                throw MigrationError(kind: .failed(migration.name), underlying: SendableErrorBox(error))
            }
            if ran {
                self.logger.notice("Applied migration", metadata: ["quarry.migration": "\(migration.name)"])
                applied.append(migration.name)
            }
        }
        return applied
    }

    static func createTable(_ dialect: Dialect) -> SQL {
        SQL(unsafeRaw: "CREATE TABLE IF NOT EXISTS quarry_migrations (name TEXT PRIMARY KEY, applied_order INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)")
    }
}
