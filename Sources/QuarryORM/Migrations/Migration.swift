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

/// A migration failure, naming the migration(s) involved.
///
/// ```swift
/// do {
///     try await Migrator(migrations).migrate(engine)
/// } catch let error as MigrationError where error.code == .failed {
///     print(error.migrations, error)    // ["002_posts_title_index"], with the database's reason
/// }
/// ```
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a value a caller can switch on; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case unknownAppliedMigrations, duplicateName, failed
        }
        let base: Base

        /// The database records migrations this code does not define (a newer release ran, or
        /// one was renamed): refusing is safer than guessing.
        public static let unknownAppliedMigrations = Code(base: .unknownAppliedMigrations)
        /// Two migrations share a name.
        public static let duplicateName = Code(base: .duplicateName)
        /// A migration threw; its transaction was rolled back.
        public static let failed = Code(base: .failed)

        public var description: String { self.base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The migrations involved: the unknown applied ones, the duplicated name, or the one that failed.
    public let migrations: [String]
    /// The underlying error, for `Code.failed`.
    public let underlying: (any Error & Sendable)?

    init(_ code: Code, migrations: [String], underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.migrations = migrations
        self.underlying = underlying
    }

    public var description: String {
        switch self.code.base {
        case .unknownAppliedMigrations:
            "MigrationError.unknownAppliedMigrations: the database has applied migrations this code does not know: \(self.migrations.joined(separator: ", "))"
        case .duplicateName:
            "MigrationError.duplicateName: two migrations are named \(self.migrations.joined(separator: ", "))"
        case .failed:
            "MigrationError.failed: migration \(self.migrations.joined(separator: ", ")) failed and was rolled back: \(self.underlying.map { "\($0)" } ?? "unknown error")"
        }
    }
}

extension MigrationError.Code {
    /// Matches an error against a code: `catch MigrationError.Code.failed`.
    public static func ~= (code: MigrationError.Code, error: any Error) -> Bool {
        (error as? MigrationError)?.code == code
    }
}
