/// A calendar unit for ``extract(_:from:)`` and ``truncate(_:to:)``.
public enum DateUnit: String, Sendable, Hashable {
    case year, month, day, hour, minute

    /// SQLite's `strftime` format of the unit alone.
    var sqliteFormat: String {
        switch self {
        case .year: "%Y"
        case .month: "%m"
        case .day: "%d"
        case .hour: "%H"
        case .minute: "%M"
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
