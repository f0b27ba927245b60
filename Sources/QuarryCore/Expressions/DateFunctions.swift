/// A calendar unit for ``extract(_:from:)`` and ``truncate(_:to:)``.
public enum DateUnit: String, Sendable, Hashable {
    case year, month, day, hour, minute, second
    /// The quarter of the year, 1 to 4 (`truncate` to it: January, April, July or October 1st).
    case quarter
    /// The ISO 8601 week of the year, 1 to 53 (`truncate` to it: its Monday).
    case week
    /// The day of the week, 0 (Sunday) to 6; `extract` only.
    case dayOfWeek = "dow"
    /// The day of the year, 1 to 366; `extract` only.
    case dayOfYear = "doy"
    /// Whole seconds since 1970-01-01 UTC; `extract` only.
    case epoch

    /// SQLite's `strftime` format of the unit alone.
    var sqliteFormat: String {
        switch self {
        case .year: "%Y"
        case .month: "%m"
        case .day: "%d"
        case .hour: "%H"
        case .minute: "%M"
        case .second: "%S"
        case .dayOfWeek: "%w"
        case .dayOfYear: "%j"
        case .epoch: "%s"
        case .week: "%V"
        case .quarter: "%m"  // made a quarter by the builder
        }
    }

    /// SQLite's `strftime` format of a timestamp truncated to the unit.
    var sqliteTruncation: String {
        switch self {
        case .year: "%Y-01-01 00:00:00"
        case .month: "%Y-%m-01 00:00:00"
        case .day: "%Y-%m-%d 00:00:00"
        case .hour: "%Y-%m-%d %H:00:00"
        case .minute: "%Y-%m-%d %H:%M:00"
        case .second, .dayOfWeek, .dayOfYear, .epoch: "%Y-%m-%d %H:%M:%S"
        case .week, .quarter: "%Y-%m-%d 00:00:00"  // of the week's Monday, the quarter's first day
        }
    }

    /// `true` for the units a timestamp can be truncated to (not the day of the week or year,
    /// nor the epoch).
    var truncates: Bool {
        switch self {
        case .dayOfWeek, .dayOfYear, .epoch: false
        default: true
        }
    }
}

/// A part of a date or timestamp as an integer: `EXTRACT(YEAR FROM x)` on PostgreSQL,
/// `strftime('%Y', x)` on SQLite (in UTC, as Quarry's sessions run).
///
/// ```swift
/// select(extract(.year, from: Invoice.Columns.invoiceDate), count(), from: Invoice.self)
///     .groupBy(extract(.year, from: Invoice.Columns.invoiceDate))
/// ```
public func extract<E: SQLExpressible>(_ unit: DateUnit, from x: E) -> SQLExpression<Int64> {
    SQLExpression(.datePart(unit, x.sqlNode, truncate: false))
}

/// A timestamp truncated to the start of its `unit`: `date_trunc('month', x)` on PostgreSQL,
/// `strftime('%Y-%m-01 00:00:00', x)` on SQLite — for grouping by month, day or hour.
///
/// ```swift
/// let month = truncate(Invoice.Columns.invoiceDate, to: .month)
/// select(month, sum(Invoice.Columns.total), from: Invoice.self).groupBy(month).orderBy(month.asc)
/// ```
public func truncate<E: SQLExpressible>(_ x: E, to unit: DateUnit) -> SQLExpression<E.Value> {
    SQLExpression(.datePart(unit, x.sqlNode, truncate: true))
}

/// A date or timestamp as text in `pattern`, the same on both backends: `TO_CHAR(x, pattern)` on
/// PostgreSQL, `strftime` on SQLite (in UTC, as Quarry's sessions run). The pattern is made of
/// `YYYY`, `MM`, `DD`, `HH24`, `MI` and `SS` (as PostgreSQL's `to_char` reads them) and the
/// separators `-`, `/`, `:`, `.`, `,`, `_` and space; anything else fails to compile with
/// `CompileError.Code.invalidValue`.
///
/// ```swift
/// let month = format(Invoice.Columns.invoiceDate, "YYYY-MM")
/// select(month, sum(Invoice.Columns.total), from: Invoice.self).groupBy(month).orderBy(month.asc)
/// ```
public func format<E: SQLExpressible>(_ x: E, _ pattern: String) -> SQLExpression<String> where E.Value: SQLTemporal {
    SQLExpression(.portable(.dateText(x.sqlNode, pattern: pattern)))
}

/// A nullable date or timestamp as text in `pattern`: `nil` where it is.
public func format<E: SQLExpressible, W>(_ x: E, _ pattern: String) -> SQLExpression<String?>
where E.Value == W?, W: SQLTemporal {
    SQLExpression(.portable(.dateText(x.sqlNode, pattern: pattern)))
}
