public import Foundation
public import NIOCore
import QuarryCore

/// A JSON document whose objects keep their key order, written compactly the way FastAPI writes
/// responses (`json.dumps(…, ensure_ascii=False, separators=(",", ":"))`), so responses match a
/// Python client's expectations byte for byte.
///
/// ```swift
/// let body: JSONValue = .object([("id", .int(1)), ("name", .string("Ada"))])
/// body.serialized()   // {"id":1,"name":"Ada"}
/// ```
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Key-value pairs, in output order.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: return false
        }
    }

    /// Parses a JSON document, keeping object keys in document order.
    /// - Throws: ``JSONParseError`` with the byte offset when `data` is not one JSON value.
    /// A leading UTF-8 byte order mark is skipped (RFC 8259 §8.1 lets a parser ignore it).
    public static func parse(_ data: Data) throws -> JSONValue {
        var parser = JSONParser(bytes: Array(data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data))
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw JSONParseError(offset: parser.index, "Extra data") }
        return value
    }

    /// The value for `key` of an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// The compact JSON text.
    public func serialized() -> String { String(buffer: self.byteBuffer) }

    /// The compact JSON text as a buffer, ready to be a response body.
    public var byteBuffer: ByteBuffer {
        var buffer = ByteBuffer()
        self.write(into: &buffer)
        return buffer
    }

    /// Appends the compact JSON text, as UTF-8, to `buffer`: the form responses are written in,
    /// with no intermediate `String`.
    ///
    /// ```swift
    /// var buffer = ByteBuffer()
    /// JSONValue.array([.int(1), .string("a")]).write(into: &buffer)   // [1,"a"]
    /// ```
    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .null: buffer.writeStaticString("null")
        case .bool(let b): buffer.writeStaticString(b ? "true" : "false")
        case .int(let i): Self.writeInteger(i, into: &buffer)
        case .double(let d): buffer.writeString(d.isFinite ? "\(d)" : "null")
        case .string(let s): Self.writeString(s, into: &buffer)
        case .array(let items):
            Self.writeArray(items, into: &buffer) { item, buffer in item.write(into: &buffer) }
        case .object(let pairs):
            Self.writeObject(pairs, into: &buffer) { value, buffer in value.write(into: &buffer) }
        }
    }

    /// `[a,b,…]`, each element written by `write`.
    static func writeArray<Element>(
        _ items: [Element],
        into buffer: inout ByteBuffer,
        _ write: (Element, inout ByteBuffer) -> Void
    ) {
        buffer.writeInteger(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            write(item, &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    /// `{"key":value,…}` in the pairs' order, each value written by `write`.
    static func writeObject<Value>(
        _ pairs: [(String, Value)],
        into buffer: inout ByteBuffer,
        _ write: (Value, inout ByteBuffer) -> Void
    ) {
        buffer.writeInteger(UInt8(ascii: "{"))
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            Self.writeString(key, into: &buffer)
            buffer.writeInteger(UInt8(ascii: ":"))
            write(value, &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    /// Decimal digits without a `String` in between.
    static func writeInteger(_ value: Int64, into buffer: inout ByteBuffer) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits and a sign
        withUnsafeMutableBytes(of: &digits) { raw in
            var magnitude = value.magnitude
            var index = raw.count
            repeat {
                index -= 1
                raw[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                index -= 1
                raw[index] = UInt8(ascii: "-")
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: raw[index...]))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: runs of bytes that need no escape are copied whole.
    static func writeString(_ s: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated()
            where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart..<index])))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case 0x08: buffer.writeStaticString("\\b")
                case 0x0C: buffer.writeStaticString("\\f")
                default:
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
                    buffer.writeInteger(Self.hexDigits[Int(byte & 0xF)])
                }
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[runStart...])))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// A timestamp as pydantic writes an aware UTC `datetime`: ISO 8601 with microseconds (left
    /// out when zero) and `Z`, for example `2024-01-01T01:00:00.007920Z`.
    public static func timestamp(_ date: Date) -> JSONValue {
        .string(Self.pydanticTimestamp(date))
    }

    /// The text of ``timestamp(_:)``.
    public static func pydanticTimestamp(_ date: Date) -> String {
        TimestampFormat.iso8601(date)
    }
}
