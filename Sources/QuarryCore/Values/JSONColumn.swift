import Foundation

/// A `Codable` value stored as JSON (`JSONB` on PostgreSQL, text on SQLite).
///
/// ```swift
/// @Table("profiles")
/// struct Profile: Sendable {
///     @Column(.primaryKey) var id: Int64? = nil
///     var settings: JSONColumn<Settings>
/// }
/// ```
public struct JSONColumn<Value: Codable & Sendable>: Sendable {
    /// The decoded value.
    public var value: Value

    /// Wraps `value`.
    public init(_ value: Value) { self.value = value }
}

extension JSONColumn: Equatable where Value: Equatable {}
extension JSONColumn: Hashable where Value: Hashable {}

extension JSONColumn: Codable {
    public init(from decoder: any Decoder) throws {
        self.value = try Value(from: decoder)
    }
    public func encode(to encoder: any Encoder) throws {
        try self.value.encode(to: encoder)
    }
}

extension JSONColumn: DatabaseValueConvertible {
    /// The JSON text with sorted keys; an unencodable value binds `NULL` (encoding a `Codable` value
    /// built from `Codable` parts does not fail in practice).
    public var databaseValue: DatabaseValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self.value) else { return .null }
        return .json(data)
    }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> JSONColumn<Value>? {
        let data: Data
        switch value {
        case .json(let d), .blob(let d): data = d
        case .text(let s): data = Data(s.utf8)
        default: return nil
        }
        return (try? JSONDecoder().decode(Value.self, from: data)).map(JSONColumn.init)
    }

    public static var columnType: ColumnType { .json }
}
