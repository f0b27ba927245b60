import Foundation

/// Malformed JSON, at byte `offset`.
public struct JSONParseError: Error, Sendable {
    /// Where parsing stopped.
    public let offset: Int
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

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < Self.maxDepth else { throw JSONParseError(offset: index) }
        skipWhitespace()
        guard index < bytes.count else { throw JSONParseError(offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var pairs: [(String, JSONValue)] = []
            skipWhitespace()
            if peek(UInt8(ascii: "}")) { return .object(pairs) }
            repeat {
                skipWhitespace()
                let key = try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                let item = try value(depth: depth + 1)
                if let existing = pairs.firstIndex(where: { $0.0 == key }) {
                    pairs[existing].1 = item
                } else {
                    pairs.append((key, item))
                }
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
            return .object(pairs)
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { return .array(items) }
            repeat {
                items.append(try value(depth: depth + 1))
                skipWhitespace()
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
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

    private mutating func expect(_ byte: UInt8) throws {
        guard peek(byte) else { throw JSONParseError(offset: index) }
    }

    private mutating func literal(_ word: String) throws {
        let utf8 = Array(word.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw JSONParseError(offset: index)
        }
        index += utf8.count
    }

    private mutating func number() throws -> JSONValue {
        let start = index
        if peek(UInt8(ascii: "-")) {}
        var isInteger = true
        while index < bytes.count {
            let b = bytes[index]
            if b >= 0x30 && b <= 0x39 {
                index += 1
            } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                || b == UInt8(ascii: "+") || (b == UInt8(ascii: "-") && index > start)
            {
                isInteger = false
                index += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !text.isEmpty, text != "-" else { throw JSONParseError(offset: start) }
        if isInteger, let int = Int64(text) { return .int(int) }
        guard let double = Double(text), text.first != "+" else { throw JSONParseError(offset: start) }
        return .double(double)
    }

    private mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            switch b {
            case UInt8(ascii: "\""):
                // Invalid UTF-8 is malformed JSON (RFC 8259 §8.1), not text to repair silently.
                guard let text = String(validating: out, as: UTF8.self) else { throw JSONParseError(offset: index - 1) }
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw JSONParseError(offset: index) }
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
                        guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError(offset: index) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw JSONParseError(offset: index) }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw JSONParseError(offset: index)
                }
            case 0x00..<0x20:
                throw JSONParseError(offset: index - 1)
            default:
                out.append(b)
            }
        }
        throw JSONParseError(offset: index)
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count,
            let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else {
            throw JSONParseError(offset: index)
        }
        index += 4
        return v
    }
}
