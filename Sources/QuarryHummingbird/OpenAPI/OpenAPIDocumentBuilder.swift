import Foundation
import HTTPTypes
import OpenAPIKit

/// Builds the OpenAPI 3.1 document of a set of ``APIOperation``s with OpenAPIKit: parameters and
/// bodies from the routes' input types (with their constraints: `minLength`, `maxLength`,
/// `minimum`, `maximum`, `pattern`, `format`, `default`), success bodies from their output types,
/// objects as named components, FastAPI's `HTTPValidationError` for 422 and a `{"detail": …}`
/// schema for the other errors.
struct OpenAPIDocumentBuilder {
    var components: OrderedDictionary<OpenAPI.ComponentKey, OpenAPIKit.JSONSchema> = [:]
    /// Our schema behind each component name, to tell a name's second, different use.
    var sources: [String: JSONSchema] = [:]

    static func document(
        title: String,
        version: String,
        description: String?,
        operations: [APIOperation]
    ) -> OpenAPI.Document {
        var builder = OpenAPIDocumentBuilder()
        var paths: OrderedDictionary<OpenAPI.Path, OpenAPI.PathItem> = [:]
        for operation in operations {
            let key = OpenAPI.Path(rawValue: operation.path)
            var item = paths[key] ?? OpenAPI.PathItem()
            let converted = builder.operation(operation)
            switch operation.method {
            case .get: item.get = converted
            case .post: item.post = converted
            case .put: item.put = converted
            case .patch: item.patch = converted
            case .delete: item.delete = converted
            case .head: item.head = converted
            case .options: item.options = converted
            default: continue
            }
            paths[key] = item
        }
        return OpenAPI.Document(
            openAPIVersion: .v3_1_0,
            info: OpenAPI.Document.Info(title: title, description: description, version: version),
            servers: [],
            paths: paths.mapValues { .b($0) },
            components: OpenAPI.Components(schemas: builder.components)
        )
    }

    mutating func operation(_ operation: APIOperation) -> OpenAPI.Operation {
        var parameters: OpenAPI.Parameter.Array = []
        for property in operation.pathSchema?.properties ?? [] {
            parameters.append(.b(.path(name: property.name, schema: self.schema(property.schema, required: true))))
        }
        for property in operation.querySchema?.properties ?? [] {
            parameters.append(
                .b(
                    .query(
                        name: property.name,
                        required: property.isRequired,
                        schema: self.schema(property.schema, required: property.isRequired)
                    )
                )
            )
        }
        let requestBody = operation.bodySchema.map { body in
            OpenAPI.Request(
                content: [.json: .b(OpenAPI.Content(schema: self.schema(body, required: true)))],
                required: true
            )
        }
        var responses: OpenAPI.Response.Map = [:]
        let content: OpenAPI.Content.Map =
            operation.responseSchema.map { schema in
                [
                    OpenAPI.ContentType(rawValue: operation.responseMediaType) ?? .json: .b(
                        OpenAPI.Content(schema: self.schema(schema, required: true, output: true))
                    )
                ]
            } ?? [:]
        responses[.status(code: operation.status.code)] = .b(
            OpenAPI.Response(description: operation.status.reasonPhrase, content: content)
        )
        for error in operation.errors {
            responses[.status(code: error.status.code)] = .b(
                OpenAPI.Response(
                    description: error.description,
                    content: [.json: .b(OpenAPI.Content(schema: self.detailSchema()))]
                )
            )
        }
        if operation.pathSchema != nil || operation.querySchema != nil || operation.bodySchema != nil {
            responses[.status(code: 422)] = .b(
                OpenAPI.Response(
                    description: "Validation Error",
                    content: [.json: .b(OpenAPI.Content(schema: self.validationErrorSchema()))]
                )
            )
        }
        return OpenAPI.Operation(
            summary: operation.summary,
            operationId: Self.operationID(operation),
            parameters: parameters,
            requestBody: requestBody,
            responses: responses
        )
    }

    /// `get_user_user_id` for `GET /user/{user_id}`: unique per route, like FastAPI's.
    static func operationID(_ operation: APIOperation) -> String {
        let words = operation.path.split { !($0.isLetter || $0.isNumber) }
        return (["\(operation.method)".lowercased()] + words.map(String.init)).joined(separator: "_")
    }

    /// Our schema in OpenAPIKit's terms; named objects become components and are referenced.
    mutating func schema(_ schema: JSONSchema, required: Bool, output: Bool = false) -> OpenAPIKit.JSONSchema {
        let constraint = schema.constraint
        let defaultValue = constraint.defaultValue.map(Self.anyCodable)
        switch schema.kind {
        case .any:
            return .fragment(required: required, nullable: schema.isNullable, defaultValue: defaultValue)
        case .boolean:
            return .boolean(required: required, nullable: schema.isNullable, defaultValue: defaultValue)
        case .string:
            return .string(
                format: schema.format.map { JSONTypeFormat.StringFormat(rawValue: $0) } ?? .generic,
                required: required,
                nullable: schema.isNullable,
                minLength: constraint.minLength,
                maxLength: constraint.maxLength,
                pattern: constraint.pattern,
                defaultValue: defaultValue
            )
        case .integer:
            return .integer(
                required: required,
                nullable: schema.isNullable,
                maximum: constraint.maximum.map { (Int($0), exclusive: false) },
                minimum: constraint.minimum.map { (Int($0), exclusive: false) },
                defaultValue: defaultValue
            )
        case .number:
            return .number(
                required: required,
                nullable: schema.isNullable,
                maximum: constraint.maximum.map { ($0, exclusive: false) },
                minimum: constraint.minimum.map { ($0, exclusive: false) },
                defaultValue: defaultValue
            )
        case .array(let items):
            return .array(
                required: required,
                nullable: schema.isNullable,
                items: self.schema(items, required: true, output: output)
            )
        case .object(let properties):
            var converted: OrderedDictionary<String, OpenAPIKit.JSONSchema> = [:]
            for property in properties {
                // Every key of a response is written; a request may leave out optional ones.
                converted[property.name] = self.schema(
                    property.schema,
                    required: output || property.isRequired,
                    output: output
                )
            }
            let object = OpenAPIKit.JSONSchema.object(title: schema.title, properties: converted)
            guard let title = schema.title else {
                return required ? object : object.optionalSchemaObject()
            }
            let name = self.register(object, named: title, source: schema, output: output)
            let reference = OpenAPIKit.JSONSchema.reference(.component(named: name), required: required)
            return schema.isNullable ? .any(of: reference, .null(), required: required) : reference
        }
    }

    /// Adds a component; a second, different schema under one name is stored as `Name-Output`.
    mutating func register(
        _ object: OpenAPIKit.JSONSchema,
        named title: String,
        source: JSONSchema,
        output: Bool
    ) -> String {
        var name = title
        if let existing = self.sources[name], existing != source || self.components[Self.key(name)] != object {
            name = title + (output ? "-Output" : "-Input")
        }
        self.sources[name] = source
        self.components[Self.key(name)] = object
        return name
    }

    static func key(_ name: String) -> OpenAPI.ComponentKey {
        OpenAPI.ComponentKey(rawValue: name) ?? "Schema"
    }

    mutating func detailSchema() -> OpenAPIKit.JSONSchema {
        self.components[Self.key("HTTPError")] = .object(
            title: "HTTPError",
            properties: ["detail": .string(title: "Detail")]
        )
        return .reference(.component(named: "HTTPError"))
    }

    /// FastAPI's `HTTPValidationError` and `ValidationError` components.
    mutating func validationErrorSchema() -> OpenAPIKit.JSONSchema {
        self.components[Self.key("ValidationError")] = .object(
            title: "ValidationError",
            properties: [
                "loc": .array(title: "Location", items: .any(of: .string, .integer)),
                "msg": .string(title: "Message"),
                "type": .string(title: "Error Type"),
            ]
        )
        self.components[Self.key("HTTPValidationError")] = .object(
            title: "HTTPValidationError",
            properties: [
                "detail": .array(
                    required: false,
                    title: "Detail",
                    items: .reference(.component(named: "ValidationError"))
                )
            ]
        )
        return .reference(.component(named: "HTTPValidationError"))
    }

    static func anyCodable(_ value: JSONValue) -> AnyCodable {
        switch value {
        case .null: return AnyCodable(Int?.none)
        case .bool(let flag): return AnyCodable(flag)
        case .int(let integer): return AnyCodable(Int(integer))
        case .double(let double): return AnyCodable(double)
        case .string(let text): return AnyCodable(text)
        case .array(let items): return AnyCodable(items.map(Self.anyCodable))
        case .object(let pairs):
            return AnyCodable(
                Dictionary(pairs.map { ($0.0, Self.anyCodable($0.1)) }, uniquingKeysWith: { _, last in last })
            )
        }
    }
}
