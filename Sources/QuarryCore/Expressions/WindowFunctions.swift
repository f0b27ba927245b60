/// Window functions: an aggregate or a ranking computed over a partition of the rows, ordered,
/// without collapsing them (both backends; SQLite since 3.25).
///
/// ```swift
/// // Each customer's rank by total spent within their country.
/// let spent = sum(Invoice.Columns.total)
/// let place = rank().over(partitionBy: Customer.Columns.country, orderBy: spent.desc)
/// // A running total by date.
/// let running = sum(Invoice.Columns.total).over(orderBy: Invoice.Columns.invoiceDate.asc)
/// ```
extension SQLExpressible {
    /// `expression OVER (PARTITION BY … ORDER BY …)`: an aggregate (`sum`, `count`, `avg`, …) or
    /// a ranking function over a window. With an `ORDER BY`, aggregates run from the partition's
    /// first row to the current one (a running total).
    public func over(partitionBy partition: any SQLExpressible..., orderBy order: Ordering...) -> SQLExpression<Value> {
        SQLExpression(.window(self.sqlNode, partitionBy: partition.map(\.sqlNode), orderBy: order))
    }

    /// `expression OVER (PARTITION BY … ORDER BY …)` with lists built at run time.
    public func over(partitionBy partition: [any SQLExpressible], orderBy order: [Ordering]) -> SQLExpression<Value> {
        SQLExpression(.window(self.sqlNode, partitionBy: partition.map(\.sqlNode), orderBy: order))
    }

    /// `expression OVER (PARTITION BY … ORDER BY … ROWS BETWEEN …)`: an aggregate over a frame of
    /// rows around the current one — a moving average, a sum of the last N.
    ///
    /// ```swift
    /// // The average of each invoice and the two before it.
    /// avg(Invoice.Columns.total).over(orderBy: [Invoice.Columns.invoiceId.asc], frame: .rows(.preceding(2), .currentRow))
    /// ```
    public func over(
        partitionBy partition: [any SQLExpressible] = [],
        orderBy order: [Ordering],
        frame: WindowFrame
    ) -> SQLExpression<Value> {
        SQLExpression(.window(self.sqlNode, partitionBy: partition.map(\.sqlNode), orderBy: order, frame: frame))
    }
}

/// The rows a window aggregate reads, relative to the current row: `ROWS` counts rows, `RANGE`
/// compares the `ORDER BY` value (both backends).
public struct WindowFrame: Sendable, Hashable {
    /// One end of a frame.
    public enum Bound: Sendable, Hashable {
        /// The partition's first row.
        case unboundedPreceding
        /// `n` rows (or, for `RANGE`, values) before the current one.
        case preceding(Int)
        /// The current row.
        case currentRow
        /// `n` rows after the current one.
        case following(Int)
        /// The partition's last row.
        case unboundedFollowing

        var sql: String {
            // Counts are integers Quarry formats itself: written inline, as the syntax requires.
            switch self {
            case .unboundedPreceding: "UNBOUNDED PRECEDING"
            case .preceding(let n): "\(max(n, 0)) PRECEDING"
            case .currentRow: "CURRENT ROW"
            case .following(let n): "\(max(n, 0)) FOLLOWING"
            case .unboundedFollowing: "UNBOUNDED FOLLOWING"
            }
        }
    }

    let unit: String
    let start: Bound
    let end: Bound

    /// `ROWS BETWEEN start AND end`.
    public static func rows(_ start: Bound, _ end: Bound) -> WindowFrame {
        WindowFrame(unit: "ROWS", start: start, end: end)
    }

    /// `RANGE BETWEEN start AND end`.
    public static func range(_ start: Bound, _ end: Bound) -> WindowFrame {
        WindowFrame(unit: "RANGE", start: start, end: end)
    }

    var sql: String { "\(self.unit) BETWEEN \(self.start.sql) AND \(self.end.sql)" }
}

/// `ROW_NUMBER()`: 1, 2, 3, … within the window; use with `.over(…)`.
public func rowNumber() -> SQLExpression<Int64> { SQLExpression(.function("ROW_NUMBER", [], distinct: false)) }

/// `RANK()`: ties share a rank and leave gaps (1, 1, 3); use with `.over(…)`.
public func rank() -> SQLExpression<Int64> { SQLExpression(.function("RANK", [], distinct: false)) }

/// `DENSE_RANK()`: ties share a rank without gaps (1, 1, 2); use with `.over(…)`.
public func denseRank() -> SQLExpression<Int64> { SQLExpression(.function("DENSE_RANK", [], distinct: false)) }

/// `NTILE(buckets)`: the bucket 1…`buckets` of the row; use with `.over(…)`.
public func ntile(_ buckets: Int) -> SQLExpression<Int64> {
    SQLExpression(.function("NTILE", [.int32Argument(buckets)], distinct: false))
}

/// `LAG(x, offset)`: the value `offset` rows before, `nil` before the first; use with `.over(…)`.
public func lag<E: SQLExpressible>(_ x: E, _ offset: Int = 1) -> SQLExpression<E.Value?> {
    SQLExpression(.function("LAG", [x.sqlNode, .int32Argument(offset)], distinct: false))
}

/// `LEAD(x, offset)`: the value `offset` rows after, `nil` past the last; use with `.over(…)`.
public func lead<E: SQLExpressible>(_ x: E, _ offset: Int = 1) -> SQLExpression<E.Value?> {
    SQLExpression(.function("LEAD", [x.sqlNode, .int32Argument(offset)], distinct: false))
}

/// `LAG(x, offset)` of a nullable column or expression: one level of `nil`, not two.
public func lag<E: SQLExpressible, W>(_ x: E, _ offset: Int = 1) -> SQLExpression<W?> where E.Value == W? {
    SQLExpression(.function("LAG", [x.sqlNode, .int32Argument(offset)], distinct: false))
}

/// `LEAD(x, offset)` of a nullable column or expression: one level of `nil`, not two.
public func lead<E: SQLExpressible, W>(_ x: E, _ offset: Int = 1) -> SQLExpression<W?> where E.Value == W? {
    SQLExpression(.function("LEAD", [x.sqlNode, .int32Argument(offset)], distinct: false))
}

/// `LAG(x, offset, default)`: the value `offset` rows before, `default` before the first.
///
/// ```swift
/// let previous = lag(Invoice.Columns.total, 1, default: 0).over(orderBy: Invoice.Columns.invoiceDate.asc)
/// select(Invoice.Columns.total - previous, from: Invoice.self)
/// ```
public func lag<E: SQLExpressible>(_ x: E, _ offset: Int = 1, default fallback: E.Value) -> SQLExpression<E.Value>
where E.Value: DatabaseValueConvertible {
    SQLExpression(
        .function("LAG", [x.sqlNode, .int32Argument(offset), .bind(fallback.databaseValue)], distinct: false)
    )
}

/// `LEAD(x, offset, default)`: the value `offset` rows after, `default` past the last.
public func lead<E: SQLExpressible>(_ x: E, _ offset: Int = 1, default fallback: E.Value) -> SQLExpression<E.Value>
where E.Value: DatabaseValueConvertible {
    SQLExpression(
        .function("LEAD", [x.sqlNode, .int32Argument(offset), .bind(fallback.databaseValue)], distinct: false)
    )
}

/// `FIRST_VALUE(x)`: `x` in the first row of the window frame; use with `.over(…)`.
///
/// ```swift
/// let best = firstValue(Track.Columns.name).over(partitionBy: Track.Columns.albumId, orderBy: Track.Columns.milliseconds.desc)
/// ```
public func firstValue<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value> {
    SQLExpression(.function("FIRST_VALUE", [x.sqlNode], distinct: false))
}

/// `LAST_VALUE(x)`: `x` in the last row of the window frame. With an `ORDER BY` the default
/// frame ends at the current row: give `.over(…, frame: .rows(.unboundedPreceding,
/// .unboundedFollowing))` for the partition's last row.
public func lastValue<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value> {
    SQLExpression(.function("LAST_VALUE", [x.sqlNode], distinct: false))
}

/// `NTH_VALUE(x, n)`: `x` in the `n`th row (1-based) of the window frame, `nil` when the frame
/// is shorter.
public func nthValue<E: SQLExpressible>(_ x: E, _ n: Int) -> SQLExpression<E.Value?> {
    SQLExpression(.function("NTH_VALUE", [x.sqlNode, .int32Argument(n)], distinct: false))
}

/// `NTH_VALUE(x, n)` of a nullable column or expression: one level of `nil`.
public func nthValue<E: SQLExpressible, W>(_ x: E, _ n: Int) -> SQLExpression<W?> where E.Value == W? {
    SQLExpression(.function("NTH_VALUE", [x.sqlNode, .int32Argument(n)], distinct: false))
}

/// `PERCENT_RANK()`: (rank − 1) / (rows − 1) of the partition, from 0 to 1; use with `.over(…)`.
public func percentRank() -> SQLExpression<Double> { SQLExpression(.function("PERCENT_RANK", [], distinct: false)) }

/// `CUME_DIST()`: the share of the partition's rows ordered before or level with this one.
public func cumeDist() -> SQLExpression<Double> { SQLExpression(.function("CUME_DIST", [], distinct: false)) }
