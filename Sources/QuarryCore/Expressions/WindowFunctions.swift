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
}

/// `ROW_NUMBER()`: 1, 2, 3, … within the window; use with `.over(…)`.
public func rowNumber() -> SQLExpression<Int64> { SQLExpression(.function("ROW_NUMBER", [], distinct: false)) }

/// `RANK()`: ties share a rank and leave gaps (1, 1, 3); use with `.over(…)`.
public func rank() -> SQLExpression<Int64> { SQLExpression(.function("RANK", [], distinct: false)) }

/// `DENSE_RANK()`: ties share a rank without gaps (1, 1, 2); use with `.over(…)`.
public func denseRank() -> SQLExpression<Int64> { SQLExpression(.function("DENSE_RANK", [], distinct: false)) }

/// `NTILE(buckets)`: the bucket 1…`buckets` of the row; use with `.over(…)`.
public func ntile(_ buckets: Int) -> SQLExpression<Int64> {
    SQLExpression(.function("NTILE", [.cast(.bind(.integer(Int64(buckets))), .integer32)], distinct: false))
}

/// `LAG(x, offset)`: the value `offset` rows before, `nil` before the first; use with `.over(…)`.
public func lag<E: SQLExpressible>(_ x: E, _ offset: Int = 1) -> SQLExpression<E.Value?> {
    SQLExpression(.function("LAG", [x.sqlNode, .cast(.bind(.integer(Int64(offset))), .integer32)], distinct: false))
}

/// `LEAD(x, offset)`: the value `offset` rows after, `nil` past the last; use with `.over(…)`.
public func lead<E: SQLExpressible>(_ x: E, _ offset: Int = 1) -> SQLExpression<E.Value?> {
    SQLExpression(.function("LEAD", [x.sqlNode, .cast(.bind(.integer(Int64(offset))), .integer32)], distinct: false))
}
