import Hummingbird
import Logging
import Quarry
import QuarryHummingbird

/// Test-only routes, enabled by `--debug-routes`.
enum DebugRoutes {
    static func register(on router: Router<DatabaseContext>, engine: Engine, stats: StatsRefresher, logger: Logger) {
        // A query that holds its pooled connection for `seconds` (PostgreSQL's pg_sleep), for the
        // pool-exhaustion and client-disconnect fault scenarios.
        router.get("/debug/sleep") { request, context -> JSONResponse in
            guard engine.dialect == .postgresql else { throw DetailError(.notFound, "pg_sleep needs PostgreSQL") }
            let seconds = Double(request.uri.queryParameters.get("seconds") ?? "") ?? 1
            _ = try await context.db.all(SQLQuery<String>("SELECT pg_sleep(\(seconds))::text").readOnly())
            return JSONResponse(.ok, .object([("slept", .double(seconds))]))
        }
        // A write that takes `ms` milliseconds before it commits, then schedules background work.
        router.post("/debug/slow-post/:user_id") { request, context -> JSONResponse in
            let userID = try Validate.pathID("user_id", context)
            let ms = Int(request.uri.queryParameters.get("ms") ?? "") ?? 500
            logger.notice("debug slow request started", metadata: ["user_id": "\(userID)"])
            try await Task.sleep(for: .milliseconds(ms))
            let session = try context.db
            var post = Post(userId: userID, title: "slow", body: "written during shutdown")
            try await session.insert(&post)
            try await session.commit()
            stats.refresh(userID: userID)
            return JSONResponse(.created, post.json)
        }
    }
}
