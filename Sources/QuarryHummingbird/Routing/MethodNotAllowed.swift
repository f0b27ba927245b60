import Hummingbird

extension APIRoutes {
    /// Answers a request whose path matches a route of these routes but whose method does not with
    /// FastAPI's `405 {"detail":"Method Not Allowed"}` and an `Allow` header listing the methods
    /// the path has (RFC 9110 §15.5.6), instead of Hummingbird's `404`. Call it after the last
    /// route is added: it reads the routes known at that moment.
    ///
    /// ```swift
    /// var routes = APIRoutes(Router(context: DatabaseContext.self))
    /// routes.get("/health", summary: "Up") { _, _ in ["status": "ok"] }
    /// routes.answerMethodNotAllowed()   // PUT /health → 405, Allow: GET
    /// ```
    public func answerMethodNotAllowed() {
        self.router.add(middleware: MethodNotAllowedMiddleware(table: RouteMethodTable(self.operations)))
    }
}

/// Which methods each documented path template accepts.
struct RouteMethodTable: Sendable {
    private struct Entry: Sendable {
        /// `nil` for a `{parameter}` segment, which matches any one segment.
        var segments: [Substring?]
        var methods: [String]
    }

    private var entries: [Entry] = []

    init(_ operations: [APIOperation]) {
        for operation in operations {
            let segments = operation.path.split(separator: "/").map { $0.first == "{" && $0.last == "}" ? nil : $0 }
            let method = operation.method.rawValue
            if let index = self.entries.firstIndex(where: { $0.segments == segments }) {
                if !self.entries[index].methods.contains(method) { self.entries[index].methods.append(method) }
            } else {
                self.entries.append(Entry(segments: segments, methods: [method]))
            }
        }
    }

    /// The methods of the templates `path` matches, in registration order; empty when none does.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        var methods: [String] = []
        for entry in self.entries where entry.segments.count == segments.count {
            let matches = zip(entry.segments, segments).allSatisfy { template, segment in
                template.map { $0 == segment } ?? true
            }
            if matches { methods += entry.methods.filter { !methods.contains($0) } }
        }
        return methods
    }
}

/// Turns the router's "no such route" into `405` when another method of the path exists.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: RouteMethodTable

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && Self.noRouteMatched(context) {
            let allowed = self.table.methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            throw DetailError(
                .methodNotAllowed,
                "Method Not Allowed",
                headers: [.allow: allowed.joined(separator: ", ")]
            )
        }
    }

    /// Whether the router found no route: its not-found responder names the endpoint `NotFound`
    /// (or leaves it unset), while a handler's own 404 runs with the route's path template.
    static func noRouteMatched(_ context: Context) -> Bool {
        context.endpointPath == nil || context.endpointPath == "NotFound"
    }
}
