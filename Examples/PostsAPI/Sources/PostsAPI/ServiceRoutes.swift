import Hummingbird
import Prometheus
import Quarry
import QuarryHummingbird

/// Liveness, readiness, the OpenAPI document and its page.
enum ServiceRoutes {
    static func register<Context: DatabaseRequestContext>(on table: inout RouteTable<Context>, engine: Engine) {
        table.add(
            APIRoute(
                method: .get,
                path: "/health",
                summary: "The process is up",
                responses: [.ok(Schema.ref("Status"))]
            )
        ) { _, _ in
            JSONResponse(.ok, .object([("status", .string("ok"))]))
        }

        table.add(
            APIRoute(
                method: .get,
                path: "/ready",
                summary: "The database answers within 1 s",
                responses: [.ok(Schema.ref("Status")), .unavailable]
            )
        ) { _, _ in
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
            return JSONResponse(.ok, .object([("status", .string("ready"))]))
        }
    }

    /// `GET /metrics`: the registry in Prometheus' text format.
    static func registerMetrics<Context: DatabaseRequestContext>(
        on table: inout RouteTable<Context>,
        registry: PrometheusCollectorRegistry
    ) {
        let route = APIRoute(
            method: .get,
            path: "/metrics",
            summary: "Prometheus metrics (pool, statements, errors)",
            responses: [.init(status: 200, description: "Prometheus text format", schema: nil)]
        )
        table.add(route) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }

    /// `/openapi.json` and `/docs`, describing every route in `table` (and themselves).
    static func registerDocumentation<Context: DatabaseRequestContext>(on table: inout RouteTable<Context>) {
        let openAPI = APIRoute(
            method: .get,
            path: "/openapi.json",
            summary: "This document",
            responses: [.ok(.object([("type", .string("object"))]))]
        )
        let docs = APIRoute(
            method: .get,
            path: "/docs",
            summary: "A page rendering this document",
            responses: [.init(status: 200, description: "HTML", schema: nil)]
        )
        let document = OpenAPIDocument.build(table.routes + [openAPI, docs]).serialized()
        table.add(openAPI) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: document))
            )
        }
        table.add(docs) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: DocsPage.html))
            )
        }
    }
}
