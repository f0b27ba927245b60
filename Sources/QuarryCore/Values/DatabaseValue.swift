public import Foundation

/// A value as it travels between Swift and a database: bound into a statement or read from a row.
///
/// Drivers translate each case into their own wire representation, so one `DatabaseValue` means the
/// same thing on PostgreSQL and on SQLite.
///
/// ```swift
/// let value: DatabaseValue = "Ada".databaseValue   // .text("Ada")
/// ```
public enum DatabaseValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// A double-precision float.
    case double(Double)
    /// A UTF-8 string.
    case text(String)
    /// Raw bytes (`bytea` / `BLOB`).
    case blob(Data)
    /// A Boolean (`boolean` on PostgreSQL, `0`/`1` on SQLite).
    case bool(Bool)
    /// An instant in time, kept to the microsecond (`timestamptz` on PostgreSQL).
    case date(Date)
    /// A UUID (`uuid` on PostgreSQL, text on SQLite).
    case uuid(UUID)
    /// A JSON document as UTF-8 bytes (`jsonb` on PostgreSQL, text on SQLite).
    case json(Data)
    /// An exact decimal number (`numeric` on PostgreSQL, bound as text to SQLite's `NUMERIC`
    /// columns); never passes through `Double`.
    case decimal(Decimal)
    /// A date without a time of day (`date` on PostgreSQL, `YYYY-MM-DD` text on SQLite).
    case calendarDate(CalendarDate)
    /// A time of day without a date (`time` on PostgreSQL, `HH:MM:SS.ffffff` text on SQLite).
    case timeOfDay(TimeOfDay)
    /// An interval of months, days and microseconds (`interval` on PostgreSQL; on SQLite an integer
    /// count of microseconds, or its ISO 8601 text when it has days or months).
    case interval(Interval)
    /// A one-dimensional array of values of one column type (`element[]` on PostgreSQL, a JSON
    /// array on SQLite); `element` names the type even when the array is empty.
    indirect case array([DatabaseValue], element: ColumnType)
    /// Text the database reads as the type of the place it goes, such as a label of a native
    /// PostgreSQL enum type (sent untyped; plain text on SQLite). See ``DatabaseEnum``.
    case enumLabel(String)

    /// `true` for ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// `true` for a value no column stores exactly (a NaN `Decimal`): compiling a statement that
    /// binds one throws ``CompileError`` `invalidValue`.
    package var isUnstorable: Bool {
        if case .decimal(let decimal) = self { return decimal.isNaN }
        return false
    }

    /// A short name of the case, used in error messages (never the value itself).
    public var kindName: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .double: "double"
        case .text: "text"
        case .blob: "blob"
        case .bool: "bool"
        case .date: "date"
        case .uuid: "uuid"
        case .json: "json"
        case .decimal: "decimal"
        case .calendarDate: "calendar date"
        case .timeOfDay: "time of day"
        case .interval: "interval"
        case .array: "array"
        case .enumLabel: "enum label"
        }
    }
}

extension DatabaseValue: CustomStringConvertible {
    /// The kind of the value only: bound values are never printed by default.
    public var description: String { "<\(self.kindName)>" }
}

extension DatabaseValue {
    /// The value as text for opted-in logs and error messages: strings quoted, blobs and JSON as
    /// their size only.
    public var renderedForLogs: String {
        switch self {
        case .null: "NULL"
        case .integer(let v): "\(v)"
        case .double(let v): "\(v)"
        case .text(let v): "'\(v)'"
        case .blob(let v): "<\(v.count) bytes>"
        case .bool(let v): "\(v)"
        case .date(let v): TimestampFormat.format(v)
        case .uuid(let v): v.uuidString
        case .json(let v): "<json \(v.count) bytes>"
        case .decimal(let v): v.description
        case .calendarDate(let v): v.description
        case .timeOfDay(let v): v.description
        case .interval(let v): v.description
        case .array(let elements, _): "<array of \(elements.count)>"
        case .enumLabel(let v): "'\(v)'"
        }
    }
}
