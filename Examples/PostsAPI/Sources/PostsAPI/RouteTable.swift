import Foundation
import Hummingbird
import QuarryHummingbird

/// One documented route: registered on the router and described in `/openapi.json` from the same
/// value, so the two cannot disagree.
struct APIRoute: Sendable {
    struct Parameter: Sendable {
        let name: String
        let location: String  // "path" or "query"
        let schema: JSONValue
        let required: Bool
    }

    struct ResponseSpec: Sendable {
        let status: Int
        let description: String
        let schema: JSONValue?
    }

    let method: HTTPRequest.Method
    /// OpenAPI-style path, `/user/{user_id}`.
    let path: String
    let summary: String
    var parameters: [Parameter] = []
    var requestBody: JSONValue? = nil
    var responses: [ResponseSpec]
}

/// Registers routes on a router and remembers them for the OpenAPI document.
struct RouteTable<Context: DatabaseRequestContext> {
    let router: Router<Context>
    private(set) var routes: [APIRoute] = []

    init(router: Router<Context>) { self.router = router }

    mutating func add<Output: ResponseGenerator>(
        _ route: APIRoute,
        _ handler: @escaping @Sendable (Request, Context) async throws -> Output
    ) {
        self.routes.append(route)
        let hbPath = route.path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
        self.router.on(RouterPath(hbPath), method: route.method) { request, context in
            try await handler(request, context)
        }
    }
}
