public import Foundation

/// A Swift type that can be bound into a statement and read back from a row.
///
/// Quarry ships conformances for `Int`, `Int8`, `Int16`, `Int32`, `Int64`, `UInt8`, `UInt16`,
/// `UInt32`, `Float`, `Double`, `Decimal`, `Bool`, `String`, `Date`, `UUID`, `Data` and `Optional`
/// of each; ``JSONColumn`` stores any `Codable` value as JSON. An enum with `String` or `Int` raw
/// values only has to declare the conformance; any other type implements the three requirements.
/// `@Table` accepts every conforming type (models are JSON too, so it must also be `Codable`).
///
/// ```swift
/// enum Genre: String, Codable, DatabaseValueConvertible { case rock, jazz }
///
/// struct Email: RawRepresentable, Codable, DatabaseValueConvertible {
///     var rawValue: String
///     var databaseValue: DatabaseValue { .text(self.rawValue) }
///     static func fromDatabaseValue(_ value: DatabaseValue) -> Email? {
///         String.fromDatabaseValue(value).map(Email.init(rawValue:))
///     }
///     static var columnType: ColumnType { .text }
/// }
/// ```
///
/// A stored value that does not convert (a `numeric` beyond `Int64`, text that is no case of the
/// enum) makes the row's decode throw `DatabaseError` `typeMismatch` naming the column, the stored
/// kind and the Swift type — never a crash or a silent truncation.
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
        // PostgreSQL's sum() of integers is numeric: whole values in range convert exactly.
        case .decimal(let d): d.isFinite && d == d.rounded(scale: 0) ? Int64(d.description) : nil
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

extension Int16: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int16? {
        Int64.fromDatabaseValue(value).flatMap { Int16(exactly: $0) }
    }
    public static var columnType: ColumnType { .integer16 }
}

extension Int8: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int8? {
        Int64.fromDatabaseValue(value).flatMap { Int8(exactly: $0) }
    }
    public static var columnType: ColumnType { .integer16 }
}

extension UInt8: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> UInt8? {
        Int64.fromDatabaseValue(value).flatMap { UInt8(exactly: $0) }
    }
    public static var columnType: ColumnType { .integer16 }
}

extension UInt16: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> UInt16? {
        Int64.fromDatabaseValue(value).flatMap { UInt16(exactly: $0) }
    }
    public static var columnType: ColumnType { .integer32 }
}

/// Stored in a 64-bit column: every `UInt32` fits. (`UInt64` and `UInt` do not conform: half of
/// their values have no place in a signed 64-bit column.)
extension UInt32: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> UInt32? {
        Int64.fromDatabaseValue(value).flatMap { UInt32(exactly: $0) }
    }
    public static var columnType: ColumnType { .integer64 }
}

extension Float: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .double(Double(self)) }
    /// A stored `REAL`/`float4` reads back exactly; a wider double is rounded to the nearest
    /// `Float`, and one beyond `Float`'s range does not convert.
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Float? {
        guard let double = Double.fromDatabaseValue(value) else { return nil }
        guard double.isFinite else { return Float(double) }
        let float = Float(double)
        return float.isFinite ? float : nil
    }
    public static var columnType: ColumnType { .float }
}

/// Exact: bound as a decimal (PostgreSQL `numeric`, SQLite text into a `NUMERIC` column) and read
/// back without passing through `Double`. NaN cannot be stored (binding it throws `invalidValue`).
extension Decimal: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .decimal(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Decimal? {
        switch value {
        case .decimal(let d): return d.isNaN ? nil : d
        case .integer(let i): return Decimal(i)
        // SQLite keeps a decimal of up to 15 significant digits as a REAL, and computes sums and
        // products of them in floating point: 15 significant digits (DBL_DIG, what a double
        // holds of any decimal) give back the stored value, and a sum of money without the
        // binary noise (0.1 + 0.2 is 0.3, not 0.30000000000000004).
        case .double(let d):
            return d.isFinite
                ? Decimal(string: String(format: "%.15g", d), locale: Locale(identifier: "en_US_POSIX")) : nil
        case .text(let s): return DecimalText.parse(s)
        default: return nil
        }
    }
    public static var columnType: ColumnType { .numeric }
}

/// Strict decimal text: `Decimal(string:)` alone accepts a prefix (`"12abc"` is 12).
@usableFromInline
enum DecimalText {
    static func parse(_ text: String) -> Decimal? {
        guard text.wholeMatch(of: /[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/) != nil else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}

extension Double: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .double(self) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Double? {
        switch value {
        case .double(let d): d
        case .integer(let i): Double(i)
        case .decimal(let d): NSDecimalNumber(decimal: d).doubleValue
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
        case .text(let s), .enumLabel(let s): s
        case .json(let d): String(decoding: d, as: UTF8.self)
        default: nil
        }
    }
    public static var columnType: ColumnType { .text }
}

/// A value of any type, as the database sent it: the property type of a SQLite column declared
/// without a type, which keeps whatever it is given (`quarry reflect` writes such columns so).
///
/// ```swift
/// @Column(.type(.sql(""))) var payload: DatabaseValue? = nil   // .integer(1), .text("x"), …
/// ```
extension DatabaseValue: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { self }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> DatabaseValue? { value }
    /// BLOB: on SQLite the affinity that keeps every value as given, as an untyped column does.
    public static var columnType: ColumnType { .blob }
}

extension Data: DatabaseValueConvertible {
    @inlinable
    public var databaseValue: DatabaseValue { .blob(self) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Data? {
        switch value {
        case .blob(let d), .json(let d): d
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
        case .calendarDate(let day): day.startOfDayUTC
        // A SQLite DATE column's `YYYY-MM-DD` text is midnight UTC, as a PostgreSQL date is.
        case .text(let s): TimestampFormat.parse(s) ?? CalendarDate(s)?.startOfDayUTC
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

/// An enum (or other `RawRepresentable` type) whose raw value is a column type is a column type:
/// declaring the conformance is enough. A stored value that is no case (a value written by a newer
/// version of the application, say) does not convert, and reading it throws `typeMismatch`.
///
/// ```swift
/// enum Status: String, Codable, DatabaseValueConvertible { case queued, running, done }
/// enum Priority: Int, Codable, DatabaseValueConvertible { case low = 1, high = 2 }
/// ```
extension DatabaseValueConvertible where Self: RawRepresentable, Self.RawValue: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { self.rawValue.databaseValue }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Self? {
        RawValue.fromDatabaseValue(value).flatMap(Self.init(rawValue:))
    }
    public static var columnType: ColumnType { RawValue.columnType }
}

extension Decimal {
    /// This value rounded to `scale` digits after the point (half away from zero).
    @usableFromInline
    func rounded(scale: Int) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, .plain)
        return result
    }
}
