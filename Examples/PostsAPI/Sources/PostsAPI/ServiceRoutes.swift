import Hummingbird
import Prometheus
import Quarry
import QuarryHummingbird

/// Liveness, readiness, metrics and the OpenAPI document with its page.
enum ServiceRoutes {
    static func register<Context: DatabaseRequestContext>(on routes: inout APIRoutes<Context>, engine: Engine) {
        routes.get("/health", summary: "The process is up") { _, _ in Status(status: "ok") }

        routes.get("/ready", summary: "The database answers within 1 s", errors: [.unavailable]) { _, _ in
            let ready = await withTaskGroup(of: Bool.self) { group in
                group.addTask { (try? await engine.scalar(SQLQuery<Int>("SELECT 1"))) == 1 }
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
        routes.router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
