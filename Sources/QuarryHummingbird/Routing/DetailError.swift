import Foundation
public import Hummingbird

/// An error answered the way FastAPI answers errors: `{"detail": …}` with a status, where
/// `detail` is a message or, for validation errors (422), a list of pydantic-style items.
///
/// ```swift
/// throw DetailError(.notFound, "User not found")              // 404 {"detail":"User not found"}
/// throw DetailError.validation([.intParsing(loc: ["path", "user_id"], input: "abc")])
/// ```
public struct DetailError: HTTPResponseError, Sendable {
    /// The HTTP status.
    public let status: HTTPResponse.Status
    /// The `detail` value.
    public let detail: JSONValue
    /// Extra headers (`Retry-After`).
    public let headers: HTTPFields

    /// An error with a message.
    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.init(status, detail: .string(message), headers: headers)
    }

    /// An error with any `detail`.
    public init(_ status: HTTPResponse.Status, detail: JSONValue, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    /// A 422 with pydantic-style items.
    public static func validation(_ items: [ValidationIssue]) -> DetailError {
        DetailError(.unprocessableContent, detail: .array(items.map(\.json)))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        return Response(
            status: self.status,
            headers: headers,
            body: .init(byteBuffer: JSONValue.object([("detail", self.detail)]).byteBuffer)
        )
    }
}
