import Hummingbird
import Logging
import Prometheus
import Quarry
import QuarryHummingbird
import ServiceLifecycle

/// Liveness, readiness, metrics and the OpenAPI document with its page.
enum ServiceRoutes {
    static func register<Context: DatabaseRequestContext>(on routes: inout APIRoutes<Context>, engine: Engine) {
        routes.get("/health", summary: "The process is up") { _, _ in Status(status: "ok") }

        routes.get(
            "/ready",
            summary: "The database answers within 1 s and accepts writes",
            errors: [.unavailable]
        ) { _, _ in
            let ready = await withTaskGroup(of: Bool.self) { group in
                group.addTask { (try? await Self.acceptsWrites(engine)) == true }
                group.addTask {
                    try? await Task.sleep(for: .seconds(1))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            guard ready else {
                throw DetailError(.serviceUnavailable, "Database unavailable", headers: [.retryAfter: "1"])
            }
            return Status(status: "ready")
        }
    }

    /// Whether the primary answers and would take a write: on PostgreSQL, not a standby and not
    /// read-only (`default_transaction_read_only`, what a demoted primary looks like); on SQLite,
    /// a writer connection opens on the original file (the driver refuses a deleted or replaced one).
    static func acceptsWrites(_ engine: Engine) async throws -> Bool {
        switch engine.dialect {
        case .postgresql:
            try await engine.scalar(
                SQLQuery<Bool>("SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'")
            )
        default:
            try await engine.scalar(SQLQuery<Int>("SELECT 1")) == 1
        }
    }

    /// `GET /metrics`: the registry in Prometheus' text format.
    static func registerMetrics<Context: DatabaseRequestContext>(
        on routes: inout APIRoutes<Context>,
        registry: PrometheusCollectorRegistry
    ) {
        routes.document(
            APIOperation(
                method: .get,
                path: "/metrics",
                summary: "Prometheus metrics (pool, statements, errors)",
                responseSchema: JSONSchema(.string),
                responseMediaType: "text/plain"
            )
        )
        routes.router.get("/metrics") { _, _ in metricsResponse(registry) }
    }

    /// A server of its own answering only `GET /metrics`, for `--metrics-port`.
    static func metricsApplication(
        host: String,
        port: Int,
        registry: PrometheusCollectorRegistry,
        logger: Logger
    ) -> some Service {
        let router = Router()
        router.get("/metrics") { _, _ in metricsResponse(registry) }
        let logger = {
            var logger = logger
            logger[metadataKey: "server"] = "metrics"
            return logger
        }()
        return Application(
            router: router,
            server: .quarryHTTP1(limits: HTTPServerLimits(maxConnections: 64)),
            configuration: .init(address: .hostname(host, port: port), serverName: "posts-api-metrics"),
            onServerRunning: { channel in
                logger.notice("metrics listening", metadata: ["port": "\(channel.localAddress?.port ?? port)"])
            },
            logger: logger
        )
    }

    private static func metricsResponse(_ registry: PrometheusCollectorRegistry) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
        )
    }
}
