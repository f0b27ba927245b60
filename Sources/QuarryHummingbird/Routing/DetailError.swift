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

/// One item of a FastAPI 422 response: `{"type","loc","msg","input"[,"ctx"]}`.
public struct ValidationIssue: Error, Sendable, Equatable {
    /// pydantic's error type (`int_parsing`, `missing`, `string_type`, …).
    public var type: String
    /// Where: `["path","user_id"]`, `["body","email"]`, `["query","limit"]`.
    public var loc: [JSONValue]
    /// The message pydantic writes.
    public var msg: String
    /// The offending input.
    public var input: JSONValue
    /// Extra context (`{"ge":1}`).
    public var ctx: JSONValue?

    /// Creates an item.
    public init(type: String, loc: [JSONValue], msg: String, input: JSONValue, ctx: JSONValue? = nil) {
        self.type = type
        self.loc = loc
        self.msg = msg
        self.input = input
        self.ctx = ctx
    }

    /// The item as JSON, keys in FastAPI's order.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("type", .string(self.type)), ("loc", .array(self.loc)), ("msg", .string(self.msg)), ("input", self.input),
        ]
        if let ctx { pairs.append(("ctx", ctx)) }
        return .object(pairs)
    }

    /// `int_parsing`: the text is not an integer.
    public static func intParsing(loc: [JSONValue], input: String) -> ValidationIssue {
        ValidationIssue(
            type: "int_parsing",
            loc: loc,
            msg: "Input should be a valid integer, unable to parse string as an integer",
            input: .string(input)
        )
    }

    /// `missing`: a required field is absent.
    public static func missing(loc: [JSONValue], input: JSONValue) -> ValidationIssue {
        ValidationIssue(type: "missing", loc: loc, msg: "Field required", input: input)
    }
}
