import Hummingbird
import Logging
import Quarry
import QuarryHummingbird

/// Test-only routes, enabled by `--debug-routes`.
enum DebugRoutes {
    static func register(on router: Router<DatabaseContext>, stats: StatsRefresher, logger: Logger) {
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
