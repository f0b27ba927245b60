public import Hummingbird
public import Logging
public import Prometheus
public import Quarry
public import QuarryHummingbird
import ServiceLifecycle

/// How the service runs.
public struct PostsAPIConfiguration: Sendable {
    /// Listen address.
    public var host: String
    /// Listen port (0 picks a free one).
    public var port: Int
    /// The database; the default is an SQLite file next to the process, created and migrated on
    /// first start.
    public var databaseURL: String
    /// Log every statement at `.info`.
    public var echo: Bool
    /// Pool size.
    public var poolSize: Int
    /// Connections opened beyond ``poolSize`` under load, closed again when they come back idle.
    /// None by default: a fixed pool served more and faster on the benchmark machine (the
    /// measurement is in docs/benchmarks.md).
    public var maxOverflow: Int = 0
    /// How long a request waits for a pooled connection before it gets a 503.
    public var poolTimeout: Duration = .seconds(5)
    /// The longest one statement may run; it then fails, its connection is freed and the request
    /// gets a 503 (a hung PostgreSQL costs a request this long, not as long as it hangs). A
    /// `statement_timeout` parameter in the database URL overrides it; `nil` for none.
    public var statementTimeout: Duration? = .seconds(15)
    /// Cancel a handler (and its query) when the client disconnects mid-request.
    public var cancelsOnClientDisconnect: Bool
    /// Background jobs running at once.
    public var backgroundConcurrency: Int
    /// Adds `POST /debug/slow-post/{user_id}?ms=`, a deliberately slow write used by the graceful
    /// shutdown test. Off by default and never documented in `/openapi.json`.
    public var debugRoutes: Bool = false
    /// Migrate the schema from a background service that retries while the database is
    /// unreachable, instead of before serving. Until it succeeds every route but `/health`,
    /// `/metrics` and the documentation answers 503. `posts-api serve` turns this on when its
    /// first migration attempt cannot reach the database.
    public var migratesInBackground: Bool = false
    /// The Prometheus registry behind `GET /metrics` (engine pool and statement series, plus
    /// whatever else the application registers).
    public var metricsRegistry = PrometheusCollectorRegistry()
    /// Where `GET /metrics` is served.
    public var metrics: MetricsEndpoint = .sameServer
    /// Idle timeout and connection cap of the HTTP server.
    public var limits = HTTPServerLimits()

    /// Where the Prometheus endpoint listens.
    public enum MetricsEndpoint: Sendable, Hashable {
        /// `GET /metrics` on the API's own port.
        case sameServer
        /// `GET /metrics` on its own port of the same host (0 picks a free one), not on the API's.
        case port(Int)
        /// No metrics endpoint.
        case disabled
    }

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8000,
        databaseURL: String = "sqlite://posts.db",
        echo: Bool = false,
        poolSize: Int = 10,
        cancelsOnClientDisconnect: Bool = true,
        backgroundConcurrency: Int = 4
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.echo = echo
        self.poolSize = poolSize
        self.cancelsOnClientDisconnect = cancelsOnClientDisconnect
        self.backgroundConcurrency = backgroundConcurrency
    }

    /// The engine configuration this service uses.
    public func engineConfiguration(logger: Logger) -> EngineConfiguration {
        var configuration = EngineConfiguration(poolSize: self.poolSize, echo: self.echo, logger: logger)
        configuration.poolTimeout = self.poolTimeout
        configuration.maxOverflow = self.maxOverflow
        configuration.statementTimeout = self.statementTimeout
        // A connect that takes longer than this is treated as failed, so a host that died
        // mid-handshake (failover) costs two seconds, not ten.
        configuration.connectTimeout = .seconds(2)
        configuration.metricsFactory = PrometheusMetricsFactory(registry: self.metricsRegistry)
        return configuration
    }
}

/// The pieces of a running service, for tests and the CLI.
public struct PostsAPI {
    /// The engine.
    public let engine: Engine
    /// The background worker (stats refreshes).
    public let background: BackgroundWork
    /// The router.
    public let router: Router<DatabaseContext>
    /// Notices clients leaving mid-request (when enabled in the configuration).
    public let disconnectMonitor: ClientDisconnectMonitor
    /// Every documented route, as `(METHOD, /openapi/path)`.
    public let routes: [(method: String, path: String)]
    /// Closed until the schema is migrated, when ``PostsAPIConfiguration/migratesInBackground``.
    let schemaGate: SchemaGate
    let logger: Logger

    /// Builds the router over `engine`.
    ///
    /// ```swift
    /// let api = PostsAPI(engine: engine, logger: logger)
    /// let app = api.application(configuration: .init(port: 8080), logger: logger)
    /// try await app.runService()
    /// ```
    public init(engine: Engine, configuration: PostsAPIConfiguration = .init(), logger: Logger) {
        self.engine = engine
        self.background = BackgroundWork(
            engine: engine,
            configuration: .init(maxConcurrentJobs: configuration.backgroundConcurrency),
            logger: logger
        )
        let router = Router(context: DatabaseContext.self)
        // The access log writes at info: under a stricter level its lines would all be dropped,
        // and the middleware would only cost each request a layer.
        if logger.logLevel <= .info { router.add(middleware: AccessLogMiddleware(level: .info)) }
        self.schemaGate = SchemaGate(open: !configuration.migratesInBackground)
        self.logger = logger
        self.disconnectMonitor = ClientDisconnectMonitor()
        // Errors are mapped by the session's own layer (as DatabaseErrorMiddleware maps them),
        // which saves every request a middleware call; the schema gate sits inside it.
        router.add(
            middleware: SessionMiddleware(
                engine: engine,
                disconnectMonitor: configuration.cancelsOnClientDisconnect ? self.disconnectMonitor : nil,
                mapsErrors: true
            )
        )
        if configuration.migratesInBackground { router.add(middleware: SchemaGateMiddleware(gate: self.schemaGate)) }
        var routes = APIRoutes(router)
        let stats = StatsRefresher(background: self.background)
        UserRoutes.register(on: &routes, stats: stats)
        PostRoutes.register(on: &routes, stats: stats)
        ServiceRoutes.register(on: &routes, engine: engine)
        if configuration.metrics == .sameServer {
            ServiceRoutes.registerMetrics(on: &routes, registry: configuration.metricsRegistry)
        }
        routes.addDocumentation(
            title: "Posts API",
            version: "1.0.0",
            description: "The users/posts reference service of Quarry."
        )
        routes.answerMethodNotAllowed()
        if configuration.debugRoutes { DebugRoutes.register(on: router, engine: engine, stats: stats, logger: logger) }
        self.router = router
        self.routes = routes.operations.map { ("\($0.method)", $0.path) }
    }

    /// The HTTP application, with the engine and background work as services: on SIGTERM/SIGINT
    /// the server stops accepting and finishes in-flight requests, then queued background work
    /// completes, then the pool closes.
    public func application(
        configuration: PostsAPIConfiguration,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let monitor = self.disconnectMonitor
        var services: [any Service] = [self.engine, self.background]
        if configuration.migratesInBackground {
            services.append(SchemaMigrationService(engine: self.engine, gate: self.schemaGate, logger: self.logger))
        }
        if case .port(let port) = configuration.metrics {
            services.append(
                ServiceRoutes.metricsApplication(
                    host: configuration.host,
                    port: port,
                    registry: configuration.metricsRegistry,
                    logger: logger
                )
            )
        }
        return Application(
            router: self.router,
            server: .quarryHTTP1(limits: configuration.limits, additionalChannelHandlers: [monitor.channelHandler()]),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "posts-api"
            ),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Applies the schema migrations.
    /// - Throws: `MigrationError`, `DatabaseError`.
    @discardableResult
    public static func migrate(_ engine: Engine, logger: Logger) async throws -> [String] {
        try await Migrator(PostsMigrations.all, logger: logger).migrate(engine)
    }
}
