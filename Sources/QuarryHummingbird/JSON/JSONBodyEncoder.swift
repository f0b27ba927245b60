import Foundation
public import NIOCore
import QuarryCore

/// Encodes any `Encodable` as the JSON a FastAPI service writes: compact, object keys in the
/// order the type encodes them (for a `@Table` model, its columns in declaration order), dates as
/// pydantic writes an aware UTC `datetime` (`2024-01-01T01:00:00.007920Z`), `Decimal` as a string
/// (pydantic's JSON mode), `UUID` in lower case, `Data` in Base64, `nil` as `null`.
///
/// Foundation's `JSONEncoder` writes keys in no fixed order and dates as seconds; this encoder
/// collects the value's containers in order and writes them straight into a `ByteBuffer`. Values
/// with a fixed JSON form are recognised by their type (a pointer comparison), never by trying
/// casts one after the other.
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
    public func encode<T: Encodable>(_ value: T, into buffer: inout ByteBuffer) throws {
        // The type is asked, not the value: a value cast to `any ColumnVisitable` would be copied
        // into an existential box (an allocation per model of a list).
        if let model = T.self as? any ColumnVisitable.Type {
            try Self.writeColumns(value, as: model, into: &buffer)
            return
        }
        try JSONEncodingNode.child(value, path: CodingPathNode.root).write(into: &buffer)
    }

    /// Writes `value`, whose type is `Model`, from its columns.
    static func writeColumns<T, Model: ColumnVisitable>(
        _ value: T,
        as model: Model.Type,
        into buffer: inout ByteBuffer
    ) throws {
        // `T` is `Model` (the caller found it so): the cast compares two metadata pointers.
        try JSONColumnWriter.write(value as! Model, into: &buffer)
    }

    /// The value as a ``JSONValue``.
    public func jsonValue(_ value: some Encodable) throws -> JSONValue {
        if let model = value as? any ColumnVisitable { return try JSONValueColumnCollector.object(model) }
        return try JSONEncodingNode.child(value, path: CodingPathNode.root).value
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

/// A coding path kept as a chain, turned into an array only when someone asks for it.
final class CodingPathNode: Sendable {
    let parent: CodingPathNode?
    let key: (any CodingKey & Sendable)?

    static let root = CodingPathNode(parent: nil, key: nil)

    init(parent: CodingPathNode?, key: (any CodingKey & Sendable)?) {
        self.parent = parent
        self.key = key
    }

    func appending(_ key: some CodingKey) -> CodingPathNode {
        CodingPathNode(parent: self, key: AnyJSONKey(key))
    }

    var path: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node: CodingPathNode? = self
        while let current = node, let key = current.key {
            keys.append(key)
            node = current.parent
        }
        return keys.reversed()
    }
}

/// One encoded value: a scalar, or a container filled by the value's `encode(to:)`.
enum JSONEncodingChild {
    case value(JSONValue)
    case node(JSONEncodingNode)
    /// JSON already written (a `@Table` model).
    case raw(ByteBuffer)

    func write(into buffer: inout ByteBuffer) {
        switch self {
        case .value(let value): value.write(into: &buffer)
        case .node(let node): node.write(into: &buffer)
        case .raw(var bytes): buffer.writeBuffer(&bytes)
        }
    }

    var value: JSONValue {
        switch self {
        case .value(let value): value
        case .node(let node): node.value
        // Written by this module from a model's columns: always valid JSON.
        case .raw(let bytes): (try? JSONValue.parse(Data(bytes.readableBytesView))) ?? .null
        }
    }
}

/// A container under construction: empty until the value's `encode(to:)` asks for one.
final class JSONEncodingNode {
    enum Content {
        case empty
        case scalar(JSONValue)
        case raw(ByteBuffer)
        case object([(String, JSONEncodingChild)])
        case array([JSONEncodingChild])
    }

    var content: Content = .empty

    /// `value` encoded: scalars directly, anything else through its `encode(to:)`.
    /// The path is only built for values that are not scalars.
    static func child<T: Encodable>(_ value: T, path: @autoclosure () -> CodingPathNode) throws -> JSONEncodingChild {
        if let scalar = Self.scalar(value) { return .value(scalar) }
        if let model = T.self as? any ColumnVisitable.Type {
            // A `@Table` model inside another value (an array, a wrapper): written from its
            // columns, like a model alone.
            var bytes = ByteBuffer()
            try JSONBodyEncoder.writeColumns(value, as: model, into: &bytes)
            return .raw(bytes)
        }
        let node = JSONEncodingNode()
        try value.encode(to: JSONTreeEncoder(node: node, path: path()))
        return .node(node)
    }

    /// The JSON of values with a fixed form, found by comparing `T` with each type (no casts
    /// tried in turn); `nil` for any other type. Optionals of these are handled too.
    static func scalar<T: Encodable>(_ value: T) -> JSONValue? {
        if T.self == String.self { return .string(value as! String) }
        if T.self == Int64.self { return .int(value as! Int64) }
        if T.self == Int.self { return .int(Int64(value as! Int)) }
        if T.self == Date.self { return .timestamp(value as! Date) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == Double.self { return .double(value as! Double) }
        if T.self == JSONValue.self { return (value as! JSONValue) }
        if T.self == Int32.self { return .int(Int64(value as! Int32)) }
        if T.self == UUID.self { return .string((value as! UUID).uuidString.lowercased()) }
        if T.self == Decimal.self { return .string((value as! Decimal).description) }
        if T.self == Float.self { return .double(Double(value as! Float)) }
        if T.self == URL.self { return .string((value as! URL).absoluteString) }
        if T.self == Data.self { return .string((value as! Data).base64EncodedString()) }
        if let optional = value as? any OptionalScalar { return optional.scalarJSON }
        if let integer = value as? any BinaryInteger {
            return Int64(exactly: integer).map(JSONValue.int) ?? .double(Double(integer))
        }
        return nil
    }

    func write(into buffer: inout ByteBuffer) {
        switch self.content {
        case .empty:
            buffer.writeStaticString("{}")
        case .scalar(let value):
            value.write(into: &buffer)
        case .raw(var bytes):
            buffer.writeBuffer(&bytes)
        case .object(let pairs):
            JSONValue.writeObject(pairs, into: &buffer) { child, buffer in child.write(into: &buffer) }
        case .array(let items):
            JSONValue.writeArray(items, into: &buffer) { child, buffer in child.write(into: &buffer) }
        }
    }

    /// The finished value; a value that encoded nothing is `{}`.
    var value: JSONValue {
        switch self.content {
        case .empty: .object([])
        case .scalar(let value): value
        case .raw(let bytes): JSONEncodingChild.raw(bytes).value
        case .object(let pairs): .object(pairs.map { ($0.0, $0.1.value) })
        case .array(let items): .array(items.map(\.value))
        }
    }

    /// Sets `key` of an object: a key encoded twice keeps its first place and its last value.
    func set(_ key: String, _ child: JSONEncodingChild) {
        guard case .object(var pairs) = self.content else { return }
        self.content = .empty  // keeps `pairs` uniquely referenced while it grows
        if let position = pairs.firstIndex(where: { $0.0 == key }) {
            pairs[position].1 = child
        } else {
            pairs.append((key, child))
        }
        self.content = .object(pairs)
    }

    func append(_ child: JSONEncodingChild) {
        guard case .array(var items) = self.content else { return }
        self.content = .empty
        items.append(child)
        self.content = .array(items)
    }

    var count: Int {
        switch self.content {
        case .array(let items): items.count
        case .object(let pairs): pairs.count
        default: 0
        }
    }
}

/// `Optional` of a type ``JSONEncodingNode/scalar(_:)`` knows: `null` or the wrapped scalar.
protocol OptionalScalar {
    var scalarJSON: JSONValue? { get }
}

extension Optional: OptionalScalar where Wrapped: Encodable {
    var scalarJSON: JSONValue? {
        switch self {
        case .none: .null
        case .some(let wrapped): JSONEncodingNode.scalar(wrapped)
        }
    }
}

/// The `Encoder` that fills a ``JSONEncodingNode``.
struct JSONTreeEncoder: Encoder {
    let node: JSONEncodingNode
    let path: CodingPathNode
    var codingPath: [any CodingKey] { self.path.path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = self.node.content {} else { self.node.content = .object([]) }
        return KeyedEncodingContainer(KeyedJSONEncodingContainer<Key>(node: self.node, path: self.path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = self.node.content {} else { self.node.content = .array([]) }
        return UnkeyedJSONEncodingContainer(node: self.node, path: self.path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleJSONEncodingContainer(node: self.node, path: self.path)
    }
}

struct KeyedJSONEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONEncodingNode
    let path: CodingPathNode
    var codingPath: [any CodingKey] { self.path.path }

    mutating func encodeNil(forKey key: Key) throws { self.node.set(key.stringValue, .value(.null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { self.node.set(key.stringValue, .value(.bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws {
        self.node.set(key.stringValue, .value(.string(value)))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws { self.node.set(key.stringValue, .value(.int(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        self.node.set(key.stringValue, .value(.int(Int64(value))))
    }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        self.node.set(key.stringValue, try JSONEncodingNode.child(value, path: self.path.appending(key)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONEncodingNode()
        self.node.set(key.stringValue, .node(child))
        return JSONTreeEncoder(node: child, path: self.path.appending(key)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONEncodingNode()
        self.node.set(key.stringValue, .node(child))
        return JSONTreeEncoder(node: child, path: self.path.appending(key)).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { self.superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = JSONEncodingNode()
        self.node.set(key.stringValue, .node(child))
        return JSONTreeEncoder(node: child, path: self.path.appending(key))
    }
}

struct UnkeyedJSONEncodingContainer: UnkeyedEncodingContainer {
    let node: JSONEncodingNode
    let path: CodingPathNode
    var codingPath: [any CodingKey] { self.path.path }
    var count: Int { self.node.count }

    private var nextPath: CodingPathNode { self.path.appending(JSONIndexKey(self.count)) }

    mutating func encodeNil() throws { self.node.append(.value(.null)) }

    mutating func encode(_ value: some Encodable) throws {
        let path = self.path
        let index = self.count
        self.node.append(try JSONEncodingNode.child(value, path: path.appending(JSONIndexKey(index))))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONEncodingNode()
        let path = self.nextPath
        self.node.append(.node(child))
        return JSONTreeEncoder(node: child, path: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONEncodingNode()
        let path = self.nextPath
        self.node.append(.node(child))
        return JSONTreeEncoder(node: child, path: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONEncodingNode()
        let path = self.nextPath
        self.node.append(.node(child))
        return JSONTreeEncoder(node: child, path: path)
    }
}

struct SingleJSONEncodingContainer: SingleValueEncodingContainer {
    let node: JSONEncodingNode
    let path: CodingPathNode
    var codingPath: [any CodingKey] { self.path.path }

    mutating func encodeNil() throws { self.node.content = .scalar(.null) }

    mutating func encode(_ value: some Encodable) throws {
        switch try JSONEncodingNode.child(value, path: self.path) {
        case .value(let scalar): self.node.content = .scalar(scalar)
        case .node(let inner): self.node.content = inner.content
        case .raw(let bytes): self.node.content = .raw(bytes)
        }
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
