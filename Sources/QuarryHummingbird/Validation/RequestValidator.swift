import Foundation
import QuarryCore

/// Checks a JSON value against a ``JSONSchema`` the way pydantic v2 validates a model in lax mode:
/// every problem is reported at once, in field order, with pydantic's `type`, `msg`, `input` and
/// `ctx`; numeric strings become numbers (path and query parameters are always strings); absent
/// keys with a default take it. The result is the value ready for ``JSONValueDecoder``.
///
/// ```swift
/// var issues: [ValidationIssue] = []
/// let value = RequestValidator.validate(.object([("limit", .string("5"))]),
///                                       against: JSONSchema.reflecting(Paging.self),
///                                       at: [.string("query")], issues: &issues)
/// ```
public enum RequestValidator {
    /// Validates `value`; appends one ``ValidationIssue`` per problem to `issues` and returns the
    /// coerced value (meaningful only when no issue was added).
    public static func validate(
        _ value: JSONValue,
        against schema: JSONSchema,
        at loc: [JSONValue],
        issues: inout [ValidationIssue]
    ) -> JSONValue {
        if value == .null {
            if schema.isNullable { return .null }
            if case .any = schema.kind { return .null }
        }
        switch schema.kind {
        case .any:
            return value
        case .string:
            guard case .string(let text) = value else {
                issues.append(
                    ValidationIssue(type: "string_type", loc: loc, msg: "Input should be a valid string", input: value)
                )
                return value
            }
            Self.checkString(text, schema, loc, &issues)
            return value
        case .integer:
            guard let integer = Self.recording(&issues, { () throws(ValidationIssue) in try Self.integer(value, loc) })
            else { return value }
            Self.checkBounds(Double(integer), .int(integer), value, schema.constraint, loc, &issues)
            return .int(integer)
        case .number:
            guard let number = Self.recording(&issues, { () throws(ValidationIssue) in try Self.number(value, loc) })
            else { return value }
            Self.checkBounds(number, .double(number), value, schema.constraint, loc, &issues)
            return .double(number)
        case .boolean:
            guard let flag = Self.recording(&issues, { () throws(ValidationIssue) in try Self.boolean(value, loc) })
            else { return value }
            return .bool(flag)
        case .array(let items):
            guard case .array(let elements) = value else {
                issues.append(
                    ValidationIssue(type: "list_type", loc: loc, msg: "Input should be a valid list", input: value)
                )
                return value
            }
            return .array(
                elements.enumerated().map { index, element in
                    Self.validate(element, against: items, at: loc + [.int(Int64(index))], issues: &issues)
                }
            )
        case .object(let properties):
            guard case .object(let pairs) = value else {
                let name = schema.title ?? "object"
                issues.append(
                    ValidationIssue(
                        type: "model_type",
                        loc: loc,
                        msg: "Input should be a valid dictionary or instance of \(name)",
                        input: value,
                        ctx: .object([("class_name", .string(name))])
                    )
                )
                return value
            }
            return .object(Self.validateProperties(pairs, properties, value, loc, &issues))
        }
    }

    private static func validateProperties(
        _ pairs: [(String, JSONValue)],
        _ properties: [JSONSchema.Property],
        _ whole: JSONValue,
        _ loc: [JSONValue],
        _ issues: inout [ValidationIssue]
    ) -> [(String, JSONValue)] {
        // One pass over the input, keeping only the keys the schema has: linear in the input,
        // whatever its size (the parser already kept one value per key). A model's few names are
        // compared directly, cheaper than hashing each of a wide body's keys.
        let names = properties.map(\.name)
        let wanted = names.count > 8 ? Set(names) : nil
        var lookup: [String: JSONValue] = [:]
        for (key, value) in pairs where wanted?.contains(key) ?? names.contains(key) { lookup[key] = value }
        var result: [(String, JSONValue)] = []
        result.reserveCapacity(properties.count)
        for property in properties {
            let here = loc + [.string(property.name)]
            if let given = lookup[property.name] {
                result.append(
                    (property.name, Self.validate(given, against: property.schema, at: here, issues: &issues))
                )
            } else if let fallback = property.schema.constraint.defaultValue {
                result.append((property.name, fallback))
            } else if property.isRequired {
                issues.append(.missing(loc: here, input: whole))
            }
        }
        return result
    }

    // MARK: - Strings

    private static func checkString(
        _ text: String,
        _ schema: JSONSchema,
        _ loc: [JSONValue],
        _ issues: inout [ValidationIssue]
    ) {
        let constraint = schema.constraint
        let input = JSONValue.string(text)
        // pydantic counts code points (Python's len), not grapheme clusters.
        let length = text.unicodeScalars.count
        if let minimum = constraint.minLength, length < minimum {
            issues.append(
                ValidationIssue(
                    type: "string_too_short",
                    loc: loc,
                    msg: "String should have at least \(minimum) character\(minimum == 1 ? "" : "s")",
                    input: input,
                    ctx: .object([("min_length", .int(Int64(minimum)))])
                )
            )
            return
        }
        if let maximum = constraint.maxLength, length > maximum {
            issues.append(
                ValidationIssue(
                    type: "string_too_long",
                    loc: loc,
                    msg: "String should have at most \(maximum) character\(maximum == 1 ? "" : "s")",
                    input: input,
                    ctx: .object([("max_length", .int(Int64(maximum)))])
                )
            )
            return
        }
        if let pattern = constraint.pattern, !PatternMatch.matches(text, pattern) {
            issues.append(
                ValidationIssue(
                    type: "string_pattern_mismatch",
                    loc: loc,
                    msg: "String should match pattern '\(pattern)'",
                    input: input,
                    ctx: .object([("pattern", .string(pattern))])
                )
            )
            return
        }
        if let format = schema.format, let check = FormatCheck.checks[format], let issue = check(text, loc) {
            issues.append(issue)
        }
    }

    // MARK: - Numbers and booleans

    /// The coerced value, or `nil` after recording why the input is not one.
    private static func recording<T>(
        _ issues: inout [ValidationIssue],
        _ coerce: () throws(ValidationIssue) -> T
    ) -> T? {
        do {
            return try coerce()
        } catch {
            issues.append(error)
            return nil
        }
    }

    private static func integer(_ value: JSONValue, _ loc: [JSONValue]) throws(ValidationIssue) -> Int64 {
        switch value {
        case .int(let integer):
            return integer
        case .double(let double):
            if let exact = Int64(exactly: double) { return exact }
            if double.isFinite && double.rounded() != double {
                throw ValidationIssue(
                    type: "int_from_float",
                    loc: loc,
                    msg: "Input should be a valid integer, got a number with a fractional part",
                    input: value
                )
            }
            throw ValidationIssue(
                type: "int_parsing_size",
                loc: loc,
                msg: "Input should be a valid integer, unable to parse input as an integer",
                input: value
            )
        case .string(let text):
            if let integer = Int64(text) { return integer }  // the common case, without trimming
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let integer = Int64(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed) { return integer }
            throw .intParsing(loc: loc, input: text)
        default:
            throw ValidationIssue(type: "int_type", loc: loc, msg: "Input should be a valid integer", input: value)
        }
    }

    private static func number(_ value: JSONValue, _ loc: [JSONValue]) throws(ValidationIssue) -> Double {
        switch value {
        case .int(let integer): return Double(integer)
        case .double(let double): return double
        case .string(let text):
            if let double = Double(text.trimmingCharacters(in: .whitespaces)) { return double }
            throw ValidationIssue(
                type: "float_parsing",
                loc: loc,
                msg: "Input should be a valid number, unable to parse string as a number",
                input: value
            )
        default:
            throw ValidationIssue(type: "float_type", loc: loc, msg: "Input should be a valid number", input: value)
        }
    }

    private static func boolean(_ value: JSONValue, _ loc: [JSONValue]) throws(ValidationIssue) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .int(0): return false
        case .int(1): return true
        case .string(let text):
            switch text.lowercased() {
            case "true", "1", "yes", "on", "t", "y": return true
            case "false", "0", "no", "off", "f", "n": return false
            default:
                throw ValidationIssue(
                    type: "bool_parsing",
                    loc: loc,
                    msg: "Input should be a valid boolean, unable to interpret input",
                    input: value
                )
            }
        default:
            throw ValidationIssue(type: "bool_type", loc: loc, msg: "Input should be a valid boolean", input: value)
        }
    }

    private static func checkBounds(
        _ number: Double,
        _ bound: JSONValue,
        _ input: JSONValue,
        _ constraint: Constraint,
        _ loc: [JSONValue],
        _ issues: inout [ValidationIssue]
    ) {
        func text(_ limit: Double) -> JSONValue {
            if case .int = bound, let integer = Int64(exactly: limit) { return .int(integer) }
            return .double(limit)
        }
        if let minimum = constraint.minimum, number < minimum {
            issues.append(
                ValidationIssue(
                    type: "greater_than_equal",
                    loc: loc,
                    msg: "Input should be greater than or equal to \(text(minimum).serialized())",
                    input: input,
                    ctx: .object([("ge", text(minimum))])
                )
            )
        } else if let maximum = constraint.maximum, number > maximum {
            issues.append(
                ValidationIssue(
                    type: "less_than_equal",
                    loc: loc,
                    msg: "Input should be less than or equal to \(text(maximum).serialized())",
                    input: input,
                    ctx: .object([("le", text(maximum))])
                )
            )
        }
    }
}

/// Regular-expression checks of `pattern` constraints.
enum PatternMatch {
    /// Whether `text` contains a match of `pattern` (pydantic's `re.search` semantics); an
    /// invalid pattern matches nothing.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        guard let regex = try? Regex(pattern).matchingSemantics(.unicodeScalar) else { return false }
        return (try? regex.firstMatch(in: text)) != nil
    }
}

/// Checks for the `format`s that validation enforces.
enum FormatCheck {
    static let checks: [String: @Sendable (String, [JSONValue]) -> ValidationIssue?] = [
        "email": { text, loc in
            guard case .failure(let reason) = EmailAddress.normalize(text) else { return nil }
            return ValidationIssue(
                type: "value_error",
                loc: loc,
                msg: "value is not a valid email address: \(reason.message)",
                input: .string(text),
                ctx: .object([("reason", .string(reason.message))])
            )
        },
        "date-time": { text, loc in
            ISO8601Timestamp.parse(text) != nil
                ? nil
                : ValidationIssue(
                    type: "datetime_from_date_parsing",
                    loc: loc,
                    msg: "Input should be a valid datetime or date, invalid character in year",
                    input: .string(text),
                    ctx: .object([("error", .string("invalid character in year"))])
                )
        },
        "date": { text, loc in
            CalendarDate(text) != nil
                ? nil
                : ValidationIssue(
                    type: "date_from_datetime_parsing",
                    loc: loc,
                    msg: "Input should be a valid date or datetime, invalid date",
                    input: .string(text),
                    ctx: .object([("error", .string("invalid date"))])
                )
        },
        "time": { text, loc in
            TimeOfDay(text) != nil
                ? nil
                : ValidationIssue(
                    type: "time_parsing",
                    loc: loc,
                    msg: "Input should be in a valid time format, invalid time",
                    input: .string(text),
                    ctx: .object([("error", .string("invalid time"))])
                )
        },
        "duration": { text, loc in
            Interval(text) != nil
                ? nil
                : ValidationIssue(
                    type: "time_delta_parsing",
                    loc: loc,
                    msg: "Input should be a valid timedelta, invalid ISO 8601 duration",
                    input: .string(text),
                    ctx: .object([("error", .string("invalid ISO 8601 duration"))])
                )
        },
        "uuid": { text, loc in
            UUID(uuidString: text) != nil
                ? nil
                : ValidationIssue(
                    type: "uuid_parsing",
                    loc: loc,
                    msg:
                        "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `\(text.first.map(String.init) ?? "")` at 1",
                    input: .string(text)
                )
        },
    ]
}
