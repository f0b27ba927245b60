public import Hummingbird

/// A request whose inputs have been validated and decoded into `Input`.
///
/// `Input` is one `Decodable` type whose keys say where each value comes from, as FastAPI reads a
/// handler's parameters: a key named in the route's path (`/user/{user_id}`) is a path parameter,
/// the key `body` is the JSON body, every other key is a query parameter.
///
/// ```swift
/// struct NewPost: Decodable, Sendable {
///     var user_id: Int64        // from the path /user/{user_id}/posts
///     var notify: Bool?         // from the query ?notify=true
///     var body: PostCreate      // the JSON body
/// }
/// routes.post("/user/{user_id}/posts", summary: "Create a post", input: NewPost.self) { request, context in
///     let input = request.input
///     …
/// }
/// ```
public struct TypedRequest<Input: Decodable & Sendable>: Sendable {
    /// The validated input.
    public let input: Input
    /// The Hummingbird request (headers, URI).
    public let request: Request
}

/// The input of a route that takes none.
public struct NoInput: Codable, Sendable {
    /// Nothing.
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {}
}
