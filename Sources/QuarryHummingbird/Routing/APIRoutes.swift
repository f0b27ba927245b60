import Foundation
public import Hummingbird

/// Typed routes on a Hummingbird router, remembered for the OpenAPI document: each route names
/// its input type (path, query and body, validated and decoded before the handler runs, FastAPI's
/// 422 on failure) and returns a ``RouteOutput`` written with the route's status.
///
/// ```swift
/// struct UserID: Decodable, Sendable { var user_id: Int64 }
/// struct UserCreate: Codable, Sendable, Validatable {
///     var name: String
///     var email: Email
///     static let constraints: [String: Constraint] = ["name": .length(1...200)]
/// }
/// struct NewUser: Decodable, Sendable { var body: UserCreate }
///
/// var routes = APIRoutes(Router(context: DatabaseContext.self))
/// routes.get("/user/{user_id}", summary: "Read a user", input: UserID.self, errors: [.notFound]) { request, context in
///     guard let user = try await context.db.get(User.self, id: request.input.user_id) else {
///         throw DetailError(.notFound, "User not found")
///     }
///     return user
/// }
/// routes.post("/users", summary: "Create a user", input: NewUser.self) { request, context in
///     var user = User(name: request.input.body.name, email: request.input.body.email.address)
///     try await context.db.insert(&user)
///     try await context.db.commit()
///     return user
/// }
/// routes.addDocumentation(title: "Users", version: "1.0.0")   // /openapi.json and /docs
/// ```
public struct APIRoutes<Context: RequestContext> {
    /// The router the routes are added to.
    public let router: Router<Context>
    /// Every route added, in order.
    public private(set) var operations: [APIOperation] = []
    /// Where these routes decode large bodies.
    let bulkLane = BulkLane()

    /// Routes on `router`.
    public init(_ router: Router<Context>) { self.router = router }

    /// Adds a route whose input is `Input` (see ``TypedRequest`` for where each key comes from).
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: An OpenAPI-style path, `/user/{user_id}`; each `{name}` is a key of `Input`.
    ///   - summary: One line for the OpenAPI document.
    ///   - status: The status of a successful response.
    ///   - input: The input's type.
    ///   - responseSchema: The success body's schema, when `Output`'s own is not the one to
    ///     publish (a paged array inside an object).
    ///   - errors: The error responses the route documents (422 is added for routes with inputs).
    ///   - handler: Answers the validated request.
    public mutating func on<Input: Decodable & Sendable, Output: RouteOutput>(
        _ method: HTTPRequest.Method,
        _ path: String,
        summary: String,
        status: HTTPResponse.Status = .ok,
        input: Input.Type,
        responseSchema: JSONSchema? = nil,
        errors: [APIError] = [],
        handler: @escaping @Sendable (TypedRequest<Input>, Context) async throws -> Output
    ) {
        let reader = RequestReader<Input>(routePath: path, bulkLane: self.bulkLane)
        self.operations.append(
            APIOperation(
                method: method,
                path: path,
                summary: summary,
                status: status,
                pathSchema: reader.pathSchema,
                querySchema: reader.querySchema,
                bodySchema: reader.bodySchema,
                responseSchema: responseSchema ?? Output.responseSchema,
                errors: errors
            )
        )
        let routerPath = path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
        self.router.on(RouterPath(routerPath), method: method) { request, context in
            let typed =
                reader.takesBody
                ? try await reader.read(request, context: context)
                : try reader.readWithoutBody(request, context: context)
            return try await handler(typed, context).response(status: status, from: request, context: context)
        }
    }

    /// Adds a `GET` route without input.
    public mutating func get<Output: RouteOutput>(
        _ path: String,
        summary: String,
        responseSchema: JSONSchema? = nil,
        errors: [APIError] = [],
        handler: @escaping @Sendable (TypedRequest<NoInput>, Context) async throws -> Output
    ) {
        self.on(
            .get,
            path,
            summary: summary,
            input: NoInput.self,
            responseSchema: responseSchema,
            errors: errors,
            handler: handler
        )
    }

    /// Adds a `GET` route whose path and query parameters are `Input`.
    public mutating func get<Input: Decodable & Sendable, Output: RouteOutput>(
        _ path: String,
        summary: String,
        input: Input.Type,
        responseSchema: JSONSchema? = nil,
        errors: [APIError] = [],
        handler: @escaping @Sendable (TypedRequest<Input>, Context) async throws -> Output
    ) {
        self.on(
            .get,
            path,
            summary: summary,
            input: input,
            responseSchema: responseSchema,
            errors: errors,
            handler: handler
        )
    }

    /// Adds a `POST` route (201 by default).
    public mutating func post<Input: Decodable & Sendable, Output: RouteOutput>(
        _ path: String,
        summary: String,
        status: HTTPResponse.Status = .created,
        input: Input.Type,
        errors: [APIError] = [],
        handler: @escaping @Sendable (TypedRequest<Input>, Context) async throws -> Output
    ) {
        self.on(.post, path, summary: summary, status: status, input: input, errors: errors, handler: handler)
    }

    /// Adds a `PUT` route.
    public mutating func put<Input: Decodable & Sendable, Output: RouteOutput>(
        _ path: String,
        summary: String,
        input: Input.Type,
        errors: [APIError] = [],
        handler: @escaping @Sendable (TypedRequest<Input>, Context) async throws -> Output
    ) {
        self.on(.put, path, summary: summary, input: input, errors: errors, handler: handler)
    }

    /// Adds a `PATCH` route.
    public mutating func patch<Input: Decodable & Sendable, Output: RouteOutput>(
        _ path: String,
        summary: String,
        input: Input.Type,
        errors: [APIError] = [],
        handler: @escaping @Sendable (TypedRequest<Input>, Context) async throws -> Output
    ) {
        self.on(.patch, path, summary: summary, input: input, errors: errors, handler: handler)
    }

    /// Adds a `DELETE` route (204 by default).
    public mutating func delete<Input: Decodable & Sendable, Output: RouteOutput>(
        _ path: String,
        summary: String,
        status: HTTPResponse.Status = .noContent,
        input: Input.Type,
        errors: [APIError] = [],
        handler: @escaping @Sendable (TypedRequest<Input>, Context) async throws -> Output
    ) {
        self.on(.delete, path, summary: summary, status: status, input: input, errors: errors, handler: handler)
    }

    /// Records a route added to the router some other way (a metrics endpoint, a page), so the
    /// document lists it too.
    public mutating func document(_ operation: APIOperation) { self.operations.append(operation) }
}

/// One documented route.
public struct APIOperation: Sendable {
    /// The method.
    public var method: HTTPRequest.Method
    /// The OpenAPI path.
    public var path: String
    /// One line.
    public var summary: String
    /// The success status.
    public var status: HTTPResponse.Status
    /// Path, query and body schemas (`nil` when the route takes none).
    public var pathSchema: JSONSchema?, querySchema: JSONSchema?, bodySchema: JSONSchema?
    /// The success body's schema (`nil`: no body).
    public var responseSchema: JSONSchema?
    /// The success body's media type.
    public var responseMediaType: String
    /// Documented error responses.
    public var errors: [APIError]

    /// An operation.
    public init(
        method: HTTPRequest.Method,
        path: String,
        summary: String,
        status: HTTPResponse.Status = .ok,
        pathSchema: JSONSchema? = nil,
        querySchema: JSONSchema? = nil,
        bodySchema: JSONSchema? = nil,
        responseSchema: JSONSchema? = nil,
        responseMediaType: String = "application/json",
        errors: [APIError] = []
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.status = status
        self.pathSchema = pathSchema
        self.querySchema = querySchema
        self.bodySchema = bodySchema
        self.responseSchema = responseSchema
        self.responseMediaType = responseMediaType
        self.errors = errors
    }
}

/// A documented error response: a status with FastAPI's `{"detail": "…"}` body.
public struct APIError: Sendable, Hashable {
    /// The status.
    public var status: HTTPResponse.Status
    /// What it means here.
    public var description: String

    /// An error response.
    public init(_ status: HTTPResponse.Status, _ description: String) {
        self.status = status
        self.description = description
    }

    /// 404: the resource does not exist.
    public static let notFound = APIError(.notFound, "Not found")
    /// 409: a uniqueness conflict.
    public static let conflict = APIError(.conflict, "Conflict with existing data")
    /// 413: the body is larger than the upload limit.
    public static let contentTooLarge = APIError(.contentTooLarge, "Body too large")
    /// 503: the database is unavailable; retry after `Retry-After`.
    public static let unavailable = APIError(.serviceUnavailable, "Database unavailable")
}
