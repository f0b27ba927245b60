import Foundation

/// Malformed JSON, at byte `offset`, with the message Python's `json` module gives for the same
/// input (FastAPI echoes it in a 422's `ctx.error`).
public struct JSONParseError: Error, Sendable {
    /// Where parsing stopped.
    public let offset: Int
    /// What was expected: `Expecting value`, `Expecting ',' delimiter`, `Extra data`, …
    public let reason: String

    init(offset: Int, _ reason: String = "Expecting value") {
        self.offset = offset
        self.reason = reason
    }
}

/// A small recursive-descent JSON parser that keeps object keys in order (Foundation's decoders
/// do not), so request bodies are echoed back in validation errors as they were sent.
struct JSONParser {
    let bytes: [UInt8]
    var index = 0
    static let maxDepth = 512

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    /// `pairs` with each repeated key at its first position holding its last value. The index
    /// is sized for every key at once: growing it key by key rehashed them all at each doubling,
    /// a fifth of a 100,000-key body's parse.
    static func deduplicated(_ pairs: [(String, JSONValue)]) -> [(String, JSONValue)] {
        // Keys only, first: the usual object has no repeated key, and then no value is copied.
        var seen = Set<String>(minimumCapacity: pairs.count)
        guard !pairs.allSatisfy({ seen.insert($0.0).inserted }) else { return pairs }
        var positions = [String: Int](minimumCapacity: pairs.count)
        var result: [(String, JSONValue)] = []
        result.reserveCapacity(pairs.count)
        for (key, item) in pairs {
            let next = result.count
            // One hash per key: the lookup enters `next` when the key is new.
            let position = Self.entry(&positions[key, default: next])
            if position == next {
                result.append((key, item))
            } else {
                result[position].1 = item
            }
        }
        return result
    }

    /// The value of a dictionary entry reached through `subscript(_:default:)`, which enters the
    /// default when the key is missing.
    private static func entry(_ value: inout Int) -> Int { value }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < Self.maxDepth else { throw JSONParseError(offset: index) }
        skipWhitespace()
        guard index < bytes.count else { throw JSONParseError(offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var pairs: [(String, JSONValue)] = []
            // A repeated key keeps its first position and takes the last value (as Python's json
            // module does). The first 16 keys are checked as they come; later ones are checked
            // once the object is complete, through an index sized for all of them (`deduplicated`),
            // so parsing stays linear in the body's size for every shape.
            var unchecked = false
            skipWhitespace()
            if peek(UInt8(ascii: "}")) { return .object(pairs) }
            repeat {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw JSONParseError(offset: index, "Expecting property name enclosed in double quotes")
                }
                let key = try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "Expecting ':' delimiter")
                let item = try value(depth: depth + 1)
                if pairs.count >= 16 {
                    unchecked = true
                    pairs.append((key, item))
                } else if let existing = pairs.firstIndex(where: { $0.0 == key }) {
                    pairs[existing].1 = item
                } else {
                    pairs.append((key, item))
                }
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"), "Expecting ',' delimiter")
            return .object(unchecked ? Self.deduplicated(pairs) : pairs)
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { return .array(items) }
            repeat {
                items.append(try value(depth: depth + 1))
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"), "Expecting ',' delimiter")
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            return try number()
        }
    }

    private mutating func peek(_ byte: UInt8) -> Bool {
        if index < bytes.count, bytes[index] == byte {
            index += 1
            return true
        }
        return false
    }

    private mutating func consume(_ byte: UInt8) -> Bool { peek(byte) }

    private mutating func expect(_ byte: UInt8, _ reason: String) throws {
        guard peek(byte) else { throw JSONParseError(offset: index, reason) }
    }

    private mutating func literal(_ word: String) throws {
        let utf8 = Array(word.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw JSONParseError(offset: index)
        }
        index += utf8.count
    }

    /// A number as RFC 8259 §6 writes it: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    /// (so `01`, `.5`, `1.` and `+1` are malformed). Integers that fit `Int64` stay integers.
    private mutating func number() throws -> JSONValue {
        let start = index
        _ = peek(UInt8(ascii: "-"))
        // A leading zero is the whole integer part; a fraction or exponent without digits is
        // not part of the number. What follows is then unexpected, as in Python's parser
        // (`01` → "Extra data", `{"a":1.}` → "Expecting ',' delimiter").
        if index < bytes.count, bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            throw JSONParseError(offset: start)
        }
        var isInteger = true
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), Self.isDigit(bytes[index + 1]) {
            index += 1
            isInteger = false
            _ = digits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            var probe = index + 1
            if probe < bytes.count, bytes[probe] == UInt8(ascii: "+") || bytes[probe] == UInt8(ascii: "-") {
                probe += 1
            }
            if probe < bytes.count, Self.isDigit(bytes[probe]) {
                index = probe
                isInteger = false
                _ = digits()
            }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let int = Int64(text) { return .int(int) }
        guard let double = Double(text) else { throw JSONParseError(offset: start) }
        return .double(double)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Consumes a run of decimal digits and returns its length.
    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        return index - start
    }

    private mutating func string() throws -> String {
        let start = index
        try expect(UInt8(ascii: "\""), "Expecting value")
        var out: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            switch b {
            case UInt8(ascii: "\""):
                // Invalid UTF-8 is malformed JSON (RFC 8259 §8.1), not text to repair silently.
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw JSONParseError(offset: start, "Invalid UTF-8 in string starting at")
                }
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else {
                    throw JSONParseError(offset: start, "Unterminated string starting at")
                }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar), peek(UInt8(ascii: "\\")), peek(UInt8(ascii: "u")) {
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw JSONParseError(offset: index - 6, "Invalid \\uXXXX escape")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else {
                        throw JSONParseError(offset: index - 6, "Invalid \\uXXXX escape")
                    }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw JSONParseError(offset: index - 2, "Invalid \\escape")
                }
            case 0x00..<0x20:
                throw JSONParseError(offset: index - 1, "Invalid control character at")
            default:
                out.append(b)
            }
        }
        throw JSONParseError(offset: start, "Unterminated string starting at")
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count,
            let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else {
            throw JSONParseError(offset: index - 2, "Invalid \\uXXXX escape")
        }
        index += 4
        return v
    }
}
