import Hummingbird
import Logging
import Quarry
import QuarryHummingbird

/// Test-only routes, enabled by `--debug-routes` and left out of `/openapi.json`.
enum DebugRoutes {
    struct Sleep: Codable, Sendable { var seconds: Double? }
    struct SlowPost: Codable, Sendable {
        var userID: Int64
        var ms: Int?
        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case ms
        }
    }
    struct Slept: Codable, Sendable, RouteOutput { var slept: Double }

    static func register(on router: Router<DatabaseContext>, engine: Engine, stats: StatsRefresher, logger: Logger) {
        // Registered on a scratch table: the routes are served, not documented.
        var routes = APIRoutes(router)
        // A query that holds its pooled connection for `seconds` (PostgreSQL's pg_sleep), for the
        // pool-exhaustion and client-disconnect fault scenarios.
        routes.get("/debug/sleep", summary: "", input: Sleep.self) { request, context in
            guard engine.dialect == .postgresql else { throw DetailError(.notFound, "pg_sleep needs PostgreSQL") }
            let seconds = request.input.seconds ?? 1
            _ = try await context.db.all(SQLQuery<String>("SELECT pg_sleep(\(seconds))::text").readOnly())
            return Slept(slept: seconds)
        }
        // Returns once no background job is queued or running (stats refreshes have landed), so a
        // client comparing reads after writes waits for the event, not for a guessed time.
        routes.get("/debug/background-idle", summary: "") { _, _ in
            await stats.background.waitUntilIdle()
            return Status(status: "idle")
        }
        // A write that takes `ms` milliseconds before it commits, then schedules background work.
        routes.post("/debug/slow-post/{user_id}", summary: "", input: SlowPost.self) { request, context in
            let userID = request.input.userID
            logger.notice("debug slow request started", metadata: ["user_id": "\(userID)"])
            try await Task.sleep(for: .milliseconds(request.input.ms ?? 500))
            let session = try context.db
            var post = Post(userId: userID, title: "slow", body: "written during shutdown")
            try await session.insert(&post)
            try await session.commit()
            stats.refresh(userID: userID)
            return post
        }
    }
}
