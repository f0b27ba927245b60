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
