public import QuarryCore
public import QuarryEngine

/// One named step of a schema's history, run once, in its own transaction: a list of
/// `SchemaChange` steps (whose `down` Quarry derives), SQL, or Swift code with an optional `down`.
///
/// ```swift
/// let migrations = [
///     Migration("001_create_users_and_posts", up: [
///         .createTable(TableDefinition("users", columns: [
///             ColumnDefinition("id", type: .integer64, isIdentity: true),
///             ColumnDefinition("email", type: .text),
///         ], primaryKey: ["id"])),
///     ]),
///     Migration("002_posts_title_index", sql: "CREATE INDEX posts_title ON posts (title)"),
///     Migration("003_backfill", up: { db in try await db.execute(SQL("UPDATE users SET email = lower(email)")) }),
/// ]
/// try await Migrator(migrations).migrate(engine)
/// ```
public struct Migration: Sendable {
    /// The unique name recorded in `quarry_migrations`; never rename an applied migration.
    public let name: String
    let up: @Sendable (Connection) async throws -> Void
    let down: (@Sendable (Connection) async throws -> Void)?
    /// A digest of what the migration does (its steps' SQL), recorded when it is applied: a
    /// migration edited after it ran is reported (`MigrationError.Code.checksumMismatch`).
    /// `nil` for a migration written as Swift code without an explicit checksum.
    public let checksum: String?
    /// The statements of `up` in a dialect, when they are known without running anything.
    let plannedSQL: (@Sendable (Dialect) -> [String])?

    /// `true` when the migration can be rolled back.
    public var isReversible: Bool { self.down != nil }

    /// A migration of schema changes. `down` defaults to the inverse of `up`, step by step in
    /// reverse; a raw `.sql` step without `reverse` makes the migration irreversible unless
    /// `down` is given.
    public init(_ name: String, up: [SchemaChange], down: [SchemaChange]? = nil) {
        self.name = name
        self.up = { @Sendable connection in try await connection.apply(up) }
        let undo = down ?? Self.inverse(of: up)
        if let undo {
            self.down = { @Sendable connection in try await connection.apply(undo) }
        } else {
            self.down = nil
        }
        self.checksum = Checksum.of(up.flatMap { $0.sql(for: .postgresql) ?? [] })
        self.plannedSQL = { dialect in up.flatMap { Self.planned($0, dialect) } }
    }

    /// A migration written in Swift; each closure receives the connection of its transaction.
    /// Give a `checksum` (any text that changes when the code does) to have edits reported.
    public init(
        _ name: String,
        checksum: String? = nil,
        up: @escaping @Sendable (Connection) async throws -> Void,
        down: (@Sendable (Connection) async throws -> Void)? = nil
    ) {
        self.name = name
        self.up = up
        self.down = down
        self.checksum = checksum
        self.plannedSQL = nil
    }

    /// A migration written in Swift, forward only (the form of earlier releases).
    public init(_ name: String, _ body: @escaping @Sendable (Connection) async throws -> Void) {
        self.init(name, up: body)
    }

    /// A migration of one or more SQL statements (each one bound and run in order).
    public init(_ name: String, sql statements: SQL...) {
        self.name = name
        self.up = { connection in
            for statement in statements { try await connection.execute(statement) }
        }
        self.down = nil
        let texts = statements.compactMap { try? $0.compile(for: .postgresql).sql }
        self.checksum = Checksum.of(texts)
        self.plannedSQL = { dialect in statements.compactMap { try? $0.compile(for: dialect).sql } }
    }

    static func inverse(of steps: [SchemaChange]) -> [SchemaChange]? {
        var undo: [SchemaChange] = []
        for step in steps.reversed() {
            guard let inverse = step.inverse else { return nil }
            undo.append(inverse)
        }
        return undo
    }

    static func planned(_ step: SchemaChange, _ dialect: Dialect) -> [String] {
        if let statements = step.sql(for: dialect) { return statements }
        return [
            "-- SQLite rebuilds table \(step.tableName ?? "?") here (new table, rows copied, old dropped, renamed, indexes, triggers and views recreated) for: \(step.swiftExpression.prefix(200))"
        ]
    }
}

/// A stable digest of migration text (64-bit FNV-1a, hex): detects edits, not tampering.
enum Checksum {
    static func of(_ texts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in texts.joined(separator: ";\n").utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
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
            case unknownAppliedMigrations, duplicateName, failed, checksumMismatch, irreversible
        }
        let base: Base

        /// The database records migrations this code does not define (a newer release ran, or
        /// one was renamed): refusing is safer than guessing.
        public static let unknownAppliedMigrations = Code(base: .unknownAppliedMigrations)
        /// Two migrations share a name.
        public static let duplicateName = Code(base: .duplicateName)
        /// A migration threw; its transaction was rolled back.
        public static let failed = Code(base: .failed)
        /// A migration was edited after it was applied: its checksum differs from the recorded one.
        public static let checksumMismatch = Code(base: .checksumMismatch)
        /// A rollback reached a migration that has no `down`.
        public static let irreversible = Code(base: .irreversible)

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
        case .checksumMismatch:
            "MigrationError.checksumMismatch: applied migrations were edited since they ran (their checksums differ from the recorded ones): \(self.migrations.joined(separator: ", ")); add a new migration instead"
        case .irreversible:
            "MigrationError.irreversible: migration \(self.migrations.joined(separator: ", ")) has no down step and cannot be rolled back"
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
