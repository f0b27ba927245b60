import Foundation
import Hummingbird
import QuarryHummingbird

/// FastAPI's request validation, with pydantic's error types and messages.
enum Validate {
    /// An integer path parameter.
    static func pathID(_ name: String, _ context: some RequestContext) throws -> Int64 {
        let text = context.parameters.get(name) ?? ""
        guard let value = Int64(text) else {
            throw DetailError.validation([.intParsing(loc: [.string("path"), .string(name)], input: text)])
        }
        return value
    }

    /// An optional integer query parameter within `range`.
    static func queryInt(
        _ name: String,
        _ request: Request,
        default defaultValue: Int,
        range: ClosedRange<Int>? = nil,
        minimum: Int? = nil
    ) -> Result<Int, ValidationIssue> {
        guard let text = request.uri.queryParameters.get(name) else { return .success(defaultValue) }
        let loc: [JSONValue] = [.string("query"), .string(name)]
        guard let value = Int(text) else { return .failure(.intParsing(loc: loc, input: text)) }
        let lower = range?.lowerBound ?? minimum
        if let lower, value < lower {
            return .failure(
                ValidationIssue(
                    type: "greater_than_equal",
                    loc: loc,
                    msg: "Input should be greater than or equal to \(lower)",
                    input: .string(text),
                    ctx: .object([("ge", .int(Int64(lower)))])
                )
            )
        }
        if let upper = range?.upperBound, value > upper {
            return .failure(
                ValidationIssue(
                    type: "less_than_equal",
                    loc: loc,
                    msg: "Input should be less than or equal to \(upper)",
                    input: .string(text),
                    ctx: .object([("le", .int(Int64(upper)))])
                )
            )
        }
        return .success(value)
    }

    /// The request body as a JSON object (413 past the upload limit, 422 when it is not JSON or
    /// not an object).
    static func bodyObject(_ request: Request, _ context: some RequestContext) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw DetailError.validation([
                ValidationIssue(
                    type: "json_invalid",
                    loc: [.string("body"), .int(0)],
                    msg: "JSON decode error",
                    input: .object([]),
                    ctx: .object([("error", .string("Expecting value"))])
                )
            ])
        }
        guard case .object = value else {
            throw DetailError.validation([
                ValidationIssue(
                    type: "model_attributes_type",
                    loc: [.string("body")],
                    msg: "Input should be a valid dictionary or object to extract fields from",
                    input: value
                )
            ])
        }
        return value
    }
}

/// Reads the fields of a JSON body, collecting every problem before failing (as pydantic does).
struct BodyFields {
    let body: JSONValue
    var issues: [ValidationIssue] = []

    init(_ body: JSONValue) { self.body = body }

    mutating func string(_ name: String, required: Bool, minLength: Int = 1, maxLength: Int = 10_000) -> String? {
        let loc: [JSONValue] = [.string("body"), .string(name)]
        guard let value = self.body[name], value != .null || required else {
            if required { self.issues.append(.missing(loc: loc, input: self.body)) }
            return nil
        }
        guard case .string(let text) = value else {
            self.issues.append(
                ValidationIssue(type: "string_type", loc: loc, msg: "Input should be a valid string", input: value)
            )
            return nil
        }
        if text.count < minLength {
            self.issues.append(
                ValidationIssue(
                    type: "string_too_short",
                    loc: loc,
                    msg: "String should have at least \(minLength) character\(minLength == 1 ? "" : "s")",
                    input: value,
                    ctx: .object([("min_length", .int(Int64(minLength)))])
                )
            )
            return nil
        }
        if text.utf8.contains(0) {
            // PostgreSQL cannot store NUL in text; refused on every backend so the API is one.
            self.issues.append(
                ValidationIssue(
                    type: "string_pattern_mismatch",
                    loc: loc,
                    msg: "String should not contain NUL (\\u0000) characters",
                    input: value,
                    ctx: .object([("pattern", .string("^[^\\x00]*$"))])
                )
            )
            return nil
        }
        if text.count > maxLength {
            self.issues.append(
                ValidationIssue(
                    type: "string_too_long",
                    loc: loc,
                    msg: "String should have at most \(maxLength) characters",
                    input: value,
                    ctx: .object([("max_length", .int(Int64(maxLength)))])
                )
            )
            return nil
        }
        return text
    }

    mutating func email(_ name: String, required: Bool) -> String? {
        guard let text = self.string(name, required: required, maxLength: 320) else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let reason: String? =
            parts.count != 2
            ? "An email address must have an @-sign."
            : parts[0].isEmpty
                ? "There must be something before the @-sign."
                : !parts[1].contains(".") || parts[1].hasPrefix(".") || parts[1].hasSuffix(".")
                    ? "The part after the @-sign is not valid. It should have a period."
                    : text.contains(where: \.isWhitespace)
                        ? "The email address contains invalid characters."
                        : nil
        if let reason {
            self.issues.append(
                ValidationIssue(
                    type: "value_error",
                    loc: [.string("body"), .string(name)],
                    msg: "value is not a valid email address: \(reason)",
                    input: .string(text),
                    ctx: .object([("reason", .string(reason))])
                )
            )
            return nil
        }
        return text
    }

    func check() throws {
        if !self.issues.isEmpty { throw DetailError.validation(self.issues) }
    }
}
