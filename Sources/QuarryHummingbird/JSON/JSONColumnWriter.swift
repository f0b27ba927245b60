import Foundation
import NIOCore
import QuarryCore

/// Writes a `@Table` model as a JSON object straight into a buffer from its generated column
/// list (``ColumnVisitable``): the same bytes as its `Codable` form through ``JSONBodyEncoder``,
/// without `Codable`'s containers, boxes and dynamic dispatch. ``JSONBodyEncoder`` uses it for
/// every model, alone or inside arrays and other values.
///
/// ```swift
/// var buffer = ByteBuffer()
/// try JSONColumnWriter.write(user, into: &buffer)   // {"id":1,"name":"Ada",…}
/// ```
struct JSONColumnWriter: ColumnVisitor {
    var buffer: ByteBuffer
    var first = true

    /// Appends `model`'s JSON object to `buffer`.
    static func write(_ model: some ColumnVisitable, into buffer: inout ByteBuffer) throws {
        var writer = JSONColumnWriter(buffer: ByteBuffer())
        swap(&writer.buffer, &buffer)  // writes into the caller's buffer, without a copy
        defer { swap(&writer.buffer, &buffer) }
        writer.buffer.writeInteger(UInt8(ascii: "{"))
        try model.visitColumns(&writer)
        writer.buffer.writeInteger(UInt8(ascii: "}"))
    }

    private mutating func key(_ column: String) {
        if !self.first { self.buffer.writeInteger(UInt8(ascii: ",")) }
        self.first = false
        JSONValue.writeString(column, into: &self.buffer)
        self.buffer.writeInteger(UInt8(ascii: ":"))
    }

    mutating func visit<Value: Encodable>(_ column: String, _ value: Value) throws {
        self.key(column)
        try JSONBodyEncoder().encode(value, into: &self.buffer)
    }

    mutating func visit(_ column: String, _ value: String) {
        self.key(column)
        JSONValue.writeString(value, into: &self.buffer)
    }

    mutating func visit(_ column: String, _ value: String?) {
        self.key(column)
        if let value { JSONValue.writeString(value, into: &self.buffer) } else { self.buffer.writeStaticString("null") }
    }

    mutating func visit(_ column: String, _ value: Int64) {
        self.key(column)
        JSONValue.writeInteger(value, into: &self.buffer)
    }

    mutating func visit(_ column: String, _ value: Int64?) {
        self.key(column)
        if let value {
            JSONValue.writeInteger(value, into: &self.buffer)
        } else {
            self.buffer.writeStaticString("null")
        }
    }

    mutating func visit(_ column: String, _ value: Int) {
        self.key(column)
        JSONValue.writeInteger(Int64(value), into: &self.buffer)
    }

    mutating func visit(_ column: String, _ value: Bool) {
        self.key(column)
        self.buffer.writeStaticString(value ? "true" : "false")
    }

    mutating func visit(_ column: String, _ value: Double) {
        self.key(column)
        JSONValue.double(value).write(into: &self.buffer)
    }

    mutating func visit(_ column: String, _ value: Date) {
        self.key(column)
        self.writeTimestamp(value)
    }

    mutating func visit(_ column: String, _ value: Date?) {
        self.key(column)
        if let value { self.writeTimestamp(value) } else { self.buffer.writeStaticString("null") }
    }

    /// A timestamp as a JSON string: its text is digits and `-:.TZ`, which need no escaping.
    private mutating func writeTimestamp(_ value: Date) {
        self.buffer.writeInteger(UInt8(ascii: "\""))
        self.buffer.writeString(JSONValue.pydanticTimestamp(value))
        self.buffer.writeInteger(UInt8(ascii: "\""))
    }
}

/// Collects a `@Table` model's columns as a ``JSONValue`` object (for ``JSONValue/init(encoding:)``):
/// the same keys and values as ``JSONColumnWriter`` writes.
struct JSONValueColumnCollector: ColumnVisitor {
    var pairs: [(String, JSONValue)] = []

    static func object(_ model: some ColumnVisitable) throws -> JSONValue {
        var collector = JSONValueColumnCollector()
        try model.visitColumns(&collector)
        return .object(collector.pairs)
    }

    mutating func visit<Value: Encodable>(_ column: String, _ value: Value) throws {
        self.pairs.append((column, try JSONBodyEncoder().jsonValue(value)))
    }

    mutating func visit(_ column: String, _ value: String) { self.pairs.append((column, .string(value))) }
    mutating func visit(_ column: String, _ value: String?) {
        self.pairs.append((column, value.map(JSONValue.string) ?? .null))
    }
    mutating func visit(_ column: String, _ value: Int64) { self.pairs.append((column, .int(value))) }
    mutating func visit(_ column: String, _ value: Int64?) {
        self.pairs.append((column, value.map(JSONValue.int) ?? .null))
    }
    mutating func visit(_ column: String, _ value: Int) { self.pairs.append((column, .int(Int64(value)))) }
    mutating func visit(_ column: String, _ value: Bool) { self.pairs.append((column, .bool(value))) }
    mutating func visit(_ column: String, _ value: Double) { self.pairs.append((column, .double(value))) }
    mutating func visit(_ column: String, _ value: Date) { self.pairs.append((column, .timestamp(value))) }
    mutating func visit(_ column: String, _ value: Date?) {
        self.pairs.append((column, value.map(JSONValue.timestamp) ?? .null))
    }
}
