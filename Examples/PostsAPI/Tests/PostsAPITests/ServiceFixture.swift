import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostsAPI
import Prometheus
import Quarry
import QuarryHummingbird
import QuarryTesting

/// How a test reaches the service: through the router in memory, or a real server on loopback.
enum Transport: String, CaseIterable, Sendable {
    case router, live
    var setup: TestingSetup { self == .router ? .router : .live }
}

/// A migrated service on a fresh database of `backend`; `sandboxed`, in a test sandbox instead
/// (`withSandboxEngine`): one connection in a transaction rolled back afterwards, on a database the
/// suite's sandboxed tests share (PostgreSQL) or an in-memory one (SQLite) — no database is made
/// for the test. Tests that watch the pool, connections or shutdown keep their own database.
func withService<R>(
    _ backend: Backend,
    sandboxed: Bool = false,
    cancelsOnClientDisconnect: Bool = false,
    applicationName: String? = nil,
    poolSize: Int = 10,
    metrics: PostsAPIConfiguration.MetricsEndpoint = .sameServer,
    _ body: (PostsAPI, Engine) async throws -> R
) async throws -> R {
    var configuration = PostsAPIConfiguration(cancelsOnClientDisconnect: cancelsOnClientDisconnect)
    configuration.metrics = metrics
    let registry = PrometheusCollectorRegistry()
    configuration.metricsRegistry = registry
    let configure: (inout EngineConfiguration) -> Void = {
        $0.poolSize = poolSize
        $0.poolTimeout = .seconds(5)
        $0.metricsFactory = PrometheusMetricsFactory(registry: registry)
    }
    let run: (Engine) async throws -> R = { engine in
        var logger = Logger(label: "posts-api-test")
        logger.logLevel = .critical
        try await PostsAPI.migrate(engine, logger: logger)
        let api = PostsAPI(engine: engine, configuration: configuration, logger: logger)
        return try await body(api, engine)
    }
    guard sandboxed else {
        return try await withTestEngine(backend, applicationName: applicationName, configure: configure, run)
    }
    TestTally.record(backend)
    let url = try await SandboxDatabases.shared.url(for: backend)
    return try await withSandboxEngine(url: url, configure: configure, run)
}

/// The database the sandboxed tests of this process share: on PostgreSQL one schema, made once
/// (the test server is thrown away with it); on SQLite an in-memory database, new for each sandbox.
actor SandboxDatabases {
    static let shared = SandboxDatabases()
    private var postgres: TestDatabase?

    func url(for backend: Backend) async throws -> DatabaseURL {
        switch backend {
        case .sqlite: return try DatabaseURL("sqlite::memory:")
        case .postgres:
            if let postgres { return postgres.url }
            let database = try await TestDatabase.make(.postgres)
            self.postgres = database
            return database.url
        }
    }
}

extension PostsAPI {
    /// The application a test runs: the router with background work as a service (the engine is
    /// owned by the test fixture).
    func testApplication() -> some ApplicationProtocol {
        var logger = Logger(label: "posts-api-test")
        logger.logLevel = .critical
        let monitor = self.disconnectMonitor
        return Application(
            router: self.router,
            // The service's server, with a long idle timeout: under a loaded suite a test client
            // may connect well before its first request (scripts/chaos and ServerLimitsTests test
            // the real timeouts).
            server: .quarryHTTP1(
                limits: HTTPServerLimits(idleTimeout: .seconds(60)),
                additionalChannelHandlers: [monitor.channelHandler()]
            ),
            services: [self.background],
            logger: logger
        )
    }
}

extension TestResponse {
    var text: String { String(buffer: self.body) }
    var json: JSONValue? { try? JSONValue.parse(Data(self.body.readableBytesView)) }
}

extension TestClientProtocol {
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil) async throws -> TestResponse {
        try await self.execute(
            uri: uri,
            method: method,
            headers: json == nil ? [:] : [.contentType: "application/json"],
            body: json.map { ByteBuffer(string: $0) }
        )
    }
}

/// A pydantic timestamp: ISO 8601 UTC, microseconds when not zero, `Z`.
func isPydanticTimestamp(_ value: JSONValue?) -> Bool {
    guard case .string(let text) = value else { return false }
    return text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z/) != nil
}

extension TestClient {
    /// `method uri` with a `Host` header, which every HTTP/1.1 client sends and the service
    /// requires (it answers 400 without one).
    func request(
        _ method: HTTPRequest.Method,
        _ uri: String,
        headers: HTTPFields = [:],
        body: ByteBuffer = ByteBuffer()
    ) async throws -> TestClient.Response {
        try await self.execute(.init(uri, method: method, authority: "127.0.0.1", headers: headers, body: body))
    }
}
