import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Quarry
import QuarryHummingbird
import QuarryTesting
import Testing

@testable import PostsAPI

@Suite("An unreachable database")
struct UnavailableDatabaseTests {
    /// A database URL of `backend` that cannot be reached: a closed loopback port, or an SQLite
    /// file in a directory that does not exist.
    func unreachableURL(_ backend: Backend) throws -> String {
        switch backend {
        case .postgres:
            let base = try TestDatabase.postgresBaseURL()
            return "postgresql://postgres@127.0.0.1:1/\(base.database ?? "postgres")"
        case .sqlite:
            return "sqlite:///nonexistent-\(UUID().uuidString)/posts.db"
        }
    }

    @Test(arguments: Backend.allCases)
    func answers503WithRetryAfterAndNoDetails(_ backend: Backend) async throws {
        // Counted like every database test; the engine under test is the unreachable one.
        try await withTestEngine(backend) { _ in
            var logger = Logger(label: "unavailable")
            logger.logLevel = .critical
            var configuration = EngineConfiguration(poolSize: 2, logger: logger)
            configuration.poolTimeout = .seconds(2)
            configuration.connectTimeout = .seconds(2)
            let url = try unreachableURL(backend)
            let engine = try Engine(url, configuration: configuration)
            let api = PostsAPI(engine: engine, logger: logger)
            _ = try await Application(router: api.router, logger: logger).test(.router) { client in
                let user = try await client.send(.get, "/user/1")
                #expect(user.status == .serviceUnavailable)
                #expect(user.headers[.retryAfter] == "1")
                #expect(user.text == #"{"detail":"Service Unavailable"}"#)
                #expect(!user.text.contains("127.0.0.1") && !user.text.contains("nonexistent"))
                let ready = try await client.send(.get, "/ready")
                #expect(ready.status == .serviceUnavailable)
                #expect(ready.text == #"{"detail":"Database unavailable"}"#)
                #expect(
                    try await client.send(.get, "/health").status == .ok,
                    "liveness does not depend on the database"
                )
            }
            await engine.shutdown()
        }
    }

    /// `serve` started before its database: regression for the process exiting when the first
    /// migration could not reach the database. Now it serves with the schema gate closed (503
    /// everywhere but liveness and documentation) and opens it once the migration succeeds.
    @Test(arguments: Backend.allCases)
    func routesWaitForTheBackgroundMigration(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            var logger = Logger(label: "deferred-migration")
            logger.logLevel = .critical
            var configuration = PostsAPIConfiguration()
            configuration.migratesInBackground = true
            let api = PostsAPI(engine: engine, configuration: configuration, logger: logger)
            let migration = SchemaMigrationService(engine: engine, gate: api.schemaGate, logger: logger)
            _ = try await Application(router: api.router, logger: logger).test(.router) { client in
                let before = try await client.send(.get, "/users")
                #expect(before.status == .serviceUnavailable)
                #expect(before.headers[.retryAfter] == "1")
                #expect(try await client.send(.get, "/ready").status == .serviceUnavailable)
                #expect(try await client.send(.get, "/health").status == .ok)
                #expect(try await client.send(.get, "/openapi.json").status == .ok)

                try await migration.migrateWhenReachable()

                let after = try await client.send(.get, "/users")
                #expect(after.status == .ok)
                #expect(after.text == "[]")
                #expect(try await client.send(.get, "/ready").status == .ok)
            }
        }
    }

    /// Regression: the migration service returned once it had migrated, and a service that
    /// returns stops the whole service group — the server shut down the moment it became ready.
    @Test(arguments: Backend.allCases)
    func serverKeepsServingAfterTheBackgroundMigration(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            var logger = Logger(label: "deferred-migration")
            logger.logLevel = .critical
            var configuration = PostsAPIConfiguration(port: 0)
            configuration.migratesInBackground = true
            let api = PostsAPI(engine: engine, configuration: configuration, logger: logger)
            let app = Application(
                router: api.router,
                services: [SchemaMigrationService(engine: engine, gate: api.schemaGate, logger: logger)],
                logger: logger
            )
            try await app.test(.live) { client in
                #expect(await eventually { (try? await client.send(.get, "/ready").status) == .ok })
                for _ in 0..<10 {
                    let users = try await client.send(.get, "/users")
                    #expect(users.status == .ok)
                }
            }
        }
    }
}
