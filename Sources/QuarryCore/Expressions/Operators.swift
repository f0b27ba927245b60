// Comparison, boolean and arithmetic operators on typed expressions. Comparing with a value binds
// it; comparing with `nil` renders `IS NULL` / `IS NOT NULL`.

public import Foundation

private func compare(_ lhs: SQLNode, _ op: BinaryOperator, _ rhs: DatabaseValue) -> SQLExpression<Bool> {
    if rhs.isNull {
        if op == .equal { return SQLExpression(.isNull(lhs, negated: false)) }
        if op == .notEqual { return SQLExpression(.isNull(lhs, negated: true)) }
    }
    return SQLExpression(.binary(lhs, op, .bind(rhs)))
}

/// `lhs = rhs` (`IS NULL` when `rhs` is `nil`).
public func == <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<Bool>
where L.Value: DatabaseValueConvertible {
    compare(lhs.sqlNode, .equal, rhs.databaseValue)
}
/// `lhs <> rhs` (`IS NOT NULL` when `rhs` is `nil`).
public func != <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<Bool>
where L.Value: DatabaseValueConvertible {
    compare(lhs.sqlNode, .notEqual, rhs.databaseValue)
}
/// `lhs < rhs`
public func < <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<Bool> where L.Value: DatabaseValueConvertible {
    compare(lhs.sqlNode, .less, rhs.databaseValue)
}
/// `lhs <= rhs`
public func <= <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<Bool>
where L.Value: DatabaseValueConvertible {
    compare(lhs.sqlNode, .lessOrEqual, rhs.databaseValue)
}
/// `lhs > rhs`
public func > <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<Bool> where L.Value: DatabaseValueConvertible {
    compare(lhs.sqlNode, .greater, rhs.databaseValue)
}
/// `lhs >= rhs`
public func >= <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<Bool>
where L.Value: DatabaseValueConvertible {
    compare(lhs.sqlNode, .greaterOrEqual, rhs.databaseValue)
}

/// `lhs = rhs` between two expressions (for joins): `Post.Columns.userId == User.Columns.id`.
public func == <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .equal, rhs.sqlNode))
}
/// `lhs = rhs` where the right side is optional (a foreign key against a nullable primary key).
public func == <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where R.Value == L.Value? {
    SQLExpression(.binary(lhs.sqlNode, .equal, rhs.sqlNode))
}
/// `lhs = rhs` where the left side is optional.
public func == <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value? {
    SQLExpression(.binary(lhs.sqlNode, .equal, rhs.sqlNode))
}
/// `lhs <> rhs` between two expressions.
public func != <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .notEqual, rhs.sqlNode))
}
/// `lhs < rhs` between two expressions.
public func < <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .less, rhs.sqlNode))
}
/// `lhs > rhs` between two expressions.
public func > <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .greater, rhs.sqlNode))
}
/// `lhs <= rhs` between two expressions.
public func <= <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .lessOrEqual, rhs.sqlNode))
}
/// `lhs >= rhs` between two expressions.
public func >= <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .greaterOrEqual, rhs.sqlNode))
}

// Comparisons between an optional and a non-optional expression of one type (a nullable column
// against another table's key, say): SQL compares them as it does any two values.

/// `lhs <> rhs`, the right side optional.
public func != <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where R.Value == L.Value? {
    SQLExpression(.binary(lhs.sqlNode, .notEqual, rhs.sqlNode))
}
/// `lhs <> rhs`, the left side optional.
public func != <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value? {
    SQLExpression(.binary(lhs.sqlNode, .notEqual, rhs.sqlNode))
}
/// `lhs < rhs`, the right side optional.
public func < <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where R.Value == L.Value? {
    SQLExpression(.binary(lhs.sqlNode, .less, rhs.sqlNode))
}
/// `lhs < rhs`, the left side optional.
public func < <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value? {
    SQLExpression(.binary(lhs.sqlNode, .less, rhs.sqlNode))
}
/// `lhs > rhs`, the right side optional.
public func > <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where R.Value == L.Value? {
    SQLExpression(.binary(lhs.sqlNode, .greater, rhs.sqlNode))
}
/// `lhs > rhs`, the left side optional.
public func > <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value? {
    SQLExpression(.binary(lhs.sqlNode, .greater, rhs.sqlNode))
}
/// `lhs <= rhs`, the right side optional.
public func <= <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where R.Value == L.Value? {
    SQLExpression(.binary(lhs.sqlNode, .lessOrEqual, rhs.sqlNode))
}
/// `lhs <= rhs`, the left side optional.
public func <= <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value? {
    SQLExpression(.binary(lhs.sqlNode, .lessOrEqual, rhs.sqlNode))
}
/// `lhs >= rhs`, the right side optional.
public func >= <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where R.Value == L.Value? {
    SQLExpression(.binary(lhs.sqlNode, .greaterOrEqual, rhs.sqlNode))
}
/// `lhs >= rhs`, the left side optional.
public func >= <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Bool> where L.Value == R.Value? {
    SQLExpression(.binary(lhs.sqlNode, .greaterOrEqual, rhs.sqlNode))
}

/// `lhs AND rhs`
public func && (lhs: SQLExpression<Bool>, rhs: SQLExpression<Bool>) -> SQLExpression<Bool> {
    SQLExpression(.binary(lhs.sqlNode, .and, rhs.sqlNode))
}
/// `lhs OR rhs`
public func || (lhs: SQLExpression<Bool>, rhs: SQLExpression<Bool>) -> SQLExpression<Bool> {
    SQLExpression(.binary(lhs.sqlNode, .or, rhs.sqlNode))
}
/// `NOT x`
public prefix func ! (x: SQLExpression<Bool>) -> SQLExpression<Bool> {
    SQLExpression(.not(x.sqlNode))
}

/// Types that SQL arithmetic applies to.
public protocol SQLNumeric: DatabaseValueConvertible {}
extension Int: SQLNumeric {}
extension Int32: SQLNumeric {}
extension Int64: SQLNumeric {}
extension Double: SQLNumeric {}
extension Float: SQLNumeric {}
extension Decimal: SQLNumeric {}
extension Int8: SQLNumeric {}
extension Int16: SQLNumeric {}
extension UInt8: SQLNumeric {}
extension UInt16: SQLNumeric {}
extension UInt32: SQLNumeric {}
extension Optional: SQLNumeric where Wrapped: SQLNumeric {}

/// Integer types, for arithmetic with floating-point ones.
public protocol SQLIntegral: SQLNumeric {}
extension Int: SQLIntegral {}
extension Int8: SQLIntegral {}
extension Int16: SQLIntegral {}
extension Int32: SQLIntegral {}
extension Int64: SQLIntegral {}
extension UInt8: SQLIntegral {}
extension UInt16: SQLIntegral {}
extension UInt32: SQLIntegral {}
extension Optional: SQLIntegral where Wrapped: SQLIntegral {}

/// Floating-point types, for arithmetic with integer ones.
public protocol SQLFloatingPoint: SQLNumeric {}
extension Double: SQLFloatingPoint {}
extension Float: SQLFloatingPoint {}
extension Optional: SQLFloatingPoint where Wrapped: SQLFloatingPoint {}

/// `lhs + rhs`
public func + <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<L.Value> where L.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .plus, .bind(rhs.databaseValue)))
}
/// `lhs - rhs`
public func - <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<L.Value> where L.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .minus, .bind(rhs.databaseValue)))
}
/// `lhs * rhs`
public func * <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<L.Value> where L.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .multiply, .bind(rhs.databaseValue)))
}
/// `lhs / rhs`
public func / <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<L.Value> where L.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .divide, .bind(rhs.databaseValue)))
}
/// `lhs % rhs`
public func % <L: SQLExpressible>(lhs: L, rhs: L.Value) -> SQLExpression<L.Value> where L.Value: SQLNumeric {
    SQLExpression(.binary(lhs.sqlNode, .modulo, .bind(rhs.databaseValue)))
}
/// `lhs + rhs` between two expressions.
public func + <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<L.Value>
where L.Value: SQLNumeric, L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .plus, rhs.sqlNode))
}
/// `lhs - rhs` between two expressions.
public func - <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<L.Value>
where L.Value: SQLNumeric, L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .minus, rhs.sqlNode))
}
/// `lhs * rhs` between two expressions.
public func * <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<L.Value>
where L.Value: SQLNumeric, L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .multiply, rhs.sqlNode))
}
/// `lhs / rhs` between two expressions (integer division when both are integers, as in SQL).
public func / <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<L.Value>
where L.Value: SQLNumeric, L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .divide, rhs.sqlNode))
}
/// `lhs % rhs` between two expressions.
public func % <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<L.Value>
where L.Value: SQLNumeric, L.Value == R.Value {
    SQLExpression(.binary(lhs.sqlNode, .modulo, rhs.sqlNode))
}

// Arithmetic and comparisons between an integer and a floating-point expression (`Int32 * Double`,
// `Int64 > Double?`): the database promotes the integer, as SQL does, and arithmetic is read as a
// `Double`. (Same-type operands use the overloads above; an integer with a `Decimal` is below;
// for `Decimal` with a `Double`, `cast` one side.)

/// `lhs + rhs` between an integer and a floating-point expression.
@_disfavoredOverload
public func + <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Double>
where L.Value: SQLIntegral, R.Value: SQLFloatingPoint {
    SQLExpression(.binary(lhs.sqlNode, .plus, rhs.sqlNode))
}

/// `lhs + rhs` between a floating-point and an integer expression.
@_disfavoredOverload
public func + <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Double>
where L.Value: SQLFloatingPoint, R.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .plus, rhs.sqlNode))
}

/// `lhs - rhs` between an integer and a floating-point expression.
@_disfavoredOverload
public func - <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Double>
where L.Value: SQLIntegral, R.Value: SQLFloatingPoint {
    SQLExpression(.binary(lhs.sqlNode, .minus, rhs.sqlNode))
}

/// `lhs - rhs` between a floating-point and an integer expression.
@_disfavoredOverload
public func - <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Double>
where L.Value: SQLFloatingPoint, R.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .minus, rhs.sqlNode))
}

/// `lhs * rhs` between an integer and a floating-point expression.
@_disfavoredOverload
public func * <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Double>
where L.Value: SQLIntegral, R.Value: SQLFloatingPoint {
    SQLExpression(.binary(lhs.sqlNode, .multiply, rhs.sqlNode))
}

/// `lhs * rhs` between a floating-point and an integer expression.
@_disfavoredOverload
public func * <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Double>
where L.Value: SQLFloatingPoint, R.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .multiply, rhs.sqlNode))
}

/// `lhs / rhs (a floating-point division)` between an integer and a floating-point expression.
@_disfavoredOverload
public func / <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Double>
where L.Value: SQLIntegral, R.Value: SQLFloatingPoint {
    SQLExpression(.binary(lhs.sqlNode, .divide, rhs.sqlNode))
}

/// `lhs / rhs (a floating-point division)` between a floating-point and an integer expression.
@_disfavoredOverload
public func / <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Double>
where L.Value: SQLFloatingPoint, R.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .divide, rhs.sqlNode))
}

// An integer expression with a floating-point value (`count() * 100.0`, `sum(x) > 2.5`): the value
// is bound as a double and the database promotes the integer.

/// `lhs + rhs` between an integer expression and a floating-point value.
@_disfavoredOverload
public func + <L: SQLExpressible>(lhs: L, rhs: Double) -> SQLExpression<Double> where L.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .plus, .bind(.double(rhs))))
}

/// `lhs - rhs` between an integer expression and a floating-point value.
@_disfavoredOverload
public func - <L: SQLExpressible>(lhs: L, rhs: Double) -> SQLExpression<Double> where L.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .minus, .bind(.double(rhs))))
}

/// `lhs * rhs` between an integer expression and a floating-point value.
@_disfavoredOverload
public func * <L: SQLExpressible>(lhs: L, rhs: Double) -> SQLExpression<Double> where L.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .multiply, .bind(.double(rhs))))
}

/// `lhs / rhs (a floating-point division)` between an integer expression and a floating-point value.
@_disfavoredOverload
public func / <L: SQLExpressible>(lhs: L, rhs: Double) -> SQLExpression<Double> where L.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .divide, .bind(.double(rhs))))
}

// Arithmetic between an integer and a decimal (`slots * unit_price`, `quantity * Decimal("1.5")`):
// the database promotes the integer to `numeric`, as SQL does, and the result is a `Decimal`.

/// `Decimal` and `Decimal?`, for arithmetic with integer types.
public protocol SQLDecimal: SQLNumeric {}
extension Decimal: SQLDecimal {}
extension Optional: SQLDecimal where Wrapped: SQLDecimal {}

/// `lhs + rhs` between an integer and a decimal expression.
@_disfavoredOverload
public func + <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Decimal>
where L.Value: SQLIntegral, R.Value: SQLDecimal {
    SQLExpression(.binary(lhs.sqlNode, .plus, rhs.sqlNode))
}

/// `lhs + rhs` between a decimal and an integer expression.
@_disfavoredOverload
public func + <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Decimal>
where L.Value: SQLDecimal, R.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .plus, rhs.sqlNode))
}

/// `lhs + rhs` between an integer expression and a decimal value.
@_disfavoredOverload
public func + <L: SQLExpressible>(lhs: L, rhs: Decimal) -> SQLExpression<Decimal> where L.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .plus, .bind(.decimal(rhs))))
}

/// `lhs - rhs` between an integer and a decimal expression.
@_disfavoredOverload
public func - <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Decimal>
where L.Value: SQLIntegral, R.Value: SQLDecimal {
    SQLExpression(.binary(lhs.sqlNode, .minus, rhs.sqlNode))
}

/// `lhs - rhs` between a decimal and an integer expression.
@_disfavoredOverload
public func - <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Decimal>
where L.Value: SQLDecimal, R.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .minus, rhs.sqlNode))
}

/// `lhs - rhs` between an integer expression and a decimal value.
@_disfavoredOverload
public func - <L: SQLExpressible>(lhs: L, rhs: Decimal) -> SQLExpression<Decimal> where L.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .minus, .bind(.decimal(rhs))))
}

/// `lhs * rhs` between an integer and a decimal expression.
@_disfavoredOverload
public func * <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Decimal>
where L.Value: SQLIntegral, R.Value: SQLDecimal {
    SQLExpression(.binary(lhs.sqlNode, .multiply, rhs.sqlNode))
}

/// `lhs * rhs` between a decimal and an integer expression.
@_disfavoredOverload
public func * <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Decimal>
where L.Value: SQLDecimal, R.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .multiply, rhs.sqlNode))
}

/// `lhs * rhs` between an integer expression and a decimal value.
@_disfavoredOverload
public func * <L: SQLExpressible>(lhs: L, rhs: Decimal) -> SQLExpression<Decimal> where L.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .multiply, .bind(.decimal(rhs))))
}

/// `lhs / rhs` between an integer and a decimal expression.
@_disfavoredOverload
public func / <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Decimal>
where L.Value: SQLIntegral, R.Value: SQLDecimal {
    SQLExpression(.binary(lhs.sqlNode, .divide, rhs.sqlNode))
}

/// `lhs / rhs` between a decimal and an integer expression.
@_disfavoredOverload
public func / <L: SQLExpressible, R: SQLExpressible>(lhs: L, rhs: R) -> SQLExpression<Decimal>
where L.Value: SQLDecimal, R.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .divide, rhs.sqlNode))
}

/// `lhs / rhs` between an integer expression and a decimal value.
@_disfavoredOverload
public func / <L: SQLExpressible>(lhs: L, rhs: Decimal) -> SQLExpression<Decimal> where L.Value: SQLIntegral {
    SQLExpression(.binary(lhs.sqlNode, .divide, .bind(.decimal(rhs))))
}

/// `-x`
public prefix func - <L: SQLExpressible>(x: L) -> SQLExpression<L.Value> where L.Value: SQLNumeric {
    SQLExpression(.negate(x.sqlNode))
}
