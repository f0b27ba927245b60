package import Foundation

/// An array of a column type is a column type: `INTEGER[]`, `TEXT[]` and so on on PostgreSQL, a
/// JSON array in a `TEXT` column on SQLite. Elements may be optional (`[Int?]`) to hold `NULL`s.
///
/// ```swift
/// @Table("articles")
/// struct Article {
///     @Column(.primaryKey) var id: Int64? = nil
///     var tags: [String]
///     var scores: [Int32?]
/// }
/// ```
///
/// Reading a stored array whose elements do not all convert (a `NULL` into `[Int]`, text into
/// `[Int]`) throws `typeMismatch`; arrays of several dimensions read as arrays of arrays.
extension Array: DatabaseValueConvertible where Element: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .array(self.map(\.databaseValue), element: Element.columnType) }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> [Element]? {
        let elements: [DatabaseValue]
        switch value {
        case .array(let values, _): elements = values
        case .text(let text):
            guard let values = ArrayText.elements(ofJSON: Data(text.utf8)) else { return nil }
            elements = values
        case .json(let data):
            guard let values = ArrayText.elements(ofJSON: data) else { return nil }
            elements = values
        default: return nil
        }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let converted = Element.fromDatabaseValue(element) else { return nil }
            result.append(converted)
        }
        return result
    }

    public static var columnType: ColumnType { .array(Element.columnType) }
}

/// The text forms of arrays: JSON for SQLite, PostgreSQL's `{…}` literal for DDL and binds.
package enum ArrayText {
    /// The elements of a JSON array as database values (numbers as integers or doubles, strings as
    /// text, nested arrays as arrays); `nil` when `data` is not a JSON array.
    package static func elements(ofJSON data: Data) -> [DatabaseValue]? {
        guard let scalar = try? JSONDecoder().decode(JSONElement.self, from: data),
            case .array(let values, _) = scalar.value
        else { return nil }
        return values
    }

    /// `values` as a JSON array: strings for text and every value without a JSON form of its own
    /// (decimals stay exact as strings).
    package static func json(_ values: [DatabaseValue]) -> String {
        "[" + values.map(Self.jsonElement).joined(separator: ",") + "]"
    }

    private static func jsonElement(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let v): return String(v)
        case .double(let v): return v.isFinite ? String(v) : Self.jsonString(String(v))
        case .bool(let v): return v ? "true" : "false"
        case .json(let v): return String(decoding: v, as: UTF8.self)
        case .array(let elements, _): return Self.json(elements)
        case .date(let v): return Self.jsonString(TimestampFormat.format(v))
        default: return Self.jsonString(Self.text(of: value))
        }
    }

    /// `values` as PostgreSQL's array literal text (`{1,NULL,"a b"}`), every element quoted.
    package static func postgresLiteral(_ values: [DatabaseValue]) -> String {
        "{"
            + values.map { value in
                switch value {
                case .null: return "NULL"
                case .array(let elements, _): return Self.postgresLiteral(elements)
                default:
                    let text = Self.text(of: value)
                    return "\""
                        + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                        + "\""
                }
            }.joined(separator: ",") + "}"
    }

    /// A scalar's text form, as PostgreSQL reads it for its type.
    package static func text(of value: DatabaseValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let v): String(v)
        case .double(let v): v.isNaN ? "NaN" : v.isInfinite ? (v < 0 ? "-Infinity" : "Infinity") : String(v)
        case .text(let v), .enumLabel(let v): v
        case .blob(let v): "\\x" + v.map { String(format: "%02x", $0) }.joined()
        case .bool(let v): v ? "true" : "false"
        case .date(let v): TimestampFormat.format(v) + "+00"
        case .uuid(let v): v.uuidString.lowercased()
        case .json(let v): String(decoding: v, as: UTF8.self)
        case .decimal(let v): v.description
        case .calendarDate(let v): v.description
        case .timeOfDay(let v): v.storedText
        case .interval(let v): v.description
        case .array(let elements, _): Self.postgresLiteral(elements)
        }
    }

    private static func jsonString(_ text: String) -> String {
        (try? String(decoding: JSONEncoder().encode(text), as: UTF8.self)) ?? "\"\""
    }
}

/// One element of a JSON array read back from SQLite.
private struct JSONElement: Decodable {
    let value: DatabaseValue

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self.value = .null
        } else if let bool = try? container.decode(Bool.self) {
            self.value = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            self.value = .integer(integer)
        } else if let double = try? container.decode(Double.self) {
            self.value = .double(double)
        } else if let text = try? container.decode(String.self) {
            self.value = .text(text)
        } else {
            self.value = .array(try container.decode([JSONElement].self).map(\.value), element: .text)
        }
    }
}
