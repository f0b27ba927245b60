import Foundation

/// Decodes a `Decodable` from a parsed ``JSONValue``: the second half of reading a request
/// (``RequestInput`` validates the JSON first, so decoding a validated value does not fail).
/// Dates are ISO 8601 (`2024-01-01T01:00:00.5Z`, an offset, or no zone meaning UTC), `UUID` and
/// `Decimal` are strings (a `Decimal` may also be a number), integers accept exact floats (`3.0`).
///
/// ```swift
/// struct Paging: Decodable { var limit: Int }
/// let paging = try JSONValueDecoder().decode(Paging.self, from: .object([("limit", .int(20))]))
/// ```
public struct JSONValueDecoder: Sendable {
    /// A decoder.
    public init() {}

    /// Decodes `type` from `value`.
    /// - Throws: `DecodingError` with the coding path when `value` does not fit `type`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONTreeDecoder(value: value, codingPath: []).decodeValue(type)
    }
}

/// The `Decoder` over one ``JSONValue``.
struct JSONTreeDecoder: Decoder {
    let value: JSONValue
    /// The path to the container holding this value, and the value's key in it: kept apart so a
    /// field decodes without building a path array (only errors and nested containers ask).
    private let parentPath: [any CodingKey]
    private let key: (any CodingKey)?
    var codingPath: [any CodingKey] { self.key.map { self.parentPath + [$0] } ?? self.parentPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: JSONValue, codingPath: [any CodingKey]) {
        self.value = value
        self.parentPath = codingPath
        self.key = nil
    }

    /// The decoder of the value at `key` of the container at `parentPath`.
    init(value: JSONValue, parentPath: [any CodingKey], key: any CodingKey) {
        self.value = value
        self.parentPath = parentPath
        self.key = key
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let pairs) = self.value else { throw self.mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(KeyedJSONDecodingContainer<Key>(pairs: pairs, codingPath: self.codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = self.value else { throw self.mismatch([JSONValue].self) }
        return UnkeyedJSONDecodingContainer(items: items, codingPath: self.codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleJSONDecodingContainer(decoder: self)
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(
            type,
            DecodingError.Context(
                codingPath: self.codingPath,
                debugDescription: "Expected \(type), found \(self.value)"
            )
        )
    }

    /// Decodes `type`, reading the types with a fixed JSON form directly.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let direct = try self.directValue(type) { return direct }
        return try T(from: self)
    }

    /// Types with a fixed JSON form, recognised by comparing metatypes (no casts tried in turn).
    private func directValue<T>(_ type: T.Type) throws -> T? {
        if type == String.self {
            guard case .string(let text) = self.value else { throw self.mismatch(type) }
            return text as? T
        }
        if type == Int64.self { return try self.integer(Int64.self) as? T }
        if type == Int.self { return try self.integer(Int.self) as? T }
        if type == Bool.self {
            guard case .bool(let flag) = self.value else { throw self.mismatch(type) }
            return flag as? T
        }
        if type == Double.self { return try self.double() as? T }
        if type == Date.self {
            guard case .string(let text) = self.value, let date = ISO8601Timestamp.parse(text) else {
                throw self.mismatch(type)
            }
            return date as? T
        }
        if type == JSONValue.self { return self.value as? T }
        if type == UUID.self {
            guard case .string(let text) = self.value, let uuid = UUID(uuidString: text) else {
                throw self.mismatch(type)
            }
            return uuid as? T
        }
        if type == Decimal.self {
            switch self.value {
            case .int(let int): return Decimal(int) as? T
            case .double(let double): return Decimal(string: "\(double)") as? T
            case .string(let text):
                guard let decimal = Decimal(string: text) else { throw self.mismatch(type) }
                return decimal as? T
            default: throw self.mismatch(type)
            }
        }
        if type == Float.self { return Float(try self.double()) as? T }
        if let integer = type as? any FixedWidthInteger.Type { return try self.integer(integer) as? T }
        return nil
    }

    private func double() throws -> Double {
        switch self.value {
        case .int(let int): return Double(int)
        case .double(let double): return double
        default: throw self.mismatch(Double.self)
        }
    }

    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        switch self.value {
        case .int(let int):
            guard let exact = I(exactly: int) else { throw self.mismatch(type) }
            return exact
        case .double(let double):
            guard let exact = I(exactly: double) else { throw self.mismatch(type) }
            return exact
        default: throw self.mismatch(type)
        }
    }
}

struct KeyedJSONDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let pairs: [(String, JSONValue)]
    /// Large objects are indexed once; small ones are scanned.
    let index: [String: JSONValue]?
    let codingPath: [any CodingKey]

    init(pairs: [(String, JSONValue)], codingPath: [any CodingKey]) {
        self.pairs = pairs
        self.codingPath = codingPath
        self.index = pairs.count > 16 ? Dictionary(pairs, uniquingKeysWith: { _, last in last }) : nil
    }

    var allKeys: [Key] { self.pairs.compactMap { Key(stringValue: $0.0) } }

    func contains(_ key: Key) -> Bool { self.lookup(key) != nil }

    private func lookup(_ key: Key) -> JSONValue? {
        if let index { return index[key.stringValue] }
        return self.pairs.last { $0.0 == key.stringValue }?.1
    }

    private func child(_ key: Key) throws -> JSONTreeDecoder {
        guard let value = self.lookup(key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: self.codingPath,
                    debugDescription: "No value for \"\(key.stringValue)\""
                )
            )
        }
        return JSONTreeDecoder(value: value, parentPath: self.codingPath, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { (self.lookup(key) ?? .null) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try self.child(key).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try self.child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try self.child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONTreeDecoder(value: self.lookup(Key(stringValue: "super")!) ?? .null, codingPath: self.codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONTreeDecoder(value: self.lookup(key) ?? .null, codingPath: self.codingPath + [key])
    }
}

struct UnkeyedJSONDecodingContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { self.items.count }
    var isAtEnd: Bool { self.currentIndex >= self.items.count }

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    private mutating func next() throws -> JSONTreeDecoder {
        guard !self.isAtEnd else {
            throw DecodingError.valueNotFound(
                JSONValue.self,
                DecodingError.Context(codingPath: self.codingPath, debugDescription: "The array has no more elements")
            )
        }
        defer { self.currentIndex += 1 }
        return JSONTreeDecoder(
            value: self.items[self.currentIndex],
            parentPath: self.codingPath,
            key: JSONIndexKey(self.currentIndex)
        )
    }

    mutating func decodeNil() throws -> Bool {
        guard !self.isAtEnd, self.items[self.currentIndex] == .null else { return false }
        self.currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try self.next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try self.next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try self.next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try self.next() }
}

struct SingleJSONDecodingContainer: SingleValueDecodingContainer {
    let decoder: JSONTreeDecoder
    var codingPath: [any CodingKey] { self.decoder.codingPath }

    func decodeNil() -> Bool { self.decoder.value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try self.decoder.decodeValue(type) }
}

/// ISO 8601 timestamps as pydantic accepts them for an aware `datetime`.
enum ISO8601Timestamp {
    /// `2024-01-01T01:00:00Z`, with an optional fraction, `Z`, `±hh:mm` or no zone (UTC); a space
    /// may stand for the `T`.
    static func parse(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= utf8.count else { return nil }
            var value = 0
            for byte in utf8[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard utf8.count >= 19, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: "t") || utf8[10] == UInt8(ascii: " "),
            utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < utf8.count, utf8[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < utf8.count, utf8[index] >= 0x30, utf8[index] <= 0x39 {
                fraction += Double(utf8[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if index < utf8.count {
            switch utf8[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = utf8[index] == UInt8(ascii: "-") ? -1 : 1
                guard let hours = number(index + 1..<index + 3), index + 6 <= utf8.count,
                    utf8[index + 3] == UInt8(ascii: ":"), let minutes = number(index + 4..<index + 6)
                else { return nil }
                offset = sign * (hours * 3600 + minutes * 60)
                index += 6
            default:
                return nil
            }
        }
        guard index == utf8.count else { return nil }
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        components.hour = hour
        components.minute = minute
        components.second = second
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else {
            return nil
        }
        return date.addingTimeInterval(fraction - Double(offset))
    }
}
