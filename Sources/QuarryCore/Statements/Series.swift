/// The values from a start through a stop, a step apart, as rows: PostgreSQL's
/// `generate_series`, on both backends. A query reads them with
/// `.from(series)` into a one-column `@Table` struct that names them, and
/// joins its tables to them like to any table — the months of a year with their totals, the days
/// of a range with no bookings.
///
/// ```swift
/// @Table("months") struct Month { var number: Int64 }
/// let year = select(Month.self).from(series(from: 1, through: 12))
/// ```
///
/// It compiles to a recursive common table (`WITH RECURSIVE … UNION ALL …`), which both dialects
/// run alike; its values are bound, never spliced. A step of zero, or an interval whose parts
/// point different ways, fails to compile with `CompileError` `invalidValue`.
public struct Series<Value>: Sendable {
    let start: SQLNode
    let stop: SQLNode
    /// The next value from a value.
    let next: @Sendable (SQLNode) -> SQLNode
    let ascending: Bool
    let problem: String?

    /// The common table's name and column inside the derived table.
    static var tableName: String { "quarry_series" }

    /// `SELECT value FROM (WITH RECURSIVE quarry_series (value) AS (SELECT start UNION ALL
    /// SELECT next FROM quarry_series WHERE next <= stop) SELECT value AS column FROM quarry_series)`.
    func core(naming column: String) -> SelectCore {
        let current = SQLNode.column(table: Self.tableName, name: "value")
        let next = self.next(current)
        var step = SelectCore(columns: [next], from: Self.tableName)
        step.predicate = .binary(next, self.ascending ? .lessOrEqual : .greaterOrEqual, self.stop)
        var values = SelectCore(columns: [self.start], from: nil)
        // The start itself only when it is within the range, as generate_series.
        values.predicate = .binary(self.start, self.ascending ? .lessOrEqual : .greaterOrEqual, self.stop)
        values.compound = [(.unionAll, step)]
        var outer = SelectCore(columns: [.alias(current, column)], from: Self.tableName)
        outer.commonTables = [
            SelectCore.CommonTable(name: Self.tableName, columns: ["value"], query: values, isRecursive: true)
        ]
        outer.problem = self.problem.map { CompileError(.invalidValue, $0) }
        return outer
    }
}

/// The integers from `start` through `stop`, `step` apart (downwards for a negative step):
/// `generate_series(start, stop, step)`. Either end may be any integer expression — a column of
/// an outer query, a scalar subquery.
///
/// ```swift
/// let ranks = series(from: value(Int64(1)), through: select(count(), from: Invoice.self).asScalar())
/// ```
public func series<S: SQLExpressible, E: SQLExpressible>(
    from start: S,
    through stop: E,
    by step: Int64 = 1
)
    -> Series<Int64> where S.Value == Int64, E.Value == Int64
{
    integerSeries(start.sqlNode, stop.sqlNode, step)
}

/// The integers from `start` through an end that may be `NULL` (`max(…)` of no rows: no values).
public func series<S: SQLExpressible, E: SQLExpressible>(
    from start: S,
    through stop: E,
    by step: Int64 = 1
)
    -> Series<Int64> where S.Value == Int64, E.Value == Int64?
{
    integerSeries(start.sqlNode, stop.sqlNode, step)
}

/// The integers from `start` through `stop`, `step` apart: `series(from: 1, through: 12)`.
public func series(from start: Int64, through stop: Int64, by step: Int64 = 1) -> Series<Int64> {
    integerSeries(.bind(.integer(start)), .bind(.integer(stop)), step)
}

private func integerSeries(_ start: SQLNode, _ stop: SQLNode, _ step: Int64) -> Series<Int64> {
    Series(
        start: start,
        stop: stop,
        next: { .binary($0, .plus, .bind(.integer(step))) },
        ascending: step > 0,
        problem: step == 0 ? "a series' step cannot be zero" : nil
    )
}

/// The timestamps or dates from `start` through `stop`, `step` apart (`Interval(days: 1)`,
/// `Interval(months: 1)`; backwards for a negative interval), added the way `date + interval` is
/// (PostgreSQL clamps January 31st plus a month to February's end; SQLite normalises it into
/// March).
///
/// ```swift
/// @Table("days") struct Day { var day: CalendarDate }
/// let first = CalendarDate(year: 2012, month: 10, day: 1)!, last = CalendarDate(year: 2012, month: 10, day: 31)!
/// let october = select(Day.self).from(series(from: value(first), through: value(last), by: Interval(days: 1)))
/// ```
public func series<S: SQLExpressible, E: SQLExpressible>(
    from start: S,
    through stop: E,
    by step: Interval
)
    -> Series<S.Value> where S.Value: SQLTemporal, E.Value == S.Value
{
    temporalSeries(start.sqlNode, stop.sqlNode, step, dateOnly: S.Value.isDateOnly)
}

/// The timestamps or dates from `start` through an end that may be `NULL` (`max(…)` of no rows:
/// no values).
public func series<S: SQLExpressible, E: SQLExpressible>(
    from start: S,
    through stop: E,
    by step: Interval
)
    -> Series<S.Value> where S.Value: SQLTemporal, E.Value == S.Value?
{
    temporalSeries(start.sqlNode, stop.sqlNode, step, dateOnly: S.Value.isDateOnly)
}

private func temporalSeries<V>(_ start: SQLNode, _ stop: SQLNode, _ step: Interval, dateOnly: Bool) -> Series<V> {
    let parts = [Int64(step.months), Int64(step.days), step.microseconds]
    let forwards = parts.allSatisfy { $0 >= 0 }
    let backwards = parts.allSatisfy { $0 <= 0 }
    return Series(
        start: start,
        stop: stop,
        next: { .dateArithmetic(.shift($0, step, dateOnly: dateOnly)) },
        ascending: forwards,
        problem: forwards && backwards
            ? "a series' step cannot be zero"
            : !forwards && !backwards ? "a series' step must not point both ways (\(step))" : nil
    )
}

extension Select where From: Table {
    /// `FROM series AS table`: reads the values of `series` (see ``Series``) as the rows of
    /// `From`, a `@Table` struct of one column that names them.
    ///
    /// ```swift
    /// @Table("months") struct Month { var number: Int64 }
    /// let perMonth = select(Month.Columns.number, count(Invoice.Columns.invoiceId), from: Month.self)
    ///     .from(series(from: 1, through: 12))
    ///     .leftJoin(Invoice.self, on: extract(.month, from: Invoice.Columns.invoiceDate) == Month.Columns.number)
    ///     .groupBy(Month.Columns.number)
    /// ```
    public func from<V>(_ series: Series<V>) -> Select {
        self.with {
            $0.fromQuery = .subquery(series.core(naming: From.schema.columns.first?.name ?? "value"))
            $0.from = From.schema.name
            $0.fromSchema = nil
        }
    }
}
