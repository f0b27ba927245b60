public import Foundation

/// A date without a time of day or time zone: a birthday, a due date, a `DATE` column.
///
/// Stored as `DATE` on PostgreSQL and as `YYYY-MM-DD` text on SQLite (which sorts and compares in
/// date order); JSON as the same text, as pydantic writes a `date`.
///
/// ```swift
/// let due = CalendarDate(year: 2026, month: 12, day: 24)!
/// due.description                       // "2026-12-24"
/// CalendarDate("2026-02-30")            // nil: no such day
/// ```
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year (1 to 9999 in text; PostgreSQL's `date` range otherwise).
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to 28–31.
    public let day: Int

    /// The date, or `nil` when there is no such day in the proleptic Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; `nil` for anything else or a day that does not exist.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day that contains `date` in UTC (Quarry's sessions run in UTC).
    public init(_ date: Date) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        self = Self(daysSince1970: days)
    }

    /// The day `days` after 1970-01-01 (before it, for a negative count).
    public init(daysSince1970 days: Int) {
        let (year, month, day) = TimestampFormat.civil(fromDays: Int64(days))
        self.year = Int(year)
        self.month = Int(month)
        self.day = Int(day)
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSince1970: Int {
        Int(TimestampFormat.daysFromCivil(year: Int64(self.year), month: Int64(self.month), day: Int64(self.day)))
    }

    /// Midnight UTC at the start of this day.
    public var startOfDayUTC: Date { Date(timeIntervalSince1970: Double(self.daysSince1970) * 86_400) }

    public var description: String {
        let year = String(self.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + Self.twoDigits(self.month) + "-"
            + Self.twoDigits(self.day)
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected a date as YYYY-MM-DD")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}

extension CalendarDate: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .calendarDate(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> CalendarDate? {
        switch value {
        case .calendarDate(let date): date
        case .text(let text): CalendarDate(text.prefix(10)).flatMap { text.count == 10 ? $0 : nil }
        case .date(let date): CalendarDate(date)
        default: nil
        }
    }
    public static var columnType: ColumnType { .date }
}
