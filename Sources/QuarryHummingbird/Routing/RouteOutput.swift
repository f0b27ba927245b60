public import Hummingbird
import NIOCore

/// What a typed route returns: a value that becomes a response with the route's status, and a
/// schema for the OpenAPI document. Any `Encodable` gets both from a one-line conformance (as
/// Vapor's `Content`): the body is written by ``JSONBodyEncoder`` and the schema traced from the
/// type when it is also `Decodable`. Arrays of encodable values, ``JSONValue``,
/// ``PagedJSONArray`` and ``NoContent`` conform already.
///
/// ```swift
/// extension User: RouteOutput {}
/// routes.get("/user/{user_id}", summary: "Read a user", input: UserID.self) { request, context -> User in
///     guard let user = try await context.db.get(User.self, id: request.input.user_id) else {
///         throw DetailError(.notFound, "User not found")
///     }
///     return user
/// }
/// ```
public protocol RouteOutput: SendableMetatype {
    /// The body's schema, `nil` for no body.
    static var responseSchema: JSONSchema? { get }

    /// The response for `status`.
    func response(status: HTTPResponse.Status, from request: Request, context: some RequestContext) throws -> Response
}

extension RouteOutput where Self: Encodable {
    public static var responseSchema: JSONSchema? { JSONSchema.reflecting(Self.self) }

    public func response(
        status: HTTPResponse.Status,
        from request: Request,
        context: some RequestContext
    ) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: try JSONBodyEncoder().encode(self))
        )
    }
}

extension Array: RouteOutput where Element: Encodable {}
extension JSONValue: RouteOutput {}

/// An empty response (`204 No Content` unless the route says otherwise).
///
/// ```swift
/// routes.delete("/posts/{post_id}", summary: "Delete a post", input: PostID.self) { request, context in
///     NoContent()
/// }
/// ```
public struct NoContent: RouteOutput {
    /// An empty response.
    public init() {}

    public static var responseSchema: JSONSchema? { nil }

    public func response(status: HTTPResponse.Status, from request: Request, context: some RequestContext) -> Response {
        Response(status: status)
    }
}

extension PagedJSONArray: RouteOutput {
    /// An array of `Element` (or the schema given to the route).
    public static var responseSchema: JSONSchema? {
        JSONSchema(.array(JSONSchema.reflecting(Element.self)))
    }

    public func response(
        status: HTTPResponse.Status,
        from request: Request,
        context: some RequestContext
    ) throws -> Response {
        var response = try self.response(from: request, context: context)
        response.status = status
        return response
    }
}
