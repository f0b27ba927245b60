public import Foundation

/// A Swift type that can be bound into a statement and read back from a row.
///
/// Quarry ships conformances for `Int`, `Int32`, `Int64`, `Double`, `Bool`, `String`, `Date`, `UUID`,
/// `Data` and `Optional` of each; ``JSONColumn`` stores any `Codable` value as JSON.
///
/// ```swift
/// extension Email: DatabaseValueConvertible {
///     public var databaseValue: DatabaseValue { .text(self.rawValue) }
///     public static func fromDatabaseValue(_ value: DatabaseValue) -> Email? {
///         String.fromDatabaseValue(value).map(Email.init(rawValue:))
///     }
///     public static var columnType: ColumnType { .text }
/// }
/// ```
public protocol DatabaseValueConvertible: Sendable {
    /// The value to bind.
    var databaseValue: DatabaseValue { get }
    /// Converts a stored value back, or returns `nil` when it does not fit this type.
    static func fromDatabaseValue(_ value: DatabaseValue) -> Self?
    /// The column type used in DDL.
    static var columnType: ColumnType { get }
    /// `true` when the type accepts `NULL` (only `Optional`).
    static var isNullable: Bool { get }
}

extension DatabaseValueConvertible {
    public static var isNullable: Bool { false }
}

extension Int64: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .integer(self) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int64? {
        switch value {
        case .integer(let v): v
        case .bool(let b): b ? 1 : 0
        case .double(let d): Int64(exactly: d)
        default: nil
        }
    }
    public static var columnType: ColumnType { .integer64 }
}

extension Int: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int? {
        Int64.fromDatabaseValue(value).flatMap { Int(exactly: $0) }
    }
    public static var columnType: ColumnType { .integer64 }
}

extension Int32: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int32? {
        Int64.fromDatabaseValue(value).flatMap { Int32(exactly: $0) }
    }
    public static var columnType: ColumnType { .integer32 }
}

extension Double: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .double(self) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Double? {
        switch value {
        case .double(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }
    public static var columnType: ColumnType { .double }
}

extension Bool: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .bool(self) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Bool? {
        switch value {
        case .bool(let b): b
        case .integer(let i): i != 0
        default: nil
        }
    }
    public static var columnType: ColumnType { .bool }
}

extension String: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .text(self) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> String? {
        switch value {
        case .text(let s): s
        case .json(let d): String(decoding: d, as: UTF8.self)
        default: nil
        }
    }
    public static var columnType: ColumnType { .text }
}

extension Data: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .blob(self) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Data? {
        switch value {
        case .blob(let d): d
        default: nil
        }
    }
    public static var columnType: ColumnType { .blob }
}

extension UUID: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .uuid(self) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> UUID? {
        switch value {
        case .uuid(let u): u
        case .text(let s): UUID(uuidString: s)
        case .blob(let d) where d.count == 16:
            d.withUnsafeBytes { raw in UUID(uuid: raw.loadUnaligned(as: uuid_t.self)) }
        default: nil
        }
    }
    public static var columnType: ColumnType { .uuid }
}

extension Date: DatabaseValueConvertible {
    /// Dates are kept to the microsecond on both backends (PostgreSQL's precision).
    @inlinable
    public var databaseValue: DatabaseValue { .date(self.roundedToMicroseconds) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Date? {
        switch value {
        case .date(let d): d
        case .text(let s): TimestampFormat.parse(s)
        case .double(let seconds): Date(timeIntervalSince1970: seconds)
        default: nil
        }
    }
    public static var columnType: ColumnType { .timestamp }

    /// This date with its fraction of a second rounded to whole microseconds.
    public var roundedToMicroseconds: Date {
        let micros = (self.timeIntervalSince1970 * 1_000_000).rounded()
        return Date(timeIntervalSince1970: micros / 1_000_000)
    }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue {
        switch self {
        case .none: .null
        case .some(let wrapped): wrapped.databaseValue
        }
    }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Wrapped?? {
        if case .null = value { return .some(.none) }
        return Wrapped.fromDatabaseValue(value).map { .some($0) }
    }
    public static var columnType: ColumnType { Wrapped.columnType }
    public static var isNullable: Bool { true }
}
