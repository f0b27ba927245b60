/// Portable numeric functions, compiled to each dialect's spelling. SQLite's driver is built
/// without SQLite's math functions, so `ceil` and `floor` are written there with `CAST`.
///
/// ```swift
/// select(abs(Invoice.Columns.total - Decimal(10)), ceil(Invoice.Columns.total), from: Invoice.self)
/// select(greatest(Track.Columns.milliseconds, 60_000), from: Track.self)
/// ```

/// `ABS(x)`: `x` without its sign.
public func abs<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value> where E.Value: SQLNumeric {
    SQLExpression(.function("ABS", [x.sqlNode], distinct: false))
}

/// `CEIL(x)`: the smallest whole number not below `x`, exact for a decimal.
public func ceil<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value> where E.Value: SQLDecimal {
    SQLExpression(.portable(.round(x.sqlNode, up: true)))
}

/// `CEIL(x)` of a floating-point value.
public func ceil<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value> where E.Value: SQLFloatingPoint {
    SQLExpression(.portable(.round(x.sqlNode, up: true)))
}

/// `FLOOR(x)`: the largest whole number not above `x`, exact for a decimal.
public func floor<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value> where E.Value: SQLDecimal {
    SQLExpression(.portable(.round(x.sqlNode, up: false)))
}

/// `FLOOR(x)` of a floating-point value.
public func floor<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value> where E.Value: SQLFloatingPoint {
    SQLExpression(.portable(.round(x.sqlNode, up: false)))
}

/// `GREATEST(a, b, …)`: the largest of the arguments, skipping `NULL`s (`NULL` only when all
/// are) on both backends, as PostgreSQL defines it.
///
/// ```swift
/// select(greatest(Invoice.Columns.invoiceDate, value(Date(timeIntervalSince1970: 0))), from: Invoice.self)
/// ```
public func greatest<V>(
    _ first: some SQLExpressible<V>,
    _ second: some SQLExpressible<V>,
    _ more: any SQLExpressible<V>...
) -> SQLExpression<V> {
    extreme([first.sqlNode, second.sqlNode] + more.map(\.sqlNode), greatest: true)
}

/// `GREATEST(x, value)`: `x`, or `value` where `x` is smaller (a floor: `greatest(balance, 0)`).
public func greatest<E: SQLExpressible>(_ x: E, _ value: E.Value) -> SQLExpression<E.Value>
where E.Value: DatabaseValueConvertible {
    extreme([x.sqlNode, .bind(value.databaseValue)], greatest: true)
}

/// `LEAST(a, b, …)`: the smallest of the arguments, skipping `NULL`s (`NULL` only when all are)
/// on both backends, as PostgreSQL defines it.
public func least<V>(
    _ first: some SQLExpressible<V>,
    _ second: some SQLExpressible<V>,
    _ more: any SQLExpressible<V>...
) -> SQLExpression<V> {
    extreme([first.sqlNode, second.sqlNode] + more.map(\.sqlNode), greatest: false)
}

/// `LEAST(x, value)`: `x`, or `value` where `x` is larger (a cap: `least(discount, 50)`).
public func least<E: SQLExpressible>(_ x: E, _ value: E.Value) -> SQLExpression<E.Value>
where E.Value: DatabaseValueConvertible {
    extreme([x.sqlNode, .bind(value.databaseValue)], greatest: false)
}

private func extreme<V>(_ arguments: [SQLNode], greatest: Bool) -> SQLExpression<V> {
    SQLExpression(.portable(.extreme(arguments, greatest: greatest)))
}

// Floating-point functions and statistics, computed in double precision on both backends
// (the argument is cast to `DOUBLE PRECISION`/`REAL`). SQLite's driver has no math functions:
// Quarry's SQLite connections install these, and a domain error (`sqrt(-1)`, `ln(0)`) is
// `DatabaseError.Code.invalidValue` on both, with PostgreSQL's message.

/// `SQRT(x)`: the square root.
///
/// ```swift
/// select(sqrt(Track.Columns.milliseconds), from: Track.self)
/// ```
public func sqrt<E: SQLExpressible>(_ x: E) -> SQLExpression<Double> where E.Value: SQLNumeric {
    doubleFunction("SQRT", x.sqlNode)
}

/// `SQRT(x)` of a nullable value: `nil` where it is.
public func sqrt<E: SQLExpressible, W>(_ x: E) -> SQLExpression<Double?> where E.Value == W?, W: SQLNumeric {
    doubleFunction("SQRT", x.sqlNode)
}

/// `POWER(x, y)`: `x` raised to `y`.
///
/// ```swift
/// select(power(Invoice.Columns.total, 2.0), from: Invoice.self)
/// ```
public func power<E: SQLExpressible>(_ x: E, _ y: Double) -> SQLExpression<Double> where E.Value: SQLNumeric {
    doubleFunction("POWER", x.sqlNode, .bind(.double(y)))
}

/// `POWER(x, y)` of a nullable value: `nil` where it is.
public func power<E: SQLExpressible, W>(_ x: E, _ y: Double) -> SQLExpression<Double?>
where E.Value == W?, W: SQLNumeric {
    doubleFunction("POWER", x.sqlNode, .bind(.double(y)))
}

/// `EXP(x)`: e raised to `x`.
public func exp<E: SQLExpressible>(_ x: E) -> SQLExpression<Double> where E.Value: SQLNumeric {
    doubleFunction("EXP", x.sqlNode)
}

/// `EXP(x)` of a nullable value: `nil` where it is.
public func exp<E: SQLExpressible, W>(_ x: E) -> SQLExpression<Double?> where E.Value == W?, W: SQLNumeric {
    doubleFunction("EXP", x.sqlNode)
}

/// `LN(x)`: the natural logarithm.
public func ln<E: SQLExpressible>(_ x: E) -> SQLExpression<Double> where E.Value: SQLNumeric {
    doubleFunction("LN", x.sqlNode)
}

/// `LN(x)` of a nullable value: `nil` where it is.
public func ln<E: SQLExpressible, W>(_ x: E) -> SQLExpression<Double?> where E.Value == W?, W: SQLNumeric {
    doubleFunction("LN", x.sqlNode)
}

/// `LOG10(x)`: the base-10 logarithm.
public func log10<E: SQLExpressible>(_ x: E) -> SQLExpression<Double> where E.Value: SQLNumeric {
    doubleFunction("LOG10", x.sqlNode)
}

/// `LOG10(x)` of a nullable value: `nil` where it is.
public func log10<E: SQLExpressible, W>(_ x: E) -> SQLExpression<Double?> where E.Value == W?, W: SQLNumeric {
    doubleFunction("LOG10", x.sqlNode)
}

/// `STDDEV_SAMP(x)`, or `STDDEV_POP(x)` with `population: true`: the standard deviation of the
/// group's values (`NULL`s skipped); `nil` over no rows, and for a sample of one row.
///
/// ```swift
/// select(Track.Columns.genreId, avg(Track.Columns.milliseconds), stddev(Track.Columns.milliseconds), from: Track.self)
///     .groupBy(Track.Columns.genreId)
/// ```
public func stddev<E: SQLExpressible>(_ x: E, population: Bool = false) -> SQLExpression<Double?>
where E.Value: SQLNumeric {
    doubleFunction(population ? "STDDEV_POP" : "STDDEV_SAMP", x.sqlNode)
}

/// `VAR_SAMP(x)`, or `VAR_POP(x)` with `population: true`: the variance of the group's values
/// (`NULL`s skipped); `nil` over no rows, and for a sample of one row.
public func variance<E: SQLExpressible>(_ x: E, population: Bool = false) -> SQLExpression<Double?>
where E.Value: SQLNumeric {
    doubleFunction(population ? "VAR_POP" : "VAR_SAMP", x.sqlNode)
}

/// `PERCENTILE_CONT(fraction) WITHIN GROUP (ORDER BY x)`: the value at `fraction` (0 to 1) of
/// the way through the group's sorted values, interpolated between the two nearest (0.5 is the
/// median); `NULL`s skipped, `nil` over no rows. PostgreSQL's ordered-set aggregate; Quarry's
/// SQLite connections install the same (`quarry_percentile_cont`). Also with `.filter(where:)`;
/// not over a window (neither backend has it). A fraction outside 0…1 is a `CompileError`.
///
/// ```swift
/// select(Track.Columns.genreId, median(Track.Columns.milliseconds), percentileCont(0.9, of: Track.Columns.milliseconds), from: Track.self)
///     .groupBy(Track.Columns.genreId)
/// ```
public func percentileCont<E: SQLExpressible>(_ fraction: Double, of x: E) -> SQLExpression<Double?>
where E.Value: SQLNumeric {
    SQLExpression(.portable(.percentile(x.sqlNode, fraction: fraction, continuous: true)))
}

/// The median of the group's values: ``percentileCont(_:of:)`` at 0.5 (the mean of the middle two
/// of an even count).
public func median<E: SQLExpressible>(_ x: E) -> SQLExpression<Double?> where E.Value: SQLNumeric {
    percentileCont(0.5, of: x)
}

/// `PERCENTILE_DISC(fraction) WITHIN GROUP (ORDER BY x)`: the first of the group's sorted values
/// at or past `fraction` (0 to 1) of the way through — one of the values itself, in its own type;
/// `NULL`s skipped, `nil` over no rows. Otherwise as ``percentileCont(_:of:)``.
public func percentileDisc<E: SQLExpressible>(_ fraction: Double, of x: E) -> SQLExpression<E.Value?>
where E.Value: SQLNumeric {
    SQLExpression(.portable(.percentile(x.sqlNode, fraction: fraction, continuous: false)))
}

/// ``percentileDisc(_:of:)`` of a nullable value: one level of `nil`.
public func percentileDisc<E: SQLExpressible, W>(_ fraction: Double, of x: E) -> SQLExpression<W?>
where E.Value == W?, W: SQLNumeric {
    SQLExpression(.portable(.percentile(x.sqlNode, fraction: fraction, continuous: false)))
}

private func doubleFunction<V>(_ name: String, _ x: SQLNode, _ more: SQLNode...) -> SQLExpression<V> {
    SQLExpression(.function(name, [.cast(x, .double)] + more, distinct: false))
}
