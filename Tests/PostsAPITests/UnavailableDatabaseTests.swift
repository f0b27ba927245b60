import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostsAPI
import Quarry
import QuarryHummingbird
import QuarryTesting
import Testing

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
                #expect(try await client.send(.get, "/health").status == .ok, "liveness does not depend on the database")
            }
            await engine.shutdown()
        }
    }
}
