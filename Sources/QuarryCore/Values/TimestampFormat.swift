public import Foundation

/// The text form of timestamps where a backend has no timestamp type (SQLite):
/// `YYYY-MM-DD HH:MM:SS.ffffff` in UTC. It sorts lexically in time order and keeps microseconds.
///
/// Formatting is integer arithmetic on the proleptic Gregorian calendar, with no formatter allocated.
///
/// ```swift
/// TimestampFormat.format(Date(timeIntervalSince1970: 0))   // "1970-01-01 00:00:00.000000"
/// ```
public enum TimestampFormat {
    /// Formats `date` (rounded to the microsecond) as UTC text.
    public static func format(_ date: Date) -> String {
        self.render(date, separator: UInt8(ascii: " "), omittingZeroFraction: false, suffix: nil)
    }

    /// ISO 8601 in UTC as pydantic writes an aware `datetime`: `2024-01-01T01:00:00.007920Z`, the
    /// fraction left out when it is zero.
    public static func iso8601(_ date: Date) -> String {
        self.render(date, separator: UInt8(ascii: "T"), omittingZeroFraction: true, suffix: UInt8(ascii: "Z"))
    }

    private static func render(_ date: Date, separator: UInt8, omittingZeroFraction: Bool, suffix: UInt8?) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var days = micros / 86_400_000_000
        var rest = micros % 86_400_000_000
        if rest < 0 {
            rest += 86_400_000_000
            days -= 1
        }
        let (y, m, d) = civil(fromDays: days)
        let secondsOfDay = rest / 1_000_000
        let fraction = rest % 1_000_000
        let withFraction = !(omittingZeroFraction && fraction == 0)
        // A year outside 0…9999 keeps all its digits (and its sign); any other goes straight
        // into the string's storage, like the rest, with no intermediate strings.
        let wideYear = (0...9999).contains(y) ? nil : Self.padded(y, width: 4)
        let length = (wideYear?.utf8.count ?? 4) + 15 + (withFraction ? 7 : 0) + (suffix == nil ? 0 : 1)
        return String(unsafeUninitializedCapacity: length) { bytes in
            var at = 0
            func put(_ value: Int64, width: Int) {
                var value = value
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    bytes[at + offset] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                at += width
            }
            func put(_ byte: UInt8) {
                bytes[at] = byte
                at += 1
            }
            if let wideYear { for byte in wideYear.utf8 { put(byte) } } else { put(y, width: 4) }
            put(UInt8(ascii: "-"))
            put(m, width: 2)
            put(UInt8(ascii: "-"))
            put(d, width: 2)
            put(separator)
            put(secondsOfDay / 3600, width: 2)
            put(UInt8(ascii: ":"))
            put(secondsOfDay / 60 % 60, width: 2)
            put(UInt8(ascii: ":"))
            put(secondsOfDay % 60, width: 2)
            if withFraction {
                put(UInt8(ascii: "."))
                put(fraction, width: 6)
            }
            if let suffix { put(suffix) }
            return at
        }
    }

    /// Parses `YYYY-MM-DD[ T]HH:MM:SS[.f{1,9}][Z|±HH:MM]` (UTC unless an offset says otherwise,
    /// as SQLite's date functions read it); returns `nil` on any other text.
    public static func parse(_ text: String) -> Date? {
        var utf8 = Array(text.utf8)
        var offsetSeconds: Int64 = 0
        if utf8.last == UInt8(ascii: "Z") { utf8.removeLast() }
        if utf8.count >= 25, utf8[utf8.count - 3] == UInt8(ascii: ":"),
            utf8[utf8.count - 6] == UInt8(ascii: "+") || utf8[utf8.count - 6] == UInt8(ascii: "-")
        {
            let digits = utf8[(utf8.count - 5)...].filter { $0 != UInt8(ascii: ":") }
            guard digits.count == 4, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            let value = digits.map { Int64($0 - 48) }
            let hours = value[0] * 10 + value[1]
            let minutes = value[2] * 10 + value[3]
            guard hours < 24, minutes < 60 else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (utf8[utf8.count - 6] == UInt8(ascii: "-") ? -1 : 1)
            utf8.removeLast(6)
        }
        guard utf8.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for i in range {
                let c = utf8[i]
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int64(c - 48)
            }
            return value
        }
        guard utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            utf8[10] == UInt8(ascii: " ") || utf8[10] == UInt8(ascii: "T"),
            utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if utf8.count > 19 {
            guard utf8[19] == UInt8(ascii: "."), utf8.count > 20, utf8.count <= 29,
                let digits = number(20..<utf8.count)
            else { return nil }
            var scaled = digits
            var count = utf8.count - 20
            while count < 6 {
                scaled *= 10
                count += 1
            }
            while count > 6 {
                scaled /= 10
                count -= 1
            }
            micros = scaled
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let total = (days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) * 1_000_000 + micros
        return Date(timeIntervalSince1970: Double(total) / 1_000_000)
    }

    /// `value`'s digits, zero-padded to `width` when shorter.
    private static func padded(_ value: Int64, width: Int) -> String {
        let digits = String(value)
        return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
