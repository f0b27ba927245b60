/// Portable string functions, compiled to each dialect's spelling.
///
/// ```swift
/// select(upper(substring(Customer.Columns.lastName, from: 1, length: 3)), length(Customer.Columns.email), from: Customer.self)
/// select(Customer.Columns.firstName.concat(" ").concat(Customer.Columns.lastName), from: Customer.self)
/// ```

/// `LENGTH(x)` in characters.
public func length<E: SQLExpressible>(_ x: E) -> SQLExpression<Int64> where E.Value: SQLTextual {
    SQLExpression(.function("LENGTH", [x.sqlNode], distinct: false))
}

/// `SUBSTR(x, from, length)`: `length` characters from position `from` (1-based).
public func substring<E: SQLExpressible>(_ x: E, from start: Int, length: Int? = nil) -> SQLExpression<E.Value>
where E.Value: SQLTextual {
    var arguments: [SQLNode] = [x.sqlNode, .int32Argument(start)]
    if let length { arguments.append(.int32Argument(length)) }
    return SQLExpression(.function("SUBSTR", arguments, distinct: false))
}

/// `TRIM(x)`: without leading and trailing spaces.
public func trim<E: SQLExpressible>(_ x: E) -> SQLExpression<E.Value> where E.Value: SQLTextual {
    SQLExpression(.function("TRIM", [x.sqlNode], distinct: false))
}

/// `REPLACE(x, target, replacement)`: every occurrence of `target` replaced.
public func replace<E: SQLExpressible>(_ x: E, _ target: String, with replacement: String) -> SQLExpression<E.Value>
where E.Value: SQLTextual {
    SQLExpression(.function("REPLACE", [x.sqlNode, .bind(.text(target)), .bind(.text(replacement))], distinct: false))
}

/// The 1-based position of `needle` in `x`, 0 when it does not occur (`STRPOS` on PostgreSQL,
/// `INSTR` on SQLite); case-sensitive.
///
/// ```swift
/// select(Customer.Columns.email, from: Customer.self).where(position(of: "@gmail.", in: Customer.Columns.email) > 0)
/// ```
public func position<E: SQLExpressible>(of needle: String, in x: E) -> SQLExpression<Int64> where E.Value: SQLTextual {
    SQLExpression(.portable(.position(.bind(.text(needle)), in: x.sqlNode)))
}

/// The 1-based position of one text expression in another, 0 when it does not occur.
public func position<N: SQLExpressible, E: SQLExpressible>(of needle: N, in x: E) -> SQLExpression<Int64>
where N.Value: SQLTextual, E.Value: SQLTextual {
    SQLExpression(.portable(.position(needle.sqlNode, in: x.sqlNode)))
}

/// `LEFT(x, count)`: the first `count` characters of `x` (all of it when shorter).
public func left<E: SQLExpressible>(_ x: E, _ count: Int) -> SQLExpression<E.Value> where E.Value: SQLTextual {
    substring(x, from: 1, length: max(count, 0))
}

/// `RIGHT(x, count)`: the last `count` characters of `x` (all of it when shorter).
public func right<E: SQLExpressible>(_ x: E, _ count: Int) -> SQLExpression<E.Value> where E.Value: SQLTextual {
    SQLExpression(.portable(.suffix(x.sqlNode, count: count)))
}
