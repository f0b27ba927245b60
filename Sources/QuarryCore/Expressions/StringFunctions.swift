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
    var arguments: [SQLNode] = [x.sqlNode, .cast(.bind(.integer(Int64(start))), .integer32)]
    if let length { arguments.append(.cast(.bind(.integer(Int64(length))), .integer32)) }
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
