/// How a value is compared with every row of a one-column subquery, in
/// ``SQLExpressible/compare(_:all:)`` and ``SQLExpressible/compare(_:any:)``.
public enum SubqueryComparison: Sendable, Hashable, CaseIterable {
    /// `=`
    case equal
    /// `<>`
    case notEqual
    /// `<`
    case lessThan
    /// `<=`
    case lessThanOrEqual
    /// `>`
    case greaterThan
    /// `>=`
    case greaterThanOrEqual

    var binaryOperator: BinaryOperator {
        switch self {
        case .equal: .equal
        case .notEqual: .notEqual
        case .lessThan: .less
        case .lessThanOrEqual: .lessOrEqual
        case .greaterThan: .greater
        case .greaterThanOrEqual: .greaterOrEqual
        }
    }
}

extension SQLExpressible {
    /// `x op ALL (SELECT …)`: whether `x` compares so with every row of a one-column subquery.
    /// True when the subquery returns no rows; `NULL` (which a `WHERE` treats as false) when no
    /// comparison is false but one is unknown because of a `NULL`. PostgreSQL runs it as written;
    /// SQLite, which has no `ALL`, gets an equivalent built from `EXISTS` with the same three-valued
    /// result.
    ///
    /// ```swift
    /// // Invoices larger than every invoice of 2009.
    /// let of2009 = select(Invoice.Columns.total, from: Invoice.self)
    ///     .where(Invoice.Columns.invoiceDate < Date(timeIntervalSince1970: 1_262_304_000))
    /// select(Invoice.self).where(Invoice.Columns.total.compare(.greaterThan, all: of2009))
    /// ```
    /// - Throws: when compiled, `CompileError` `invalidValue` unless the subquery selects exactly
    ///   one column.
    public func compare<From, Output>(
        _ comparison: SubqueryComparison,
        all subquery: Select<From, Output>
    ) -> SQLExpression<Bool> {
        SQLExpression(.quantified(self.sqlNode, comparison.binaryOperator, subquery.core, all: true))
    }

    /// `x op ANY (SELECT …)`: whether `x` compares so with at least one row of a one-column
    /// subquery (`= ANY` is `IN`). False when the subquery returns no rows; `NULL` when no
    /// comparison is true but one is unknown. SQLite gets the same result from `EXISTS`.
    ///
    /// ```swift
    /// // Tracks shorter than some track of album 1.
    /// let album1 = select(Track.Columns.milliseconds, from: Track.self).where(Track.Columns.albumId == 1)
    /// select(Track.self).where(Track.Columns.milliseconds.compare(.lessThan, any: album1))
    /// ```
    /// - Throws: when compiled, `CompileError` `invalidValue` unless the subquery selects exactly
    ///   one column.
    public func compare<From, Output>(
        _ comparison: SubqueryComparison,
        any subquery: Select<From, Output>
    ) -> SQLExpression<Bool> {
        SQLExpression(.quantified(self.sqlNode, comparison.binaryOperator, subquery.core, all: false))
    }
}

extension SQLBuilder {
    /// The derived table SQLite's form of a quantified comparison reads the subquery from, and
    /// the name it gives the subquery's one column.
    private static let quantifiedTable = "quarry_quantified"
    private static let quantifiedColumn = "quarry_value"

    /// `x op ALL|ANY (SELECT …)`; on SQLite, which has neither, a `CASE` over two `EXISTS` that
    /// gives the same true, false or `NULL`:
    ///
    /// - `ALL`: false when some comparison is false, else `NULL` when one is unknown, else true
    ///   (no rows included);
    /// - `ANY`: true when some comparison is true, else `NULL` when one is unknown, else false.
    mutating func appendQuantified(_ lhs: SQLNode, _ op: BinaryOperator, _ core: SelectCore, all: Bool) throws {
        guard core.columns.count == 1, core.compound.allSatisfy({ $0.1.columns.count == 1 }) else {
            throw CompileError(
                .invalidValue,
                "a subquery compared with ALL or ANY must select exactly one column, not \(core.columns.count)"
            )
        }
        // A value compared with a sensitive column (a password) is not logged.
        let redacted = core.selectsSensitiveColumn
        if self.dialect == .postgresql {
            self.append("((")
            try self.append(lhs, redacted: redacted)
            self.append(") \(op.sql) \(all ? "ALL" : "ANY") (")
            try core.compile(into: &self)
            self.append("))")
            return
        }
        var named = core
        named.columns = [.alias(core.columns[0].unaliased, Self.quantifiedColumn)]
        let comparison = SQLNode.binary(lhs, op, .column(table: Self.quantifiedTable, name: Self.quantifiedColumn))
        self.append("CASE WHEN ")
        try self.appendExists(in: named, where: all ? .not(comparison) : comparison, redacted: redacted)
        self.append(all ? " THEN 0 WHEN " : " THEN 1 WHEN ")
        try self.appendExists(in: named, where: .isNull(comparison, negated: false), redacted: redacted)
        self.append(all ? " THEN NULL ELSE 1 END" : " THEN NULL ELSE 0 END")
    }

    /// `EXISTS (SELECT 1 FROM (query) AS quarry_quantified WHERE condition)`.
    private mutating func appendExists(in query: SelectCore, where condition: SQLNode, redacted: Bool) throws {
        self.append("EXISTS (SELECT 1 FROM (")
        try query.compile(into: &self)
        self.append(") AS ")
        self.appendIdentifier(Self.quantifiedTable)
        self.append(" WHERE ")
        try self.append(condition, redacted: redacted)
        self.append(")")
    }

}

extension SQLNode {
    /// The expression itself, without the `AS "name"` a select-list column may carry.
    var unaliased: SQLNode {
        if case .alias(let inner, _) = self { return inner }
        return self
    }
}

extension SelectCore {
    /// Whether this query's first column is a ``ColumnOption/sensitive`` column of its tables: a
    /// value compared with it (`x IN (SELECT password …)`, `ALL`, `ANY`) is then not logged.
    var selectsSensitiveColumn: Bool {
        guard !self.sensitiveColumns.isEmpty, case .column(_, let name) = self.columns.first?.unaliased else {
            return false
        }
        return self.sensitiveColumns.contains(name)
    }
}
