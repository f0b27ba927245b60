/// `CASE WHEN … THEN … ELSE … END`, typed by its results.
///
/// ```swift
/// let band = when(Track.Columns.unitPrice < 1, then: "budget")
///     .when(Track.Columns.unitPrice < 2, then: "standard")
///     .else("premium")
/// select(Track.Columns.name, band, from: Track.self)
/// ```
public struct CaseExpression<Result: DatabaseValueConvertible>: Sendable {
    let branches: [CaseBranch]

    /// Adds `WHEN condition THEN result`.
    public func when(_ condition: SQLExpression<Bool>, then result: Result) -> CaseExpression {
        CaseExpression(
            branches: self.branches + [CaseBranch(condition: condition.sqlNode, result: .bind(result.databaseValue))]
        )
    }

    /// Adds `WHEN condition THEN expression`.
    public func when<E: SQLExpressible>(_ condition: SQLExpression<Bool>, then result: E) -> CaseExpression
    where E.Value == Result {
        CaseExpression(branches: self.branches + [CaseBranch(condition: condition.sqlNode, result: result.sqlNode)])
    }

    /// Ends with `ELSE result`: never `NULL`.
    public func `else`(_ result: Result) -> SQLExpression<Result> {
        SQLExpression(.caseWhen(self.branches, otherwise: .bind(result.databaseValue)))
    }

    /// Ends with `ELSE expression`.
    public func `else`<E: SQLExpressible>(_ result: E) -> SQLExpression<Result> where E.Value == Result {
        SQLExpression(.caseWhen(self.branches, otherwise: result.sqlNode))
    }

    /// Ends without `ELSE`: `NULL` where no condition holds.
    public var end: SQLExpression<Result?> { SQLExpression(.caseWhen(self.branches, otherwise: nil)) }
}

/// Starts a `CASE` with `WHEN condition THEN result`; see ``CaseExpression``.
public func when<R: DatabaseValueConvertible>(_ condition: SQLExpression<Bool>, then result: R) -> CaseExpression<R> {
    CaseExpression(branches: [CaseBranch(condition: condition.sqlNode, result: .bind(result.databaseValue))])
}

/// Starts a `CASE` with `WHEN condition THEN expression`.
public func when<E: SQLExpressible>(_ condition: SQLExpression<Bool>, then result: E) -> CaseExpression<E.Value>
where E.Value: DatabaseValueConvertible {
    CaseExpression(branches: [CaseBranch(condition: condition.sqlNode, result: result.sqlNode)])
}
