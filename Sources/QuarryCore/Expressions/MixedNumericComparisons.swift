// Comparisons across numeric kinds, promoted by the database as SQL does: an integer with a
// floating-point or decimal expression or value (`count() > 2.5`, `quantity >= Decimal(2)`), a
// decimal with a floating-point expression (an invoice's total against the `avg(total)` subquery,
// which is a `Double`), integers of two widths. Disfavored: two expressions of one type use the
// overloads in Operators.swift.
//
// ```swift
// select(Invoice.self).where(Invoice.Columns.total > select(avg(Invoice.Columns.total), from: Invoice.self).asScalar())
// select(InvoiceLine.self).where(InvoiceLine.Columns.quantity >= Decimal(2))
// ```

/// `lhs < rhs` between numeric expressions of different types.
@_disfavoredOverload
public func < <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool>
where L.Value: SQLNumeric, R.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .less, rhs.sqlNode))
}

/// `lhs < rhs` between a numeric expression and a number of another type.
@_disfavoredOverload
public func < <L: SQLExpressible, V: SQLNumeric>(lhs: L, rhs: V) -> SQLExpression<Bool> where L.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .less, .bind(rhs.databaseValue)))
}

/// `lhs > rhs` between numeric expressions of different types.
@_disfavoredOverload
public func > <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool>
where L.Value: SQLNumeric, R.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .greater, rhs.sqlNode))
}

/// `lhs > rhs` between a numeric expression and a number of another type.
@_disfavoredOverload
public func > <L: SQLExpressible, V: SQLNumeric>(lhs: L, rhs: V) -> SQLExpression<Bool> where L.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .greater, .bind(rhs.databaseValue)))
}

/// `lhs <= rhs` between numeric expressions of different types.
@_disfavoredOverload
public func <= <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool>
where L.Value: SQLNumeric, R.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .lessOrEqual, rhs.sqlNode))
}

/// `lhs <= rhs` between a numeric expression and a number of another type.
@_disfavoredOverload
public func <= <L: SQLExpressible, V: SQLNumeric>(lhs: L, rhs: V) -> SQLExpression<Bool> where L.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .lessOrEqual, .bind(rhs.databaseValue)))
}

/// `lhs >= rhs` between numeric expressions of different types.
@_disfavoredOverload
public func >= <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool>
where L.Value: SQLNumeric, R.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .greaterOrEqual, rhs.sqlNode))
}

/// `lhs >= rhs` between a numeric expression and a number of another type.
@_disfavoredOverload
public func >= <L: SQLExpressible, V: SQLNumeric>(lhs: L, rhs: V) -> SQLExpression<Bool> where L.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .greaterOrEqual, .bind(rhs.databaseValue)))
}
