import QuarryHummingbird

/// JSON Schema pieces for `/openapi.json`.
enum Schema {
    static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }
    static func array(of item: JSONValue) -> JSONValue { .object([("type", .string("array")), ("items", item)]) }
    static let integer: JSONValue = .object([("type", .string("integer"))])
    static let string: JSONValue = .object([("type", .string("string"))])
    static let timestamp: JSONValue = .object([("type", .string("string")), ("format", .string("date-time"))])

    static func object(_ properties: [(String, JSONValue)], required: [String]) -> JSONValue {
        .object([
            ("type", .string("object")),
            ("properties", .object(properties)),
            ("required", .array(required.map(JSONValue.string))),
        ])
    }

    /// Every named schema.
    static let components: [(String, JSONValue)] = [
        (
            "User",
            object(
                [("id", integer), ("name", string), ("email", string), ("created_at", timestamp)],
                required: ["id", "name", "email", "created_at"]
            )
        ),
        (
            "Post",
            object(
                [
                    ("id", integer), ("user_id", integer), ("title", string), ("body", string),
                    ("created_at", timestamp),
                ],
                required: ["id", "user_id", "title", "body", "created_at"]
            )
        ),
        (
            "UserWithPosts",
            object([("user", ref("User")), ("posts", array(of: ref("Post")))], required: ["user", "posts"])
        ),
        (
            "UserStats",
            object(
                [
                    ("user_id", integer), ("post_count", integer),
                    ("last_post_at", .object([("anyOf", .array([timestamp, .object([("type", .string("null"))])]))])),
                ],
                required: ["user_id", "post_count", "last_post_at"]
            )
        ),
        (
            "UserCreate",
            object(
                [("name", string), ("email", .object([("type", .string("string")), ("format", .string("email"))]))],
                required: ["name", "email"]
            )
        ),
        (
            "UserUpdate",
            object(
                [("name", string), ("email", .object([("type", .string("string")), ("format", .string("email"))]))],
                required: []
            )
        ),
        ("PostCreate", object([("title", string), ("body", string)], required: ["title", "body"])),
        ("Status", object([("status", string)], required: ["status"])),
        ("HTTPError", object([("detail", string)], required: ["detail"])),
        (
            "ValidationError",
            object(
                [
                    ("loc", array(of: .object([("anyOf", .array([string, integer]))]))),
                    ("msg", string), ("type", string), ("input", .object([])),
                    ("ctx", .object([("type", .string("object"))])),
                ],
                required: ["loc", "msg", "type"]
            )
        ),
        ("HTTPValidationError", object([("detail", array(of: ref("ValidationError")))], required: ["detail"])),
    ]
}

extension APIRoute.ResponseSpec {
    static func ok(_ schema: JSONValue, _ description: String = "Successful Response") -> Self {
        .init(status: 200, description: description, schema: schema)
    }
    static func created(_ schema: JSONValue) -> Self { .init(status: 201, description: "Created", schema: schema) }
    static let noContent = Self(status: 204, description: "Deleted", schema: nil)
    static func notFound(_ what: String) -> Self {
        .init(status: 404, description: "\(what) not found", schema: Schema.ref("HTTPError"))
    }
    static let conflict = Self(status: 409, description: "Email already registered", schema: Schema.ref("HTTPError"))
    static let tooLarge = Self(status: 413, description: "Body over 1 MiB", schema: Schema.ref("HTTPError"))
    static let invalid = Self(status: 422, description: "Validation Error", schema: Schema.ref("HTTPValidationError"))
    static let unavailable = Self(status: 503, description: "Database unavailable", schema: Schema.ref("HTTPError"))
}

extension APIRoute.Parameter {
    static func path(_ name: String) -> Self {
        .init(name: name, location: "path", schema: Schema.integer, required: true)
    }
    static func query(_ name: String, minimum: Int, maximum: Int?, defaultValue: Int) -> Self {
        var schema: [(String, JSONValue)] = [("type", .string("integer")), ("minimum", .int(Int64(minimum)))]
        if let maximum { schema.append(("maximum", .int(Int64(maximum)))) }
        schema.append(("default", .int(Int64(defaultValue))))
        return .init(name: name, location: "query", schema: .object(schema), required: false)
    }
}
