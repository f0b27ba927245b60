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
