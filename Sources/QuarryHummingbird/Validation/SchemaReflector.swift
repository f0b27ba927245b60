import Foundation

/// Traces a `Decodable` type's schema by decoding it from a decoder that records what is asked
/// (keys, types, optional or required) and answers with stand-in values. Objects are named after
/// their Swift type, and ``Validatable/constraints`` are applied to their properties.
enum SchemaReflector {
    static func schema(of type: Any.Type) -> JSONSchema {
        if let leaf = Self.leafSchema(type) { return leaf }
        guard let decodable = type as? any Decodable.Type else { return JSONSchema(.any) }
        return (try? Self.trace(decodable).schema) ?? JSONSchema(.any)
    }

    /// The schema of a type with a fixed JSON form, or `nil`.
    static func leafSchema(_ type: Any.Type) -> JSONSchema? {
        switch type {
        case let described as any JSONSchemaDescribing.Type: return described.jsonSchema
        case is String.Type: return JSONSchema(.string)
        case is Bool.Type: return JSONSchema(.boolean)
        case is Double.Type, is Float.Type: return JSONSchema(.number)
        case is any FixedWidthInteger.Type: return JSONSchema(.integer)
        case is Date.Type: return JSONSchema(.string, format: "date-time")
        case is UUID.Type: return JSONSchema(.string, format: "uuid")
        case is Decimal.Type: return JSONSchema(.string, format: "decimal")
        case is URL.Type: return JSONSchema(.string, format: "uri")
        case is JSONValue.Type: return JSONSchema(.any)
        default: return nil
        }
    }

    /// A stand-in value of a type with a fixed JSON form.
    static func placeholder<T>(_ type: T.Type) -> T? {
        switch type {
        case let described as any JSONSchemaDescribing.Type: return described.schemaPlaceholder as? T
        case is String.Type: return "" as? T
        case is Bool.Type: return false as? T
        case is Double.Type: return 0.0 as? T
        case is Float.Type: return Float(0) as? T
        case let integer as any FixedWidthInteger.Type: return integer.zero as? T
        case is Date.Type: return Date(timeIntervalSince1970: 0) as? T
        case is UUID.Type: return UUID() as? T
        case is Decimal.Type: return Decimal(0) as? T
        case is URL.Type: return URL(string: "http://localhost") as? T
        case is JSONValue.Type: return JSONValue.null as? T
        default: return nil
        }
    }

    /// Decodes `type` from a recording decoder: its value and schema.
    static func trace<T: Decodable>(_ type: T.Type) throws -> (value: T, schema: JSONSchema) {
        if let leaf = Self.leafSchema(type), let value = Self.placeholder(type) { return (value, leaf) }
        let recorder = SchemaRecorder()
        let value = try T(from: ReflectingDecoder(recorder: recorder))
        var schema = recorder.schema
        if case .object(var properties) = schema.kind {
            schema.title = Self.name(of: type)
            if let validatable = type as? any Validatable.Type {
                let constraints = validatable.constraints
                for index in properties.indices {
                    guard let constraint = constraints[properties[index].name] else { continue }
                    properties[index].schema = properties[index].schema.adding(constraint)
                    if constraint.defaultValue != nil { properties[index].isRequired = false }
                }
            }
            schema.kind = .object(properties)
        }
        return (value, schema)
    }

    /// `UserCreate`, `Page<User>` → `Page_User_` (OpenAPI component names allow `[A-Za-z0-9._-]`).
    static func name(of type: Any.Type) -> String {
        String(String(describing: type).map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
    }
}

/// What a traced decoding asked for.
final class SchemaRecorder {
    var schema = JSONSchema(.any)
    /// Keys asked about with `decodeNil(forKey:)` or `decodeIfPresent`: optional ones.
    var optionalKeys: Set<String> = []
}

struct ReflectingDecoder: Decoder {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if case .object = self.recorder.schema.kind {} else { self.recorder.schema = JSONSchema(.object([])) }
        return KeyedDecodingContainer(ReflectingKeyedContainer<Key>(recorder: self.recorder))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        ReflectingUnkeyedContainer(recorder: self.recorder)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ReflectingSingleValueContainer(recorder: self.recorder)
    }
}

struct ReflectingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }

    private func record(_ key: Key, _ schema: JSONSchema, required: Bool) {
        guard case .object(var properties) = self.recorder.schema.kind else { return }
        properties.removeAll { $0.name == key.stringValue }
        properties.append(JSONSchema.Property(key.stringValue, schema, isRequired: required))
        self.recorder.schema.kind = .object(properties)
    }

    /// Only optional values are asked about `nil` (by `decodeIfPresent`'s default implementation).
    func decodeNil(forKey key: Key) throws -> Bool {
        self.recorder.optionalKeys.insert(key.stringValue)
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        var (value, schema) = try SchemaReflector.trace(type)
        let isOptional = self.recorder.optionalKeys.contains(key.stringValue)
        if isOptional { schema.isNullable = true }
        self.record(key, schema, required: !isOptional)
        return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        self.recorder.optionalKeys.insert(key.stringValue)
        return try self.decode(type, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let nested = SchemaRecorder()
        let container = try ReflectingDecoder(recorder: nested).container(keyedBy: type)
        self.record(key, nested.schema, required: true)
        return container
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let nested = SchemaRecorder()
        self.record(key, JSONSchema(.array(JSONSchema(.any))), required: true)
        return ReflectingUnkeyedContainer(recorder: nested)
    }

    func superDecoder() throws -> any Decoder { ReflectingDecoder(recorder: SchemaRecorder()) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ReflectingDecoder(recorder: SchemaRecorder()) }
}

/// An array: its element type is traced once; the array then reports its end.
struct ReflectingUnkeyedContainer: UnkeyedDecodingContainer {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey] { [] }
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { self.currentIndex >= 1 }

    init(recorder: SchemaRecorder) {
        self.recorder = recorder
        self.recorder.schema = JSONSchema(.array(JSONSchema(.any)))
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, schema) = try SchemaReflector.trace(type)
        self.recorder.schema = JSONSchema(.array(schema))
        self.currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        self.currentIndex += 1
        return try ReflectingDecoder(recorder: SchemaRecorder()).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        self.currentIndex += 1
        return ReflectingUnkeyedContainer(recorder: SchemaRecorder())
    }

    mutating func superDecoder() throws -> any Decoder { ReflectingDecoder(recorder: SchemaRecorder()) }
}

/// A value that decodes itself from one inner value (a wrapper, a `RawRepresentable` enum).
struct ReflectingSingleValueContainer: SingleValueDecodingContainer {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, schema) = try SchemaReflector.trace(type)
        self.recorder.schema = schema
        return value
    }
}
