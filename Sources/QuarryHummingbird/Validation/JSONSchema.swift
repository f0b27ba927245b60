import Foundation

/// The shape of a request or response value, as request validation and the OpenAPI document need
/// it: derived from a `Codable` type by ``JSONSchema/reflecting(_:)`` and refined by a type's
/// ``Validatable/constraints``.
///
/// ```swift
/// struct UserCreate: Codable, Validatable {
///     var name: String
///     var email: Email
///     static let constraints: [String: Constraint] = ["name": .length(1...200)]
/// }
/// let schema = JSONSchema.reflecting(UserCreate.self)
/// // object UserCreate { name: string (1…200), email: string (email) }, both required
/// ```
public struct JSONSchema: Sendable, Equatable {
    /// The JSON type.
    public indirect enum Kind: Sendable, Equatable {
        case string
        case integer
        case number
        case boolean
        case array(JSONSchema)
        /// An object's properties, in declaration order.
        case object([Property])
        /// Any JSON value.
        case any
    }

    /// One property of an object.
    public struct Property: Sendable, Equatable {
        /// The JSON key.
        public var name: String
        /// The value's schema.
        public var schema: JSONSchema
        /// Whether the key must be present (it has no default and is not optional).
        public var isRequired: Bool

        /// A property.
        public init(_ name: String, _ schema: JSONSchema, isRequired: Bool = true) {
            self.name = name
            self.schema = schema
            self.isRequired = isRequired
        }
    }

    /// The JSON type.
    public var kind: Kind
    /// The name of the Swift type an object schema describes: its OpenAPI component name.
    public var title: String?
    /// A `format` (`email`, `date-time`, `uuid`, …), checked by ``RequestValidator``.
    public var format: String?
    /// Whether `null` is allowed.
    public var isNullable = false
    /// The constraints: lengths (in Unicode code points), bounds, a pattern, a default.
    public var constraint = Constraint()

    /// A schema.
    public init(_ kind: Kind, title: String? = nil, format: String? = nil, isNullable: Bool = false) {
        self.kind = kind
        self.title = title
        self.format = format
        self.isNullable = isNullable
    }

    /// The properties of an object schema (empty otherwise).
    public var properties: [Property] {
        if case .object(let properties) = self.kind { return properties }
        return []
    }

    /// The schema with `constraint` added to its own.
    public func adding(_ constraint: Constraint) -> JSONSchema {
        var copy = self
        copy.constraint = self.constraint.merged(with: constraint)
        return copy
    }

    /// The schema of a Swift type: the keys its `Decodable` implementation asks for, in order,
    /// with their types, refined by ``Validatable/constraints`` and ``JSONSchemaDescribing``.
    /// A type that is not `Decodable`, or whose decoding cannot be traced, is ``Kind/any``.
    public static func reflecting(_ type: Any.Type) -> JSONSchema {
        SchemaReflector.schema(of: type)
    }
}

/// A type with its own JSON schema and a value to stand in for it while a schema is traced
/// (``Email``, identifiers, enumerations).
///
/// ```swift
/// struct Slug: Codable, JSONSchemaDescribing {
///     var text: String
///     static var jsonSchema: JSONSchema { JSONSchema(.string).adding(.pattern("^[a-z-]+$")) }
///     static var schemaPlaceholder: Slug { Slug(text: "a") }
/// }
/// ```
public protocol JSONSchemaDescribing {
    /// The type's schema.
    static var jsonSchema: JSONSchema { get }
    /// Any valid value.
    static var schemaPlaceholder: Self { get }
}

/// A request type with constraints on its fields, checked before it is decoded, all at once,
/// with pydantic's error types and messages (FastAPI's 422).
///
/// ```swift
/// struct PostCreate: Codable, Validatable {
///     var title: String
///     var body: String
///     static let constraints: [String: Constraint] = [
///         "title": .length(1...300),
///         "body": .length(max: 100_000),
///     ]
/// }
/// ```
public protocol Validatable {
    /// Constraints by JSON key.
    static var constraints: [String: Constraint] { get }
}

/// What a value must satisfy beyond its type. Lengths count Unicode code points, as pydantic
/// does (so a letter followed by 300,000 combining marks is 300,001 long, not 1).
///
/// ```swift
/// let limit: Constraint = .range(1...100).default(20)
/// let title: Constraint = .length(1...300).pattern("^[^\\x00]*$")
/// ```
public struct Constraint: Sendable, Equatable {
    /// The shortest string or array.
    public var minLength: Int?
    /// The longest string or array.
    public var maxLength: Int?
    /// The smallest number.
    public var minimum: Double?
    /// The largest number.
    public var maximum: Double?
    /// A regular expression a string must contain a match of (anchor it with `^…$`).
    public var pattern: String?
    /// The value used when the key is absent (which makes the key optional).
    public var defaultValue: JSONValue?

    /// No constraint.
    public init() {}

    /// A length between the range's bounds, in Unicode code points.
    public static func length(_ range: ClosedRange<Int>) -> Constraint {
        Self.length(min: range.lowerBound, max: range.upperBound)
    }

    /// A length of at least `min` and at most `max` code points.
    public static func length(min: Int? = nil, max: Int? = nil) -> Constraint {
        var constraint = Constraint()
        constraint.minLength = min
        constraint.maxLength = max
        return constraint
    }

    /// A number within the range.
    public static func range(_ range: ClosedRange<Int>) -> Constraint {
        Self.range(min: range.lowerBound, max: range.upperBound)
    }

    /// A number of at least `min` and at most `max`.
    public static func range(min: Int? = nil, max: Int? = nil) -> Constraint {
        var constraint = Constraint()
        constraint.minimum = min.map(Double.init)
        constraint.maximum = max.map(Double.init)
        return constraint
    }

    /// A string containing a match of `regex`.
    public static func pattern(_ regex: String) -> Constraint { Constraint().pattern(regex) }

    /// This constraint and a pattern.
    public func pattern(_ regex: String) -> Constraint {
        var copy = self
        copy.pattern = regex
        return copy
    }

    /// This constraint and a default value.
    public func `default`(_ value: JSONValue) -> Constraint {
        var copy = self
        copy.defaultValue = value
        return copy
    }

    /// This constraint and a default integer.
    public func `default`(_ value: Int) -> Constraint { self.default(.int(Int64(value))) }

    /// Both constraints; `other` wins where both set the same bound.
    public func merged(with other: Constraint) -> Constraint {
        var merged = self
        merged.minLength = other.minLength ?? self.minLength
        merged.maxLength = other.maxLength ?? self.maxLength
        merged.minimum = other.minimum ?? self.minimum
        merged.maximum = other.maximum ?? self.maximum
        merged.pattern = other.pattern ?? self.pattern
        merged.defaultValue = other.defaultValue ?? self.defaultValue
        return merged
    }
}
