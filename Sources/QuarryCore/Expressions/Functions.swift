/// `COUNT(*)`
///
/// ```swift
/// let n = try await engine.scalar(select(count(), from: Post.self).where(\.userId == 42))
/// ```
public func count() -> SQLExpression<Int64> { SQLExpression(.countAll) }

/// `COUNT(x)`, or `COUNT(DISTINCT x)`.
public func count<E: SQLExpressible>(_ x: E, distinct: Bool = false) -> SQLExpression<Int64> {
    SQLExpression(.function("COUNT", [x.sqlNode], distinct: distinct))
}

/// `SUM(x)`, or `SUM(DISTINCT x)`: each distinct value once; `nil` over no rows.
public func sum<E: SQLExpressible>(_ x: E, distinct: Bool = false) -> SQLExpression<E.Value?>
where E.Value: SQLNumeric {
    SQLExpression(.function("SUM", [x.sqlNode], distinct: distinct))
}

/// `SUM(x)` of a nullable column or expression (a window of sums, a sum of a `LEFT JOIN`ed
/// column): one level of `nil`, not two.
public func sum<E: SQLExpressible, W>(_ x: E, distinct: Bool = false) -> SQLExpression<W?>
where E.Value == W?, W: SQLNumeric {
    SQLExpression(.function("SUM", [x.sqlNode], distinct: distinct))
}

/// `AVG(x)`, or `AVG(DISTINCT x)`; `nil` over no rows.
public func avg<E: SQLExpressible>(_ x: E, distinct: Bool = false) -> SQLExpression<Double?> where E.Value: SQLNumeric {
    SQLExpression(.function("AVG", [x.sqlNode], distinct: distinct))
}

/// `MIN(x)`; `nil` over no rows.
public func min<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value?> {
    SQLExpression(.function("MIN", [x.sqlNode], distinct: false))
}

/// `MIN(x)` of a nullable column: one level of `nil`.
public func min<E: SQLExpressible, W>(_ x: E) -> SQLExpression<W?> where E.Value == W? {
    SQLExpression(.function("MIN", [x.sqlNode], distinct: false))
}

/// `MAX(x)` of a nullable column: one level of `nil`.
public func max<E: SQLExpressible, W>(_ x: E) -> SQLExpression<W?> where E.Value == W? {
    SQLExpression(.function("MAX", [x.sqlNode], distinct: false))
}

/// `MAX(x)`; `nil` over no rows.
public func max<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value?> {
    SQLExpression(.function("MAX", [x.sqlNode], distinct: false))
}

/// `LOWER(x)`
public func lower<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value> where E.Value: SQLTextual {
    SQLExpression(.function("LOWER", [x.sqlNode], distinct: false))
}

/// `UPPER(x)`
public func upper<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value> where E.Value: SQLTextual {
    SQLExpression(.function("UPPER", [x.sqlNode], distinct: false))
}

/// `COALESCE(x, fallback)`: the first non-null.
public func coalesce<E: SQLExpressible, V: DatabaseValueConvertible>(_ x: E, _ fallback: V) -> SQLExpression<V>
where E.Value == V? {
    SQLExpression(.function("COALESCE", [x.sqlNode, .bind(fallback.databaseValue)], distinct: false))
}

/// `COALESCE(x, y)` between two expressions.
public func coalesce<E: SQLExpressible, F: SQLExpressible>(_ x: E, _ y: F) -> SQLExpression<F.Value> {
    SQLExpression(.function("COALESCE", [x.sqlNode, y.sqlNode], distinct: false))
}

/// `COALESCE(x, y, z, …)`: the first non-null of three or more optional expressions of one type
/// (end with `coalesce(…, fallback)` of two for a non-optional result).
///
/// ```swift
/// select(coalesce(Customer.Columns.company, Customer.Columns.state, Customer.Columns.fax), from: Customer.self)
/// ```
public func coalesce<V>(
    _ first: some SQLExpressible<V?>,
    _ second: some SQLExpressible<V?>,
    _ third: some SQLExpressible<V?>,
    _ more: any SQLExpressible<V?>...
) -> SQLExpression<V?> {
    let arguments = [first.sqlNode, second.sqlNode, third.sqlNode] + more.map(\.sqlNode)
    return SQLExpression(.function("COALESCE", arguments, distinct: false))
}

/// `ROUND(x, digits)`: `x` rounded to `digits` places, computed on the exact `NUMERIC` value on
/// both backends (PostgreSQL has no `round` of a double to places).
///
/// ```swift
/// select(round(avg(Track.Columns.milliseconds) / 60_000.0, 2), from: Track.self)
/// ```
public func round<E: SQLExpressible>(_ x: E, _ digits: Int = 0) -> SQLExpression<Double> where E.Value: SQLNumeric {
    SQLExpression(roundNode(x.sqlNode, digits))
}

/// `ROUND(CAST(x AS NUMERIC), digits)`. PostgreSQL's round takes an int4 count of places: a bound
/// integer is int8, so it is cast.
/// `BOOL_AND(x)`: whether `x` holds in every row of the group (`NULL`s skipped); `nil` over no
/// rows. Both backends (SQLite: `MIN` of its 0 and 1).
///
/// ```swift
/// select(Invoice.Columns.customerId, boolAnd(Invoice.Columns.total > Decimal(1)), from: Invoice.self)
///     .groupBy(Invoice.Columns.customerId)
/// ```
public func boolAnd<E: SQLExpressible>(_ x: E) -> SQLExpression<Bool?> where E.Value == Bool {
    SQLExpression(.portable(.truth(x.sqlNode, all: true)))
}

/// `BOOL_OR(x)`: whether `x` holds in some row of the group (`NULL`s skipped); `nil` over no rows.
public func boolOr<E: SQLExpressible>(_ x: E) -> SQLExpression<Bool?> where E.Value == Bool {
    SQLExpression(.portable(.truth(x.sqlNode, all: false)))
}

private func roundNode(_ x: SQLNode, _ digits: Int) -> SQLNode {
    .function("ROUND", [.cast(x, .numeric), .int32Argument(digits)], distinct: false)
}

/// `ROUND(x, digits)` of a decimal: a decimal again (`round(sum(Invoice.Columns.total), 1)`), so
/// money stays exact on PostgreSQL. SQLite computes it in floating point, as all its arithmetic.
///
/// ```swift
/// select(round(sum(Invoice.Columns.total), 1), from: Invoice.self)   // Decimal?
/// ```
public func round<E: SQLExpressible>(_ x: E, _ digits: Int = 0) -> SQLExpression<E.Value> where E.Value: SQLDecimal {
    SQLExpression(roundNode(x.sqlNode, digits))
}

/// `STRING_AGG(x, separator ORDER BY …)`: the group's values joined into one text, in the
/// order given (else the database's); `NULL`s are skipped, and a group of none is `NULL`. Both
/// backends (SQLite 3.44+, which Quarry's driver bundles).
///
/// ```swift
/// select(Album.Columns.title, stringAgg(Track.Columns.name, separator: ", ", orderBy: Track.Columns.trackId.asc), from: Album.self)
///     .join(Track.self, on: Track.Columns.albumId == Album.Columns.albumId)
///     .groupBy(Album.Columns.albumId, Album.Columns.title)
/// ```
public func stringAgg<E: SQLExpressible>(
    _ x: E,
    separator: String,
    orderBy order: Ordering...
) -> SQLExpression<String?>
where E.Value: SQLTextual {
    SQLExpression(.orderedAggregate("STRING_AGG", [x.sqlNode, .bind(.text(separator))], orderBy: order))
}

/// `STRING_AGG(DISTINCT x, separator ORDER BY x)`: each of the group's texts once, in ascending
/// order (each database's own collation), joined by `separator`; `NULL`s are skipped, and a group
/// of none is `NULL`. SQLite's `DISTINCT` aggregates take no separator, so there the distinct
/// values are gathered as a JSON array and joined by a subquery over it, with the same result.
/// Also with `.filter(where:)`; not over a window (neither backend deduplicates there).
///
/// ```swift
/// select(Invoice.Columns.customerId, stringAgg(distinct: Invoice.Columns.billingCity, separator: ", "), from: Invoice.self)
///     .groupBy(Invoice.Columns.customerId)
/// ```
public func stringAgg<E: SQLExpressible>(distinct x: E, separator: String) -> SQLExpression<String?>
where E.Value: SQLTextual {
    SQLExpression(.portable(.distinctStringAggregate(x.sqlNode, separator: separator)))
}

/// `ARRAY_AGG(x ORDER BY …)`: the group's values as one array, in the order given (else the
/// database's). `NULL`s are kept: aggregate an optional expression (`.nullable`) to read them as
/// `[T?]`, or leave them out with `.filter(where: x.isNotNull)`. A group of no rows — every row
/// filtered out, or an aggregate without `GROUP BY` over an empty table — is `[]` on both backends.
///
/// PostgreSQL: `ARRAY_AGG`. SQLite has no arrays: Quarry stores them as JSON text there, and
/// `JSON_GROUP_ARRAY` gives exactly that form (a blob value cannot be in it; SQLite refuses it).
/// Also with `.filter(where:)` and `.over(…)`.
///
/// ```swift
/// let tracksPerAlbum = select(
///     Album.Columns.title,
///     arrayAgg(Track.Columns.name, orderBy: Track.Columns.trackId.asc),
///     from: Album.self
/// )
/// .join(Track.self, on: Track.Columns.albumId == Album.Columns.albumId)
/// .groupBy(Album.Columns.albumId, Album.Columns.title)   // rows of (String, [String])
/// ```
public func arrayAgg<E: SQLExpressible>(_ x: E, orderBy order: Ordering...) -> SQLExpression<[E.Value]>
where E.Value: DatabaseValueConvertible {
    SQLExpression(.portable(.arrayAggregate(x.sqlNode, distinct: false, orderBy: order)))
}

/// `ARRAY_AGG(DISTINCT x ORDER BY x)`: each of the group's values once, in ascending order (text
/// in each database's own collation). Otherwise as ``arrayAgg(_:orderBy:)``.
///
/// ```swift
/// select(Invoice.Columns.customerId, arrayAgg(distinct: Invoice.Columns.billingCountry), from: Invoice.self)
///     .groupBy(Invoice.Columns.customerId)
/// ```
public func arrayAgg<E: SQLExpressible>(distinct x: E) -> SQLExpression<[E.Value]>
where E.Value: DatabaseValueConvertible {
    SQLExpression(
        .portable(.arrayAggregate(x.sqlNode, distinct: true, orderBy: [Ordering(x.sqlNode, descending: false)]))
    )
}

extension SQLExpressible {
    /// `aggregate FILTER (WHERE condition)`: an aggregate (`count()`, `sum`, …) over only the rows
    /// of its group that meet `condition` — several counts of one group in one pass. Both backends
    /// (SQLite since 3.30); also before `.over(…)`.
    ///
    /// ```swift
    /// select(Invoice.Columns.customerId, count().filter(where: Invoice.Columns.total > Decimal(10)), from: Invoice.self)
    ///     .groupBy(Invoice.Columns.customerId)
    /// ```
    public func filter(where condition: SQLExpression<Bool>) -> SQLExpression<Value> {
        SQLExpression(.filtered(self.sqlNode, where: condition.sqlNode))
    }
}

/// `CAST(x AS type)` in the dialect's spelling of `T`'s column type.
///
/// ```swift
/// select(cast(Track.Columns.milliseconds, as: Double.self) / 1000.0, from: Track.self)
/// ```
public func cast<E: SQLExpressible, T: DatabaseValueConvertible>(_ x: E, as type: T.Type) -> SQLExpression<T> {
    SQLExpression(.cast(x.sqlNode, T.columnType))
}

/// `NULLIF(x, value)`: `NULL` where `x` equals `value`, else `x`.
public func nullif<E: SQLExpressible>(_ x: E, _ value: E.Value) -> SQLExpression<E.Value?>
where E.Value: DatabaseValueConvertible {
    SQLExpression(.function("NULLIF", [x.sqlNode, .bind(value.databaseValue)], distinct: false))
}

/// Any SQL function, by name, with its result type declared: for functions Quarry has no helper
/// for (`similarity`, `json_extract`, `md5`, an extension's or your own). The name must be a
/// plain identifier (`schema.name` allowed); anything else fails to compile with `invalidValue`.
///
/// ```swift
/// let digest = function("md5", Track.Columns.name, as: String.self)   // PostgreSQL
/// select(digest, from: Track.self)
/// ```
public func function<T>(_ name: String, _ arguments: any SQLExpressible..., as type: T.Type) -> SQLExpression<T> {
    SQLExpression(.function(name, arguments.map(\.sqlNode), distinct: false))
}
