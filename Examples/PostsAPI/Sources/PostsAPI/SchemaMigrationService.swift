import Hummingbird
import Logging
public import Quarry
import QuarryHummingbird
import ServiceLifecycle
import Synchronization

/// Whether the schema is in place. Routes that need the database answer 503 until it is.
final class SchemaGate: Sendable {
    private let migrated: Atomic<Bool>

    init(open: Bool) { self.migrated = Atomic(open) }

    var isOpen: Bool { self.migrated.load(ordering: .acquiring) }

    func open() { self.migrated.store(true, ordering: .releasing) }
}

/// Migrates the schema once the database can be reached: when `serve` starts before its database
/// does, the process still comes up (`/health` answers, `/ready` says 503) and this service retries
/// every second until the migration succeeds, then opens the ``SchemaGate`` and stays (a service
/// that returns early stops its whole group). A migration error that retrying cannot cure (a
/// conflicting migration history, say) stops the service group.
struct SchemaMigrationService: Service {
    let engine: Engine
    let gate: SchemaGate
    let logger: Logger
    var retryInterval: Duration = .seconds(1)

    func run() async throws {
        try await self.migrateWhenReachable()
        try? await gracefulShutdown()
    }

    /// Retries the migration until it succeeds (then opens the gate) or the task is cancelled or
    /// asked to shut down.
    func migrateWhenReachable() async throws {
        var attempts = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            attempts += 1
            do {
                try await PostsAPI.migrate(self.engine, logger: self.logger)
                self.gate.open()
                self.logger.notice("Database reachable; schema migrated", metadata: ["attempts": "\(attempts)"])
                return
            } catch let error as DatabaseError where PostsAPI.migrationCanWait(for: error) {
                if attempts == 1 || attempts % 30 == 0 {
                    self.logger.warning(
                        "Database unreachable; retrying the migration",
                        metadata: [
                            "attempts": "\(attempts)", "db.error.code": "\(error.code)",
                            "error.message": "\(error.message)",
                        ]
                    )
                }
                try? await Task.sleep(for: self.retryInterval)
            }
        }
    }
}

/// Answers 503 (with `Retry-After`) for every route except liveness, metrics and documentation
/// while the ``SchemaGate`` is closed.
struct SchemaGateMiddleware<Context: RequestContext>: RouterMiddleware {
    let gate: SchemaGate
    static var alwaysOpen: Set<String> { ["/health", "/metrics", "/openapi.json", "/docs"] }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if !self.gate.isOpen && !Self.alwaysOpen.contains(request.uri.path) {
            throw DetailError(.serviceUnavailable, "Database unavailable", headers: [.retryAfter: "1"])
        }
        return try await next(request, context)
    }
}

extension PostsAPI {
    /// Whether a failed migration is worth retrying later rather than fatal: the database is
    /// unreachable, closed the connection, or the attempt lost a race (``DatabaseError/isTransient``).
    /// `serve` then starts with ``PostsAPIConfiguration/migratesInBackground``.
    public static func migrationCanWait(for error: DatabaseError) -> Bool {
        error.isTransient || error.code == .closed
    }
}
