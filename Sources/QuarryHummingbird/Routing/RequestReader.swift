import Foundation
import Hummingbird
import NIOCore

/// Where a key of a route's input is read from.
enum InputSource: Sendable { case path, query, body }

/// One key of a route's input: where it comes from, and the `loc` its validation issues report.
/// A class, and `loc` built once per route: a request that validates (almost all) allocates no
/// error locations, and reading a part costs one reference count, not one per field. Outside
/// ``RequestReader`` so that it is one type, not one per input type.
final class InputPart: Sendable {
    let property: JSONSchema.Property
    let source: InputSource
    let loc: [JSONValue]

    init(_ property: JSONSchema.Property, _ source: InputSource) {
        self.property = property
        self.source = source
        let place: JSONValue =
            switch source {
            case .path: .string("path")
            case .query: .string("query")
            case .body: .string("body")
            }
        self.loc = source == .body ? [place] : [place, .string(property.name)]
    }
}

/// Reads a route's ``TypedRequest/input`` as FastAPI reads a handler's parameters: path, query
/// and body validated against the input type's schema, every problem reported in one 422 (path,
/// then query, then body, each in declaration order). A body that is not JSON is a 422
/// `json_invalid` at once; a body sent with a non-JSON `Content-Type` is validated as the string
/// it is (and so fails as one); an empty body is `missing`. Path values are percent-decoded;
/// of repeated query parameters the last counts (Starlette's rule).
struct RequestReader<Input: Decodable & Sendable>: Sendable {
    let schema: JSONSchema
    /// Where each of the input's keys comes from, in the order FastAPI reports problems.
    let parts: [InputPart]
    let takesBody: Bool
    let bulkLane: BulkLane

    init(routePath: String, bulkLane: BulkLane) {
        self.bulkLane = bulkLane
        self.schema = Input.self == NoInput.self ? JSONSchema(.object([])) : JSONSchema.reflecting(Input.self)
        let pathNames = Self.parameterNames(in: routePath)
        let parts = self.schema.properties.map { property in
            if pathNames.contains(property.name) { return InputPart(property, .path) }
            return InputPart(property, property.name == "body" ? .body : .query)
        }
        // FastAPI reports path problems first, then query, then body.
        let order: [InputSource] = [.path, .query, .body]
        self.parts = order.flatMap { source in parts.filter { $0.source == source } }
        self.takesBody = parts.contains { $0.source == .body }
    }

    /// `{user_id}` and `{post_id}` of `/user/{user_id}/posts/{post_id}`.
    static func parameterNames(in path: String) -> Set<String> {
        Set(
            path.split(separator: "/").compactMap { segment in
                segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
            }
        )
    }

    /// The schemas of the path parameters, query parameters and body, for the OpenAPI document.
    var pathSchema: JSONSchema? { self.partSchema(.path) }
    var querySchema: JSONSchema? { self.partSchema(.query) }
    var bodySchema: JSONSchema? { self.parts.first { $0.source == .body }?.property.schema }

    private func partSchema(_ source: InputSource) -> JSONSchema? {
        let properties = self.parts.filter { $0.source == source }.map(\.property)
        return properties.isEmpty ? nil : JSONSchema(.object(properties))
    }

    func read(_ request: Request, context: some RequestContext) async throws -> TypedRequest<Input> {
        guard self.takesBody else { return try self.readWithoutBody(request, context: context) }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let given = self.parameterValues(request, context: context)
        let contentType = request.headers[.contentType]
        let input: Input
        if body.readableBytes > Self.offloadThreshold {
            // Parsing and validating are linear, but a megabyte still takes milliseconds: large
            // bodies go through the bulk lane (NIO's thread pool, one at a time), so they never
            // hold the cooperative threads every other request (and /health) needs.
            input = try await self.bulkLane.run { [self, given] in
                try self.decode(body: body, contentType: contentType, parameters: given)
            }
        } else {
            input = try self.decode(body: body, contentType: contentType, parameters: given)
        }
        return TypedRequest(input: input, request: request)
    }

    /// Reads an input taken from the path and query alone. Synchronous: a route without a body
    /// (most reads) suspends nowhere before its handler, and costs no async frame here.
    func readWithoutBody(_ request: Request, context: some RequestContext) throws -> TypedRequest<Input> {
        if Input.self == NoInput.self {
            return TypedRequest(input: try JSONValueDecoder().decode(Input.self, from: .null), request: request)
        }
        let input = try self.decode(
            body: nil,
            contentType: nil,
            parameters: self.parameterValues(request, context: context)
        )
        return TypedRequest(input: input, request: request)
    }

    /// The path and query values of the input's parts, in source order (`nil` for the body and
    /// for an absent query parameter). A few: an array beats a dictionary here.
    private func parameterValues(_ request: Request, context: some RequestContext) -> [String?] {
        var given: [String?] = []
        given.reserveCapacity(self.parts.count)
        for part in self.parts {
            switch part.source {
            case .path:
                let raw = context.parameters.get(part.property.name).map { String($0) } ?? ""
                given.append(raw.utf8.contains(UInt8(ascii: "%")) ? (raw.removingPercentEncoding ?? raw) : raw)
            case .query:
                // Starlette keeps the last of repeated parameters.
                given.append(request.uri.queryParameters.getAll(part.property.name).last.map { String($0) })
            case .body:
                given.append(nil)
            }
        }
        return given
    }

    /// Validates and decodes the input from the body and the path and query values.
    private func decode(body: ByteBuffer?, contentType: String?, parameters: [String?]) throws -> Input {
        let json = try body.flatMap { try Self.bodyValue($0, contentType: contentType) }
        var issues: [ValidationIssue] = []
        var values: [(String, JSONValue)] = []
        values.reserveCapacity(self.parts.count)
        for (index, part) in self.parts.enumerated() {
            let property = part.property
            switch part.source {
            case .path, .query:
                if let raw = parameters[index] {
                    values.append(
                        (
                            property.name,
                            RequestValidator.validate(
                                .string(raw),
                                against: property.schema,
                                at: part.loc,
                                issues: &issues
                            )
                        )
                    )
                } else if let fallback = property.schema.constraint.defaultValue {
                    values.append((property.name, fallback))
                } else if property.isRequired {
                    issues.append(.missing(loc: part.loc, input: .null))
                }
            case .body:
                values.append(
                    (property.name, Self.validateBody(json, schema: property.schema, at: part.loc, issues: &issues))
                )
            }
        }
        guard issues.isEmpty else { throw DetailError.validation(issues) }
        do {
            return try JSONValueDecoder().decode(Input.self, from: .object(values))
        } catch let error as DecodingError {
            throw DetailError.validation([ValidationIssue(decodingError: error)])
        }
    }

    /// The body as JSON: `nil` when it is empty or `null`, a string when its `Content-Type` is not
    /// JSON.
    static func bodyValue(_ buffer: ByteBuffer, contentType: String?) throws -> JSONValue? {
        guard buffer.readableBytes > 0 else { return nil }
        if let contentType, !Self.isJSON(contentType) {
            return .string(String(buffer: buffer))
        }
        do {
            // A JSON `null` body is no body, as FastAPI reads it.
            let value = try JSONValue.parse(Data(buffer.readableBytesView))
            return value == .null ? nil : value
        } catch let error as JSONParseError {
            throw DetailError.validation([
                ValidationIssue(
                    type: "json_invalid",
                    loc: [.string("body"), .int(Int64(error.offset))],
                    msg: "JSON decode error",
                    input: .object([]),
                    ctx: .object([("error", .string(error.reason))])
                )
            ])
        }
    }

    /// Bodies larger than this go through the bulk lane.
    static var offloadThreshold: Int { 64 * 1024 }

    /// `application/json` or `application/…+json`, parameters aside (FastAPI's test).
    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard let media, media.hasPrefix("application/") else { return false }
        let subtype = media.dropFirst("application/".count)
        return subtype == "json" || subtype.hasSuffix("+json")
    }

    static func validateBody(
        _ body: JSONValue?,
        schema: JSONSchema,
        at loc: [JSONValue],
        issues: inout [ValidationIssue]
    ) -> JSONValue {
        guard let body else {
            issues.append(ValidationIssue(type: "missing", loc: loc, msg: "Field required", input: .null))
            return .null
        }
        if case .object = schema.kind, !Self.isObject(body) {
            issues.append(
                ValidationIssue(
                    type: "model_attributes_type",
                    loc: loc,
                    msg: "Input should be a valid dictionary or object to extract fields from",
                    input: body
                )
            )
            return body
        }
        return RequestValidator.validate(body, against: schema, at: loc, issues: &issues)
    }

    private static func isObject(_ value: JSONValue) -> Bool {
        if case .object = value { return true }
        return false
    }
}

extension ValidationIssue {
    /// A decoding failure after validation passed (a type's own check, such as an enumeration's
    /// raw value): pydantic's `value_error`.
    init(decodingError: DecodingError) {
        let (path, message): ([any CodingKey], String) =
            switch decodingError {
            case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
            case .keyNotFound(let key, let context): (context.codingPath + [key], "Field required")
            case .typeMismatch(_, let context): (context.codingPath, context.debugDescription)
            case .valueNotFound(_, let context): (context.codingPath, context.debugDescription)
            @unknown default: ([], "\(decodingError)")
            }
        self.init(
            type: "value_error",
            loc: path.map { $0.intValue.map { .int(Int64($0)) } ?? .string($0.stringValue) },
            msg: "Value error, \(message)",
            input: .null
        )
    }
}
