import Foundation

/// A PostgreSQL `interval`: months, days and microseconds kept apart, as PostgreSQL keeps them
/// (a month is not a fixed number of days, nor a day of hours across a daylight-saving change).
///
/// Swift's `Duration` is a column type too, for intervals without months: both are stored as
/// `INTERVAL` on PostgreSQL. On SQLite an interval of time only (every `Duration`) is an integer
/// count of microseconds, so `Duration` columns sort and sum as numbers; an interval with days or
/// months is its ISO 8601 text, exact but not numeric. JSON and `description` use ISO 8601
/// (`P1M2DT3.5S`).
///
/// ```swift
/// let billing = Interval(months: 1)
/// let grace = Interval(days: 3, microseconds: 12 * 3_600_000_000)
/// grace.description                          // "P3DT43200S"
/// Interval("P1Y2M10DT2H30M")?.months         // 14
/// ```
public struct Interval: Sendable, Hashable, CustomStringConvertible {
    /// Whole months (a year is 12).
    public var months: Int32
    /// Whole days.
    public var days: Int32
    /// The rest, in microseconds.
    public var microseconds: Int64

    /// An interval of the given parts (each may be negative).
    public init(months: Int32 = 0, days: Int32 = 0, microseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.microseconds = microseconds
    }

    /// `duration` as an interval of microseconds (rounded toward zero below a microsecond).
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(microseconds: seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }

    /// `n` years (twelve months each), as SQL's `interval '1 year'`.
    ///
    /// ```swift
    /// select(Booking.Columns.startTime + .minutes(30) * Booking.Columns.slots, from: Booking.self)
    /// ```
    public static func years(_ n: Int32) -> Interval { Interval(months: n * 12) }
    /// `n` months.
    public static func months(_ n: Int32) -> Interval { Interval(months: n) }
    /// `n` weeks of seven days.
    public static func weeks(_ n: Int32) -> Interval { Interval(days: n * 7) }
    /// `n` days (calendar days: 23 or 25 hours across a daylight-saving change, as in SQL).
    public static func days(_ n: Int32) -> Interval { Interval(days: n) }
    /// `n` hours.
    public static func hours(_ n: Int64) -> Interval { Interval(microseconds: n * 3_600_000_000) }
    /// `n` minutes.
    public static func minutes(_ n: Int64) -> Interval { Interval(microseconds: n * 60_000_000) }
    /// `n` seconds.
    public static func seconds(_ n: Int64) -> Interval { Interval(microseconds: n * 1_000_000) }

    /// Parses ISO 8601 `PnYnMnWnDTnHnMnS` (signed parts, a fraction on seconds only).
    public init?(_ text: some StringProtocol) {
        var rest = Substring(text)
        guard rest.first == "P" else { return nil }
        rest = rest.dropFirst()
        var months: Int64 = 0
        var days: Int64 = 0
        var microseconds: Int64 = 0
        var inTime = false
        var sawPart = false
        while !rest.isEmpty {
            if rest.first == "T" {
                guard !inTime else { return nil }
                inTime = true
                rest = rest.dropFirst()
                continue
            }
            let number = rest.prefix { $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }
            rest = rest.dropFirst(number.count)
            guard !number.isEmpty, let unit = rest.first else { return nil }
            rest = rest.dropFirst()
            sawPart = true
            if unit == "S", inTime {
                guard let seconds = Decimal(string: String(number)), seconds.isFinite else { return nil }
                let micros = NSDecimalNumber(decimal: seconds * 1_000_000).int64Value
                microseconds += micros
                continue
            }
            guard let value = Int64(number) else { return nil }
            switch (unit, inTime) {
            case ("Y", false): months += value * 12
            case ("M", false): months += value
            case ("W", false): days += value * 7
            case ("D", false): days += value
            case ("H", true): microseconds += value * 3_600_000_000
            case ("M", true): microseconds += value * 60_000_000
            default: return nil
            }
        }
        guard sawPart, let m = Int32(exactly: months), let d = Int32(exactly: days) else { return nil }
        self.init(months: m, days: d, microseconds: microseconds)
    }

    /// The interval as a `Duration`, counting a day as 24 hours; `nil` when it has months, whose
    /// length depends on the date they are added to.
    public var duration: Duration? { self.totalMicroseconds.map(Duration.microseconds) }

    /// `true` when the interval has neither months nor days.
    package var isTimeOnly: Bool { self.months == 0 && self.days == 0 }

    /// The interval in microseconds, counting a day as 24 hours; `nil` when it has months or the
    /// total overflows.
    package var totalMicroseconds: Int64? {
        guard self.months == 0 else { return nil }
        let (total, overflow) = Int64(self.days).multipliedReportingOverflow(by: 86_400_000_000)
        guard !overflow else { return nil }
        let (sum, overflowed) = total.addingReportingOverflow(self.microseconds)
        return overflowed ? nil : sum
    }

    /// ISO 8601: `P<months>M<days>DT<seconds>S`, leaving out zero parts (`PT0S` for zero).
    public var description: String {
        var text = "P"
        if self.months != 0 { text += "\(self.months)M" }
        if self.days != 0 { text += "\(self.days)D" }
        if self.microseconds != 0 || text == "P" {
            let sign = self.microseconds < 0 ? "-" : ""
            let magnitude = self.microseconds.magnitude
            let fraction = magnitude % 1_000_000
            var seconds = "\(magnitude / 1_000_000)"
            if fraction != 0 {
                let digits = String(fraction)
                seconds += "." + String(repeating: "0", count: 6 - digits.count) + digits
                while seconds.hasSuffix("0") { seconds.removeLast() }
            }
            text += "T\(sign)\(seconds)S"
        }
        return text
    }
}

extension Interval: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let interval = Interval(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected an ISO 8601 duration")
        }
        self = interval
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}

extension Interval: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .interval(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Interval? {
        switch value {
        case .interval(let interval): interval
        case .integer(let microseconds): Interval(microseconds: microseconds)
        case .text(let text): Interval(text)
        default: nil
        }
    }
    public static var columnType: ColumnType { .interval }
}

extension Duration: DatabaseValueConvertible {
    /// Kept to the microsecond, PostgreSQL's precision.
    public var databaseValue: DatabaseValue { .interval(Interval(self)) }
    /// A stored interval with months does not convert: a month has no fixed length.
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Duration? {
        Interval.fromDatabaseValue(value)?.duration
    }
    public static var columnType: ColumnType { .interval }
}
