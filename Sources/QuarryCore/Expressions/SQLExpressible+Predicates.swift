extension SQLExpressible where Value: DatabaseValueConvertible {
    /// `x IN (v1, v2, …)`; an empty list matches nothing.
    ///
    /// ```swift
    /// select(User.self).where(User.Columns.id.in([1, 2, 3]))
    /// ```
    public func `in`<S: Sequence>(_ values: S) -> SQLExpression<Bool> where S.Element == Value {
        SQLExpression(.inList(self.sqlNode, values.map { .bind($0.databaseValue) }, negated: false))
    }

    /// `x NOT IN (v1, v2, …)`; an empty list matches everything.
    public func notIn<S: Sequence>(_ values: S) -> SQLExpression<Bool> where S.Element == Value {
        SQLExpression(.inList(self.sqlNode, values.map { .bind($0.databaseValue) }, negated: true))
    }

    /// `x BETWEEN low AND high`
    public func between(_ low: Value, and high: Value) -> SQLExpression<Bool> {
        SQLExpression(.between(self.sqlNode, .bind(low.databaseValue), .bind(high.databaseValue)))
    }

    /// `x BETWEEN low AND high` with bounds that are expressions — columns of a joined table (a
    /// range join: each salary's grade, each booking inside a membership), or computed ones. Wrap
    /// a fixed bound in `value(…)`.
    ///
    /// ```swift
    /// select(Invoice.Columns.invoiceId, from: Invoice.self)
    ///     .join(Customer.self, on: Customer.Columns.customerId == Invoice.Columns.customerId)
    ///     .where(Invoice.Columns.total.between(value(Decimal(1)), and: Invoice.Columns.total * 2))
    /// ```
    public func between(
        _ low: some SQLExpressible<Value>,
        and high: some SQLExpressible<Value>
    ) -> SQLExpression<Bool> {
        SQLExpression(.between(self.sqlNode, low.sqlNode, high.sqlNode))
    }

    /// `x IS DISTINCT FROM value`: `x` differs from `value`, a `NULL` counting as a value of its
    /// own (never `NULL` itself, unlike `<>`).
    ///
    /// ```swift
    /// select(Customer.self).where(Customer.Columns.company.isDistinct(from: nil))   // has a company
    /// ```
    public func isDistinct(from value: Value) -> SQLExpression<Bool> {
        SQLExpression(.binary(self.sqlNode, .isDistinctFrom, .bind(value.databaseValue)))
    }

    /// `x IS NOT DISTINCT FROM value`: equal, or both `NULL`.
    public func isNotDistinct(from value: Value) -> SQLExpression<Bool> {
        SQLExpression(.binary(self.sqlNode, .isNotDistinctFrom, .bind(value.databaseValue)))
    }
}

extension SQLExpressible {
    /// `x IN (SELECT …)`
    public func `in`<From, Output>(_ subquery: Select<From, Output>) -> SQLExpression<Bool> {
        SQLExpression(.inSubquery(self.sqlNode, subquery.core, negated: false))
    }

    /// `x NOT IN (SELECT …)`
    public func notIn<From, Output>(_ subquery: Select<From, Output>) -> SQLExpression<Bool> {
        SQLExpression(.inSubquery(self.sqlNode, subquery.core, negated: true))
    }

    /// `x IS DISTINCT FROM y`: the two differ, a `NULL` counting as a value of its own (a row
    /// whose column changed, `NULL` to something included).
    ///
    /// ```swift
    /// select(Customer.self).where(Customer.Columns.state.isDistinct(from: Customer.Columns.country))
    /// ```
    public func isDistinct(from other: some SQLExpressible<Value>) -> SQLExpression<Bool> {
        SQLExpression(.binary(self.sqlNode, .isDistinctFrom, other.sqlNode))
    }

    /// `x IS NOT DISTINCT FROM y`: equal, or both `NULL` (a join on nullable columns).
    public func isNotDistinct(from other: some SQLExpressible<Value>) -> SQLExpression<Bool> {
        SQLExpression(.binary(self.sqlNode, .isNotDistinctFrom, other.sqlNode))
    }

    /// `x IS NULL`
    public var isNull: SQLExpression<Bool> { SQLExpression(.isNull(self.sqlNode, negated: false)) }

    /// `x IS NOT NULL`
    public var isNotNull: SQLExpression<Bool> { SQLExpression(.isNull(self.sqlNode, negated: true)) }

    /// Ascending order.
    public var asc: Ordering { Ordering(self.sqlNode, descending: false) }

    /// Descending order.
    public var desc: Ordering { Ordering(self.sqlNode, descending: true) }
}

/// Text columns (optional or not).
public protocol SQLTextual {}
extension String: SQLTextual {}
extension Optional: SQLTextual where Wrapped: SQLTextual {}

extension SQLExpressible where Value: SQLTextual {
    /// `x LIKE pattern` (case-sensitive on both backends).
    public func like(_ pattern: String) -> SQLExpression<Bool> {
        SQLExpression(.like(self.sqlNode, .bind(.text(pattern)), caseInsensitive: false, negated: false))
    }

    /// `x NOT LIKE pattern`
    public func notLike(_ pattern: String) -> SQLExpression<Bool> {
        SQLExpression(.like(self.sqlNode, .bind(.text(pattern)), caseInsensitive: false, negated: true))
    }

    /// Case-insensitive `LIKE` (`ILIKE` on PostgreSQL, `lower(x) LIKE lower(pattern)` on SQLite).
    public func ilike(_ pattern: String) -> SQLExpression<Bool> {
        SQLExpression(.like(self.sqlNode, .bind(.text(pattern)), caseInsensitive: true, negated: false))
    }

    /// Whether `x` contains a match of the regular expression `pattern` (`x ~ pattern`, or `~*`
    /// with `caseInsensitive`); anchor it (`^…$`) to match the whole text. PostgreSQL reads the
    /// pattern as its POSIX regular expressions, Quarry's SQLite connections as Swift's `Regex`:
    /// classes (`[A-Z]`, `[[:digit:]]`, `\d`), anchors, quantifiers, groups and alternation mean
    /// the same on both. An invalid pattern is `DatabaseError.Code.invalidValue`.
    ///
    /// ```swift
    /// select(Customer.self).where(Customer.Columns.lastName.matches("^[AEIOU]", caseInsensitive: true))
    /// ```
    public func matches(_ pattern: String, caseInsensitive: Bool = false) -> SQLExpression<Bool> {
        SQLExpression(
            .portable(.matches(self.sqlNode, pattern: .bind(.text(pattern)), caseInsensitive: caseInsensitive))
        )
    }

    /// `x || y` string concatenation.
    public func concat<R: SQLExpressible>(_ other: R) -> SQLExpression<Value> where R.Value == Value {
        SQLExpression(.binary(self.sqlNode, .concat, other.sqlNode))
    }

    /// `x || 'text'`: `firstName.concat(" ").concat(lastName)`.
    public func concat(_ text: String) -> SQLExpression<Value> {
        SQLExpression(.binary(self.sqlNode, .concat, .bind(.text(text))))
    }
}

/// `EXISTS (SELECT …)`
public func exists<From, Output>(_ subquery: Select<From, Output>) -> SQLExpression<Bool> {
    SQLExpression(.exists(subquery.core, negated: false))
}

/// `NOT EXISTS (SELECT …)`
public func notExists<From, Output>(_ subquery: Select<From, Output>) -> SQLExpression<Bool> {
    SQLExpression(.exists(subquery.core, negated: true))
}
