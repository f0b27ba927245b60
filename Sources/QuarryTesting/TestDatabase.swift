import Foundation
public import Quarry

/// The environment variable holding the throwaway PostgreSQL server's URL (set by `scripts/test`).
public let postgresURLVariable = "QUARRY_TEST_POSTGRES_URL"

/// When set, `QUARRY_TEST_POSTGRES_URL` goes through a pooler (PgBouncer) and this is the server
/// itself: tests then get a database each (created and dropped here) instead of a schema.
public let directURLVariable = "QUARRY_TEST_POSTGRES_DIRECT_URL"

/// Runs `body` with an engine on a fresh, empty database of `backend`: a temporary SQLite file, or
/// a new schema on the test PostgreSQL server. Everything is removed afterwards, even on failure.
///
/// ```swift
/// try await withTestEngine(.postgres) { engine in
///     try await engine.createAll(User.self)
/// }
/// ```
/// - Parameters:
///   - backend: Which database.
///   - applicationName: PostgreSQL's `application_name` for the engine's connections, to find them
///     in `pg_stat_activity`.
///   - configure: Adjusts the engine configuration (pool size, echo, logger).
///   - body: The test.
/// - Throws: What `body` throws; a clear error when `QUARRY_TEST_POSTGRES_URL` is missing.
public func withTestEngine<R>(
    _ backend: Backend,
    applicationName: String? = nil,
    configure: (inout EngineConfiguration) -> Void = { _ in },
    _ body: (Engine) async throws -> R
) async throws -> R {
    let database = try await TestDatabase.make(backend)
    TestTally.record(backend)
    var configuration = EngineConfiguration()
    configuration.poolTimeout = .seconds(10)
    configure(&configuration)
    var url = database.url
    if let applicationName, backend == .postgres { url.query["application_name"] = applicationName }
    return try await database.run(Engine(url: url, configuration: configuration), body)
}

/// One isolated database for one test.
public struct TestDatabase: Sendable {
    /// The URL of the isolated database.
    public let url: DatabaseURL
    let cleanup: @Sendable () async -> Void

    /// Creates an isolated database.
    /// - Throws: When the PostgreSQL URL is missing or the server cannot be reached.
    public static func make(_ backend: Backend) async throws -> TestDatabase {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-test-\(suffix)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("test.db").path
            return TestDatabase(url: .sqlite(path: path)) {
                try? FileManager.default.removeItem(at: directory)
            }
        case .postgres:
            let base = try Self.postgresBaseURL()
            if let direct = ProcessInfo.processInfo.environment[directURLVariable], !direct.isEmpty {
                // Behind a connection pooler (PgBouncer) startup parameters such as search_path
                // are not passed on, so each test gets a database of its own instead of a schema.
                let directURL = try DatabaseURL(direct)
                let name = "t_\(suffix)"
                // FILE_COPY: the default strategy writes the whole template (~8 MB) to WAL, which
                // the test replica then has to replay; a suite's worth of databases put it
                // hundreds of MB behind, past the replica tests' patience.
                try await Self.administer(directURL, "CREATE DATABASE \"\(name)\" STRATEGY FILE_COPY")
                var url = base
                url.database = name
                return TestDatabase(url: url) {
                    try? await Self.administer(directURL, "DROP DATABASE \"\(name)\" WITH (FORCE)")
                }
            }
            let schema = "t_\(suffix)"
            try await Self.administer(base, "CREATE SCHEMA \"\(schema)\"")
            var url = base
            url.query["search_path"] = schema
            return TestDatabase(url: url) {
                try? await Self.administer(base, "DROP SCHEMA \"\(schema)\" CASCADE")
            }
        }
    }

    /// Runs one administrative statement on a short-lived single-connection engine.
    private static func administer(_ url: DatabaseURL, _ sql: String) async throws {
        let admin = try Engine(url: url, configuration: .init(poolSize: 1, maxOverflow: 0))
        do {
            try await admin.execute(SQL(unsafeRaw: sql))
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
    }

    /// The test server's URL.
    /// - Throws: When `QUARRY_TEST_POSTGRES_URL` is not set: run the tests through `scripts/test`.
    public static func postgresBaseURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment[postgresURLVariable], !text.isEmpty else {
            throw DatabaseError(
                .connectionFailed,
                message:
                    "\(postgresURLVariable) is not set: run the suite with scripts/test, which starts a throwaway PostgreSQL server"
            )
        }
        return try DatabaseURL(text)
    }
}

extension TestDatabase {
    /// The environment variable holding the test server's streaming replica URL (set by
    /// `scripts/test`).
    public static let replicaURLVariable = "QUARRY_TEST_REPLICA_URL"

    /// This database as seen through the streaming replica (same schema).
    /// - Throws: When `QUARRY_TEST_REPLICA_URL` is not set or this is not a PostgreSQL database.
    public func replicaURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment[Self.replicaURLVariable], !text.isEmpty else {
            throw DatabaseError(
                .connectionFailed,
                message:
                    "\(Self.replicaURLVariable) is not set: run the suite with scripts/test, which starts a replica"
            )
        }
        var replica = try DatabaseURL(text)
        replica.query["search_path"] = self.url.query["search_path"]
        replica.database = self.url.database
        return replica
    }

    /// Drops the database (for tests that build their own engines).
    public func remove() async { await self.cleanup() }

    /// Runs `body` with `engine` (built by the test on this database), then shuts the engine down
    /// and drops the database, also when `body` throws.
    ///
    /// ```swift
    /// let database = try await TestDatabase.make(.postgres)
    /// try await database.run(Engine(url: database.url)) { engine in try await engine.createAll(User.self) }
    /// ```
    public func run<R>(_ engine: Engine, _ body: (Engine) async throws -> R) async throws -> R {
        do {
            let result = try await engine.shuttingDown(after: body)
            await self.cleanup()
            return result
        } catch {
            await self.cleanup()
            throw error
        }
    }

    /// Runs `body` with the URL of a PostgreSQL database of its own (not a schema), created for
    /// it and dropped afterwards, for tests that load a dump or change database-level settings.
    /// It is created through the direct URL when the suite runs behind PgBouncer; `settings`
    /// are SQL statements run on the admin connection after `CREATE DATABASE`, with `{db}`
    /// standing for the database's name.
    ///
    /// ```swift
    /// try await TestDatabase.withOwnPostgreSQLDatabase(["ALTER DATABASE {db} SET timezone TO 'Asia/Tokyo'"]) { url in … }
    /// ```
    /// - Returns: The database's name and URL, through `body`.
    public static func withOwnPostgreSQLDatabase(
        _ settings: [String] = [],
        _ body: (_ url: DatabaseURL, _ direct: DatabaseURL) async throws -> Void
    ) async throws {
        let base = try Self.postgresBaseURL()
        let environment = ProcessInfo.processInfo.environment[directURLVariable] ?? ""
        let direct = environment.isEmpty ? base : try DatabaseURL(environment)
        let name = "t_own_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try Engine(url: direct, configuration: .init(poolSize: 1, maxOverflow: 0))
        func drop() async {
            _ = try? await admin.execute(SQL(unsafeRaw: "DROP DATABASE \"\(name)\" WITH (FORCE)"))
            await admin.shutdown()
        }
        var url = base
        url.database = name
        url.query["search_path"] = nil
        var directURL = direct
        directURL.database = name
        directURL.query["search_path"] = nil
        do {
            try await admin.execute(SQL(unsafeRaw: "CREATE DATABASE \"\(name)\""))
            for setting in settings {
                try await admin.execute(SQL(unsafeRaw: setting.replacingOccurrences(of: "{db}", with: "\"\(name)\"")))
            }
            try await body(url, directURL)
        } catch {
            await drop()
            throw error
        }
        await drop()
    }

    /// Runs `body` with `engine`, then shuts the engine down, also when `body` throws (for
    /// engines on a database the caller drops itself).
    ///
    /// ```swift
    /// try await TestDatabase.run(Engine(url: url)) { engine in try await engine.createAll(User.self) }
    /// ```
    public static func run<R>(_ engine: Engine, _ body: (Engine) async throws -> R) async throws -> R {
        try await engine.shuttingDown(after: body)
    }

    /// An engine on the test PostgreSQL server itself, for watching `pg_stat_activity`.
    /// - Throws: When the server URL is missing.
    public static func observer() async throws -> Engine {
        try Engine(url: postgresBaseURL(), configuration: .init(poolSize: 1, maxOverflow: 0))
    }
}

extension Engine {
    /// Re-runs `condition` (a query returning one integer) until it returns a non-zero value, up to
    /// `timeout`. Used to wait for a state another connection produces, instead of sleeping.
    /// - Throws: ``QuarryCore/DatabaseError`` `statementTimeout` when the condition never holds.
    public func waitUntil(_ condition: SQL, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let row = try await self.first(condition), (try? row.decode(Int.self, at: 0)) ?? 0 != 0 { return }
            await Task.yield()
        }
        throw DatabaseError(.statementTimeout, message: "Condition did not hold within \(timeout)")
    }
}
