import Foundation

/// A time of day without a date or time zone, to the microsecond: opening hours, a daily alarm, a
/// `TIME` column.
///
/// Stored as `TIME` on PostgreSQL and as `HH:MM:SS.ffffff` text on SQLite (which sorts in time
/// order); JSON as `HH:MM:SS` with the fraction when there is one, as pydantic writes a `time`.
///
/// ```swift
/// let opens = TimeOfDay(hour: 9, minute: 30)!
/// opens.description                     // "09:30:00"
/// TimeOfDay("25:00:00")                 // nil
/// ```
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since midnight, 0 to 86,399,999,999.
    public let microsecondsSinceMidnight: Int64

    /// 00:00:00.
    public static let midnight = TimeOfDay(exactly: 0)

    private init(exactly microseconds: Int64) { self.microsecondsSinceMidnight = microseconds }

    /// The time, or `nil` when a part is out of range.
    public init?(hour: Int, minute: Int, second: Int = 0, microsecond: Int = 0) {
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second),
            (0..<1_000_000).contains(microsecond)
        else { return nil }
        self.microsecondsSinceMidnight =
            (Int64(hour) * 3_600 + Int64(minute) * 60 + Int64(second)) * 1_000_000 + Int64(microsecond)
    }

    /// The time `microseconds` after midnight, or `nil` outside one day.
    public init?(microsecondsSinceMidnight microseconds: Int64) {
        guard (0..<86_400_000_000).contains(microseconds) else { return nil }
        self.microsecondsSinceMidnight = microseconds
    }

    /// Parses `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f…` (up to six fraction digits).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 2, parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        var second = 0
        var microsecond = 0
        if parts.count == 3 {
            let secondParts = parts[2].split(separator: ".", omittingEmptySubsequences: false)
            guard secondParts[0].count == 2, let whole = Int(secondParts[0]), secondParts.count <= 2 else { return nil }
            second = whole
            if secondParts.count == 2 {
                let digits = secondParts[1]
                guard (1...6).contains(digits.count), digits.allSatisfy(\.isASCII), let fraction = Int(digits) else {
                    return nil
                }
                microsecond = fraction * [1, 100_000, 10_000, 1_000, 100, 10, 1][digits.count]
            }
        }
        self.init(hour: hour, minute: minute, second: second, microsecond: microsecond)
    }

    /// The hour, 0 to 23.
    public var hour: Int { Int(self.microsecondsSinceMidnight / 3_600_000_000) }
    /// The minute, 0 to 59.
    public var minute: Int { Int(self.microsecondsSinceMidnight / 60_000_000 % 60) }
    /// The second, 0 to 59.
    public var second: Int { Int(self.microsecondsSinceMidnight / 1_000_000 % 60) }
    /// The microsecond within the second.
    public var microsecond: Int { Int(self.microsecondsSinceMidnight % 1_000_000) }

    /// `HH:MM:SS`, with `.ffffff` when the fraction is not zero.
    public var description: String {
        self.microsecond == 0 ? String(self.storedText.prefix(8)) : self.storedText
    }

    /// `HH:MM:SS.ffffff`: fixed width, so text order is time order (SQLite's storage).
    var storedText: String {
        let fraction = String(self.microsecond)
        return CalendarDate.twoDigits(self.hour) + ":" + CalendarDate.twoDigits(self.minute) + ":"
            + CalendarDate.twoDigits(self.second) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool {
        lhs.microsecondsSinceMidnight < rhs.microsecondsSinceMidnight
    }
}

extension TimeOfDay: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let time = TimeOfDay(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "Expected a time as HH:MM[:SS[.ffffff]]"
            )
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}

extension TimeOfDay: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { .timeOfDay(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> TimeOfDay? {
        switch value {
        case .timeOfDay(let time): time
        case .text(let text): TimeOfDay(text)
        default: nil
        }
    }
    public static var columnType: ColumnType { .time }
}
