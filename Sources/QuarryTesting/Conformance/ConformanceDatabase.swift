public import Quarry

/// A database the driver conformance checks run against: how to make a fresh, isolated database
/// on it and an engine for that database. Quarry's own suite runs every check on ``sqlite`` and
/// ``postgres``; a third-party driver describes its database with
/// ``init(name:isPostgreSQL:makeDatabase:makeEngine:)`` and runs the same checks.
///
/// ```swift
/// let mine = ConformanceDatabase(
///     name: "mydb",
///     makeDatabase: { try await TestDatabase.make(.postgres) },
///     makeEngine: { url, configuration in Engine(url: url, driver: try MyDriver(url: url), configuration: configuration) })
/// @Test(arguments: DriverConformance.checks)
/// func conforms(_ check: ConformanceCheck) async throws { try await check.run(on: mine) }
/// ```
public struct ConformanceDatabase: Sendable, Equatable, CustomStringConvertible {
    /// A name for test output.
    public let name: String
    /// Whether the database is PostgreSQL (checks that watch `pg_stat_activity` use it).
    public let isPostgreSQL: Bool
    let makeDatabase: @Sendable () async throws -> TestDatabase
    let makeEngine: @Sendable (DatabaseURL, EngineConfiguration) throws -> Engine

    /// Describes a database under test.
    /// - Parameters:
    ///   - name: A name for test output.
    ///   - isPostgreSQL: Whether the server is PostgreSQL. The default is `false`.
    ///   - makeDatabase: Makes a fresh, isolated database, removed by its ``TestDatabase`` afterwards.
    ///   - makeEngine: Builds an engine with the driver under test for a URL of such a database.
    public init(
        name: String,
        isPostgreSQL: Bool = false,
        makeDatabase: @escaping @Sendable () async throws -> TestDatabase,
        makeEngine: @escaping @Sendable (DatabaseURL, EngineConfiguration) throws -> Engine
    ) {
        self.name = name
        self.isPostgreSQL = isPostgreSQL
        self.makeDatabase = makeDatabase
        self.makeEngine = makeEngine
    }

    /// Quarry's SQLite driver on a temporary file.
    public static let sqlite = ConformanceDatabase(
        name: Backend.sqlite.rawValue,
        makeDatabase: { try await TestDatabase.make(.sqlite) },
        makeEngine: { try Engine(url: $0, configuration: $1) }
    )

    /// Quarry's PostgreSQL driver on a fresh schema of the server `scripts/test` starts.
    public static let postgres = ConformanceDatabase(
        name: Backend.postgres.rawValue,
        isPostgreSQL: true,
        makeDatabase: { try await TestDatabase.make(.postgres) },
        makeEngine: { try Engine(url: $0, configuration: $1) }
    )

    /// Quarry's own databases: ``sqlite`` and ``postgres``.
    public static let quarryDrivers: [ConformanceDatabase] = [.sqlite, .postgres]

    public var description: String { self.name }

    public static func == (lhs: ConformanceDatabase, rhs: ConformanceDatabase) -> Bool { lhs.name == rhs.name }
}

/// Runs `body` with an engine on a fresh, empty database of `database`, removed afterwards (the
/// conformance form of ``withTestEngine(_:applicationName:configure:_:)``).
///
/// ```swift
/// try await withTestEngine(ConformanceDatabase.sqlite) { engine in try await engine.createAll(User.self) }
/// ```
/// - Throws: What `body` throws, or why the database could not be made.
public func withTestEngine<R>(
    _ database: ConformanceDatabase,
    configure: (inout EngineConfiguration) -> Void = { _ in },
    _ body: (Engine) async throws -> R
) async throws -> R {
    let testDatabase = try await database.makeDatabase()
    TestTally.record(database.name)
    var configuration = EngineConfiguration()
    configuration.poolTimeout = .seconds(10)
    configure(&configuration)
    return try await testDatabase.run(database.makeEngine(testDatabase.url, configuration), body)
}
