import Foundation
public import NIOCore

/// Encodes any `Encodable` as the JSON a FastAPI service writes: compact, object keys in the
/// order the type encodes them (for a `@Table` model, its columns in declaration order), dates as
/// pydantic writes an aware UTC `datetime` (`2024-01-01T01:00:00.007920Z`), `Decimal` as a string
/// (pydantic's JSON mode), `UUID` in lower case, `Data` in Base64, `nil` as `null`.
///
/// Foundation's `JSONEncoder` writes keys in no fixed order and dates as seconds; this encoder
/// builds a ``JSONValue`` (whose objects keep their order) and writes it straight into a
/// `ByteBuffer`.
///
/// ```swift
/// struct Greeting: Encodable { var text: String; var at: Date }
/// let body = try JSONBodyEncoder().encode(Greeting(text: "hi", at: Date(timeIntervalSince1970: 0)))
/// // {"text":"hi","at":"1970-01-01T00:00:00Z"}
/// ```
public struct JSONBodyEncoder: Sendable {
    /// An encoder.
    public init() {}

    /// The value as a response body.
    /// - Throws: `EncodingError` when the value's `encode(to:)` throws.
    public func encode(_ value: some Encodable) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        try self.encode(value, into: &buffer)
        return buffer
    }

    /// Appends the value's JSON to `buffer`.
    public func encode(_ value: some Encodable, into buffer: inout ByteBuffer) throws {
        try self.jsonValue(value).write(into: &buffer)
    }

    /// The value as a ``JSONValue``.
    public func jsonValue(_ value: some Encodable) throws -> JSONValue {
        if let direct = JSONEncodingNode.directValue(value) { return direct }
        let node = JSONEncodingNode()
        try value.encode(to: JSONTreeEncoder(node: node, codingPath: []))
        return node.value
    }
}

extension JSONValue {
    /// The JSON of an `Encodable` value, as ``JSONBodyEncoder`` writes it.
    ///
    /// ```swift
    /// let user = try JSONValue(encoding: User(id: 1, name: "Ada", email: "ada@example.com"))
    /// ```
    public init(encoding value: some Encodable) throws {
        self = try JSONBodyEncoder().jsonValue(value)
    }
}

/// One value under construction: empty until the value's `encode(to:)` asks for a container.
final class JSONEncodingNode {
    enum Content {
        case empty
        case value(JSONValue)
        case object([(String, JSONEncodingNode)], index: [String: Int])
        case array([JSONEncodingNode])
    }

    var content: Content = .empty

    init() {}
    init(_ value: JSONValue) { self.content = .value(value) }

    /// The finished value; a value that encoded nothing is `{}`.
    var value: JSONValue {
        switch self.content {
        case .empty: return .object([])
        case .value(let value): return value
        case .object(let pairs, _): return .object(pairs.map { ($0.0, $0.1.value) })
        case .array(let items): return .array(items.map(\.value))
        }
    }

    /// Values with a fixed JSON form, written without asking them to encode themselves.
    static func directValue(_ value: Any) -> JSONValue? {
        switch value {
        case let value as String: return .string(value)
        case let value as Int64: return .int(value)
        case let value as Int: return .int(Int64(value))
        case let value as Bool: return .bool(value)
        case let value as Double: return .double(value)
        case let value as Date: return .timestamp(value)
        case let value as UUID: return .string(value.uuidString.lowercased())
        case let value as Decimal: return .string(value.description)
        case let value as URL: return .string(value.absoluteString)
        case let value as Data: return .string(value.base64EncodedString())
        case let value as JSONValue: return value
        case let value as Float: return .double(Double(value))
        case let value as any BinaryInteger:
            return Int64(exactly: value).map(JSONValue.int) ?? .double(Double(value))
        default: return nil
        }
    }

    /// Appends `(key, node)` to an object, replacing an earlier value of the same key.
    func set(_ key: String, _ node: JSONEncodingNode) {
        guard case .object(var pairs, var index) = self.content else { return }
        self.content = .empty  // keeps `pairs` uniquely referenced while it grows
        if let position = index[key] {
            pairs[position].1 = node
        } else {
            index[key] = pairs.count
            pairs.append((key, node))
        }
        self.content = .object(pairs, index: index)
    }

    func append(_ node: JSONEncodingNode) {
        guard case .array(var items) = self.content else { return }
        self.content = .empty
        items.append(node)
        self.content = .array(items)
    }

    var count: Int {
        switch self.content {
        case .array(let items): return items.count
        case .object(let pairs, _): return pairs.count
        default: return 0
        }
    }
}

/// The `Encoder` that fills a ``JSONEncodingNode``.
struct JSONTreeEncoder: Encoder {
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = self.node.content {} else { self.node.content = .object([], index: [:]) }
        return KeyedEncodingContainer(KeyedJSONEncodingContainer<Key>(node: self.node, codingPath: self.codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = self.node.content {} else { self.node.content = .array([]) }
        return UnkeyedJSONEncodingContainer(node: self.node, codingPath: self.codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleJSONEncodingContainer(node: self.node, codingPath: self.codingPath)
    }

    /// Encodes `value` into a new node.
    static func encode(_ value: some Encodable, codingPath: [any CodingKey]) throws -> JSONEncodingNode {
        if let direct = JSONEncodingNode.directValue(value) { return JSONEncodingNode(direct) }
        let node = JSONEncodingNode()
        try value.encode(to: JSONTreeEncoder(node: node, codingPath: codingPath))
        return node
    }
}

struct KeyedJSONEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { self.node.set(key.stringValue, JSONEncodingNode(.null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        self.node.set(key.stringValue, JSONEncodingNode(.bool(value)))
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        self.node.set(key.stringValue, JSONEncodingNode(.string(value)))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        self.node.set(key.stringValue, JSONEncodingNode(.int(value)))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        self.node.set(key.stringValue, JSONEncodingNode(.int(Int64(value))))
    }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        self.node.set(key.stringValue, try JSONTreeEncoder.encode(value, codingPath: self.codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONEncodingNode()
        self.node.set(key.stringValue, child)
        return JSONTreeEncoder(node: child, codingPath: self.codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONEncodingNode()
        self.node.set(key.stringValue, child)
        return JSONTreeEncoder(node: child, codingPath: self.codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { self.superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = JSONEncodingNode()
        self.node.set(key.stringValue, child)
        return JSONTreeEncoder(node: child, codingPath: self.codingPath + [key])
    }
}

struct UnkeyedJSONEncodingContainer: UnkeyedEncodingContainer {
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]
    var count: Int { self.node.count }

    private var nextKey: any CodingKey { JSONIndexKey(self.count) }

    mutating func encodeNil() throws { self.node.append(JSONEncodingNode(.null)) }

    mutating func encode(_ value: some Encodable) throws {
        self.node.append(try JSONTreeEncoder.encode(value, codingPath: self.codingPath + [self.nextKey]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONEncodingNode()
        let path = self.codingPath + [self.nextKey]
        self.node.append(child)
        return JSONTreeEncoder(node: child, codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONEncodingNode()
        let path = self.codingPath + [self.nextKey]
        self.node.append(child)
        return JSONTreeEncoder(node: child, codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONEncodingNode()
        let path = self.codingPath + [self.nextKey]
        self.node.append(child)
        return JSONTreeEncoder(node: child, codingPath: path)
    }
}

struct SingleJSONEncodingContainer: SingleValueEncodingContainer {
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { self.node.content = .value(.null) }

    mutating func encode(_ value: some Encodable) throws {
        self.node.content = try JSONTreeEncoder.encode(value, codingPath: self.codingPath).content
    }
}

/// The coding key of an array element.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(self.intValue ?? 0)" }

    init(_ index: Int) { self.intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}
