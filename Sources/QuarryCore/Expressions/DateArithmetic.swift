public import Foundation

/// Date and time arithmetic, rendered in each dialect's spelling: PostgreSQL's operators on
/// `timestamptz`, `date` and `interval`; SQLite's date functions over Quarry's text timestamps
/// (which keep milliseconds there).
public indirect enum DateArithmetic: Sendable {
    /// The current instant.
    case now
    /// Today's date (UTC).
    case today
    /// A timestamp or date moved by an interval.
    case shift(SQLNode, Interval, dateOnly: Bool)
    /// The time between two timestamps (a `Duration`) or the days between two dates.
    case difference(SQLNode, SQLNode, dateOnly: Bool)
    /// `x + interval * count`, `count` an integer expression.
    case shiftTimes(SQLNode, Interval, SQLNode, dateOnly: Bool)

    func requalified(_ table: (String?) -> String?) -> DateArithmetic {
        switch self {
        case .now, .today: self
        case .shift(let x, let interval, let dateOnly): .shift(x.requalified(table), interval, dateOnly: dateOnly)
        case .difference(let a, let b, let dateOnly):
            .difference(a.requalified(table), b.requalified(table), dateOnly: dateOnly)
        case .shiftTimes(let x, let interval, let count, let dateOnly):
            .shiftTimes(x.requalified(table), interval, count.requalified(table), dateOnly: dateOnly)
        }
    }

    /// SQLite's text form of a timestamp, as Quarry stores them.
    static let sqliteTimestamp = "'%Y-%m-%d %H:%M:%f000'"

    func render(into builder: inout SQLBuilder) throws {
        let postgres = builder.dialect == .postgresql
        switch self {
        case .now:
            builder.append(postgres ? "NOW()" : "STRFTIME(\(Self.sqliteTimestamp), 'now')")
        case .today:
            builder.append(postgres ? "CURRENT_DATE" : "DATE('now')")
        case .shift(let x, let interval, let dateOnly) where postgres:
            builder.append(dateOnly ? "CAST((" : "(")
            try builder.append(x)
            builder.append(" + ")
            builder.appendBind(.interval(interval))
            builder.append(dateOnly ? ") AS DATE)" : ")")
        case .shift(let x, let interval, let dateOnly):
            builder.append(dateOnly ? "DATE(" : "STRFTIME(\(Self.sqliteTimestamp), ")
            try builder.append(x)
            // The modifiers are numbers Quarry formats itself: written inline.
            if interval.months != 0 { builder.append(", '\(interval.months > 0 ? "+" : "")\(interval.months) months'") }
            if interval.days != 0 { builder.append(", '\(interval.days > 0 ? "+" : "")\(interval.days) days'") }
            if interval.microseconds != 0 {
                let magnitude = interval.microseconds.magnitude
                let fraction = String(magnitude % 1_000_000)
                let seconds = "\(magnitude / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
                builder.append(", '\(interval.microseconds < 0 ? "-" : "+")\(seconds) seconds'")
            }
            builder.append(")")
        case .shiftTimes(let x, let interval, let count, let dateOnly) where postgres:
            builder.append(dateOnly ? "CAST((" : "(")
            try builder.append(x)
            builder.append(" + ")
            builder.appendBind(.interval(interval))
            builder.append(" * (")
            try builder.append(count)
            builder.append(dateOnly ? ")) AS DATE)" : "))")
        case .shiftTimes(let x, let interval, let count, let dateOnly):
            // Each part times the count, as a modifier SQLite reads ('-3 days', '5400.0 seconds').
            builder.append(dateOnly ? "DATE(" : "STRFTIME(\(Self.sqliteTimestamp), ")
            try builder.append(x)
            for (amount, unit) in [(Int64(interval.months), "months"), (Int64(interval.days), "days")] where amount != 0
            {
                builder.append(", (\(amount) * (")
                try builder.append(count)
                builder.append(")) || ' \(unit)'")
            }
            if interval.microseconds != 0 {
                builder.append(", (\(interval.microseconds) * (")
                try builder.append(count)
                builder.append(") / 1000000.0) || ' seconds'")
            }
            builder.append(")")
        case .difference(let a, let b, _) where postgres:
            builder.append("(")
            try builder.append(a)
            builder.append(" - ")
            try builder.append(b)
            builder.append(")")
        case .difference(let a, let b, let dateOnly):
            // Whole days between dates; microseconds (to the millisecond SQLite keeps) between
            // timestamps.
            builder.append(dateOnly ? "CAST(ROUND(JULIANDAY(" : "CAST(ROUND((JULIANDAY(")
            try builder.append(a)
            builder.append(") - JULIANDAY(")
            try builder.append(b)
            builder.append(dateOnly ? ")) AS INTEGER)" : ")) * 86400000) AS INTEGER) * 1000")
        }
    }
}

/// A value that date arithmetic applies to: `Date` (a timestamp) and `CalendarDate`, optional or
/// not. `Difference` is what subtracting two of them gives: a `Duration` between timestamps, a
/// number of days between dates.
public protocol SQLTemporal {
    /// What `a - b` gives.
    associatedtype Difference
    /// `true` for dates without a time.
    static var isDateOnly: Bool { get }
}

extension Date: SQLTemporal {
    public typealias Difference = Duration
    public static var isDateOnly: Bool { false }
}

extension CalendarDate: SQLTemporal {
    public typealias Difference = Int64
    public static var isDateOnly: Bool { true }
}

extension Optional: SQLTemporal where Wrapped: SQLTemporal {
    public typealias Difference = Wrapped.Difference?
    public static var isDateOnly: Bool { Wrapped.isDateOnly }
}

/// The current instant: `NOW()` on PostgreSQL, the current UTC time on SQLite.
///
/// ```swift
/// select(Booking.self).where(\.startTime >= now() - Interval(days: 30))
/// ```
public func now() -> SQLExpression<Date> { SQLExpression(.dateArithmetic(.now)) }

/// Today's date in UTC: `CURRENT_DATE` (sessions run in UTC) / `DATE('now')`.
public func today() -> SQLExpression<CalendarDate> { SQLExpression(.dateArithmetic(.today)) }

/// A timestamp or date plus an interval: `x + INTERVAL …` on PostgreSQL (a date stays a date),
/// `strftime(…, x, '+1 months', …)` / `date(x, …)` on SQLite.
///
/// ```swift
/// select(Booking.Columns.startTime + Interval(days: 1), from: Booking.self)
/// ```
public func + <E: SQLExpressible>(lhs: E, rhs: Interval) -> SQLExpression<E.Value> where E.Value: SQLTemporal {
    SQLExpression(.dateArithmetic(.shift(lhs.sqlNode, rhs, dateOnly: E.Value.isDateOnly)))
}

/// An interval times an integer expression, to add to a date or timestamp:
/// `.minutes(30) * Booking.Columns.slots`.
public struct ScaledInterval: Sendable {
    let interval: Interval
    let count: SQLNode
}

/// `interval * count`: an interval as many times as an integer expression says.
public func * <C: SQLExpressible>(lhs: Interval, rhs: C) -> ScaledInterval where C.Value: SQLIntegral {
    ScaledInterval(interval: lhs, count: rhs.sqlNode)
}

/// `x + interval * count` (PostgreSQL's arithmetic; SQLite's date modifiers, each part times the
/// count): a booking's end from its start and its half-hour slots.
///
/// ```swift
/// select(Booking.Columns.startTime + .minutes(30) * Booking.Columns.slots, from: Booking.self)
/// ```
public func + <E: SQLExpressible>(lhs: E, rhs: ScaledInterval) -> SQLExpression<E.Value> where E.Value: SQLTemporal {
    SQLExpression(.dateArithmetic(.shiftTimes(lhs.sqlNode, rhs.interval, rhs.count, dateOnly: E.Value.isDateOnly)))
}

/// A timestamp or date minus an interval.
///
/// ```swift
/// select(Invoice.self).where(\.invoiceDate >= now() - Interval(months: 1))
/// ```
public func - <E: SQLExpressible>(lhs: E, rhs: Interval) -> SQLExpression<E.Value> where E.Value: SQLTemporal {
    let negated = Interval(months: -rhs.months, days: -rhs.days, microseconds: -rhs.microseconds)
    return SQLExpression(.dateArithmetic(.shift(lhs.sqlNode, negated, dateOnly: E.Value.isDateOnly)))
}

/// The time between two timestamps (a `Duration`), or the whole days between two dates.
///
/// ```swift
/// select(Booking.Columns.endTime - Booking.Columns.startTime, from: Booking.self)
/// ```
public func - <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<L.Value.Difference>
where L.Value: SQLTemporal, R.Value: SQLTemporal {
    SQLExpression(.dateArithmetic(.difference(lhs.sqlNode, rhs.sqlNode, dateOnly: L.Value.isDateOnly)))
}

/// The time from a constant timestamp or date to an expression's, or back.
///
/// ```swift
/// select(Member.Columns.joinDate - CalendarDate(year: 2012, month: 7, day: 1)!, from: Member.self)
/// ```
public func - <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<L.Value.Difference>
where L.Value: SQLTemporal & DatabaseValueConvertible {
    SQLExpression(.dateArithmetic(.difference(lhs.sqlNode, .bind(rhs.databaseValue), dateOnly: L.Value.isDateOnly)))
}
