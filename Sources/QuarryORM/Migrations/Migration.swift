public import QuarryCore
public import QuarryEngine

/// One named step of a schema's history: Swift code or SQL, run once, in its own transaction.
///
/// ```swift
/// let migrations = [
///     Migration("001_create_users_and_posts") { db in try await db.createAll(User.self, Post.self) },
///     Migration("002_posts_title_index", sql: "CREATE INDEX posts_title ON posts (title)"),
/// ]
/// try await Migrator(migrations).migrate(engine)
/// ```
public struct Migration: Sendable {
    /// The unique name recorded in `quarry_migrations`; never rename an applied migration.
    public let name: String
    let body: @Sendable (Connection) async throws -> Void

    /// A migration written in Swift; `body` receives the connection of its transaction.
    public init(_ name: String, _ body: @escaping @Sendable (Connection) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// A migration of one or more SQL statements (each one bound and run in order).
    public init(_ name: String, sql statements: SQL...) {
        self.name = name
        self.body = { connection in
            for statement in statements { try await connection.execute(statement) }
        }
    }
}

/// A migration failure with the migration's name.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The database records migrations this code does not define (a newer release ran, or
        /// one was renamed): refusing is safer than guessing.
        case unknownAppliedMigrations([String])
        /// Two migrations share a name.
        case duplicateName(String)
        /// A migration threw; its transaction was rolled back.
        case failed(String)
    }

    /// The kind of failure.
    public let kind: Kind
    /// The underlying error for `.failed`.
    public let underlying: (any Error & Sendable)?

    public var description: String {
        switch self.kind {
        case .unknownAppliedMigrations(let names):
            return "MigrationError: the database has applied migrations this code does not know: \(names.joined(separator: ", "))"
        case .duplicateName(let name):
            return "MigrationError: two migrations are named \(name)"
        case .failed(let name):
            return "MigrationError: migration \(name) failed and was rolled back: \(self.underlying.map { "\($0)" } ?? "unknown error")"
        }
    }
}
