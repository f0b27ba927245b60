import Foundation

/// A value in JSON as its Swift type writes itself: `null`, a number, a Boolean, a string (text,
/// enum labels, UUIDs, times of day; bytes in base64, JSON documents as their text), a date as the
/// encoder dates, an array of the same. Decoding reads `null`, Booleans, integers, other numbers
/// and strings back; it is how a model with a ``DatabaseValue`` column (a SQLite column without a
/// type) is JSON like any other model.
///
/// ```swift
/// try JSONEncoder().encode([DatabaseValue.integer(7), .text("seven"), .null])   // [7,"seven",null]
/// ```
extension DatabaseValue: Codable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let v): try container.encode(v)
        case .double(let v): try container.encode(v)
        case .text(let v), .enumLabel(let v): try container.encode(v)
        case .blob(let v): try container.encode(v)
        case .bool(let v): try container.encode(v)
        case .date(let v): try container.encode(v)
        case .uuid(let v): try container.encode(v)
        case .json(let v): try container.encode(String(decoding: v, as: UTF8.self))
        case .decimal(let v): try container.encode(v)
        case .calendarDate(let v): try container.encode(v)
        case .timeOfDay(let v): try container.encode(v.storedText)
        case .interval(let v): try container.encode(v)
        case .array(let elements, _): try container.encode(elements)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }
}
