/// A `SELECT` from the table `From` whose rows decode into `Output`: a ``Table`` model, a single
/// value or a tuple. `From` lets key-path conditions (`\.userId == 42`) find their table.
///
/// ```swift
/// let recent = select(Post.self)
///     .where(\.userId == 42)
///     .orderBy(Post.Columns.id.desc)
///     .limit(20)
/// let total = select(count(), from: Post.self).where(\.userId == 42)
/// let pairs = select(User.Columns.name, User.Columns.email, from: User.self)
/// ```
public struct Select<From, Output: Sendable>: RowProducing {
    /// The untyped statement.
    public internal(set) var core: SelectCore
    let decoder: @Sendable (Row) throws -> Output

    init(core: SelectCore, decoder: @escaping @Sendable (Row) throws -> Output) {
        self.core = core
        self.decoder = decoder
    }

    public func compile(into builder: inout SQLBuilder) throws { try self.core.compile(into: &builder) }

    public var kind: StatementKind { self.core.lock == nil ? .read : .lockingRead }

    public func decode(_ row: Row) throws -> Output { try self.decoder(row) }

    func with(_ change: (inout SelectCore) -> Void) -> Select {
        var copy = self
        change(&copy.core)
        return copy
    }

    /// Adds a `WHERE` condition (joined with `AND` to earlier ones).
    public func `where`(_ predicate: SQLExpression<Bool>) -> Select {
        self.with { $0.addPredicate(predicate.sqlNode) }
    }

    /// Keeps the rows of a soft-deleted table (``ColumnOption/softDelete``) whose delete time is
    /// set, which a select leaves out by default.
    ///
    /// ```swift
    /// let everyNote = try await engine.all(select(Note.self).includingDeleted())
    /// ```
    public func includingDeleted() -> Select { self.with { $0.hidesDeleted = nil } }

    /// Only the soft-deleted rows (``ColumnOption/softDelete``): a trash view.
    ///
    /// ```swift
    /// let trash = try await engine.all(select(Note.self).onlyDeleted())
    /// ```
    public func onlyDeleted() -> Select {
        self.with { core in
            guard case .isNull(let column, _) = core.hidesDeleted else { return }
            core.hidesDeleted = .isNull(column, negated: true)
        }
    }

    /// `SELECT DISTINCT`.
    public func distinct() -> Select { self.with { $0.isDistinct = true } }

    /// `SELECT DISTINCT ON (expressions)` (PostgreSQL): the first row of each group, by the
    /// `ORDER BY` that starts with the same expressions. SQLite has no `DISTINCT ON`: compiling
    /// for it throws `CompileError.unsupportedByDialect`.
    ///
    /// ```swift
    /// // Each customer's latest invoice.
    /// select(Invoice.self).distinct(on: Invoice.Columns.customerId)
    ///     .orderBy(Invoice.Columns.customerId.asc, Invoice.Columns.invoiceDate.desc)
    /// ```
    public func distinct(on expressions: any SQLExpressible...) -> Select {
        self.with { $0.distinctOn += expressions.map(\.sqlNode) }
    }

    /// `JOIN table ON condition`.
    public func join<T: Table>(_ table: T.Type, on condition: some SQLExpressible<Bool>) -> Select {
        self.joining(.inner, T.self, on: condition)
    }

    /// `LEFT JOIN table ON condition`.
    public func leftJoin<T: Table>(_ table: T.Type, on condition: some SQLExpressible<Bool>) -> Select {
        self.joining(.left, T.self, on: condition)
    }

    /// `RIGHT JOIN table ON condition`: every row of `table`, with this query's rows where the
    /// condition matches (`NULL`s elsewhere).
    public func rightJoin<T: Table>(_ table: T.Type, on condition: some SQLExpressible<Bool>) -> Select {
        self.joining(.right, T.self, on: condition)
    }

    /// `FULL JOIN table ON condition`: every row of both sides, matched where the condition holds.
    ///
    /// ```swift
    /// select(User.Columns.name, Post.Columns.title, from: User.self)
    ///     .fullJoin(Post.self, on: Post.Columns.userId == User.Columns.id)
    /// ```
    public func fullJoin<T: Table>(_ table: T.Type, on condition: some SQLExpressible<Bool>) -> Select {
        self.joining(.full, T.self, on: condition)
    }

    /// `CROSS JOIN table`: every row of this query with every row of `table` (a grid of two
    /// dimensions, before a `LEFT JOIN` of the facts that fill it).
    ///
    /// ```swift
    /// select(Genre.Columns.name, MediaType.Columns.name, from: Genre.self).crossJoin(MediaType.self)
    /// ```
    public func crossJoin<T: Table>(_ table: T.Type) -> Select {
        self.joining(.cross, T.self, on: nil)
    }

    func joining<T: Table>(
        _ kind: SelectCore.Join.Kind,
        _ table: T.Type,
        alias: String? = nil,
        on condition: (any SQLExpressible<Bool>)?
    ) -> Select {
        self.with {
            $0.joins.append(
                .init(
                    kind: kind,
                    table: T.schema.name,
                    schema: T.schema.schemaName,
                    alias: alias,
                    on: condition?.sqlNode
                )
            )
            $0.sensitiveColumns.formUnion(T.schema.sensitiveColumnNames)
        }
    }

    /// `JOIN (query) AS table ON condition`: joins the rows of a subquery (a derived table), such
    /// as a grouped one. `T` is a `@Table` struct naming the subquery's columns, in order (as for
    /// `from(_:)`), so the condition and the select list use typed columns.
    ///
    /// ```swift
    /// @Table("spend") struct Spend { var customerId: Int32; var total: Decimal? }
    /// let perCustomer = select(Invoice.Columns.customerId, sum(Invoice.Columns.total), from: Invoice.self)
    ///     .groupBy(Invoice.Columns.customerId)
    /// select(Customer.Columns.lastName, Spend.Columns.total, from: Customer.self)
    ///     .join(Spend.self, as: perCustomer, on: Spend.Columns.customerId == Customer.Columns.customerId)
    /// ```
    public func join<T: Table, F, O>(
        _ table: T.Type,
        as query: Select<F, O>,
        on condition: some SQLExpressible<Bool>
    ) -> Select {
        self.joining(.inner, T.self, query: query, on: condition.sqlNode)
    }

    /// `LEFT JOIN (query) AS table ON condition`: every row so far, with the subquery's rows
    /// where the condition matches (`NULL`s elsewhere). See ``join(_:as:on:)``.
    public func leftJoin<T: Table, F, O>(
        _ table: T.Type,
        as query: Select<F, O>,
        on condition: some SQLExpressible<Bool>
    ) -> Select {
        self.joining(.left, T.self, query: query, on: condition.sqlNode)
    }

    /// `CROSS JOIN LATERAL (query) AS table` (PostgreSQL): `query` runs for each row so far and
    /// may use its columns — each customer's three latest invoices; rows for which it returns
    /// nothing are left out (``leftJoinLateral(_:as:)`` keeps them). SQLite has no `LATERAL`:
    /// compiling for it throws `CompileError.unsupportedByDialect`.
    ///
    /// ```swift
    /// @Table("recent") struct Recent { var invoiceId: Int32; var total: Decimal }
    /// let latest = select(Invoice.Columns.invoiceId, Invoice.Columns.total, from: Invoice.self)
    ///     .where(Invoice.Columns.customerId == Customer.Columns.customerId)
    ///     .orderBy(Invoice.Columns.invoiceDate.desc)
    ///     .limit(3)
    /// select(Customer.Columns.lastName, Recent.Columns.total, from: Customer.self)
    ///     .joinLateral(Recent.self, as: latest)
    /// ```
    public func joinLateral<T: Table, F, O>(_ table: T.Type, as query: Select<F, O>) -> Select {
        self.joining(.cross, T.self, query: query, lateral: true, on: nil)
    }

    /// `LEFT JOIN LATERAL (query) AS table ON TRUE` (PostgreSQL): as ``joinLateral(_:as:)``, and
    /// a row for which `query` returns nothing stays, with `NULL`s for the subquery's columns.
    public func leftJoinLateral<T: Table, F, O>(_ table: T.Type, as query: Select<F, O>) -> Select {
        self.joining(.left, T.self, query: query, lateral: true, on: .unsafeRaw("TRUE"))
    }

    private func joining<T: Table, F, O>(
        _ kind: SelectCore.Join.Kind,
        _ table: T.Type,
        query: Select<F, O>,
        lateral: Bool = false,
        on condition: SQLNode?
    ) -> Select {
        self.with {
            $0.joins.append(
                .init(
                    kind: kind,
                    table: T.schema.name,
                    alias: nil,
                    on: condition,
                    query: query.core.derivedTable(of: T.self),
                    isLateral: lateral
                )
            )
            $0.sensitiveColumns.formUnion(query.core.sensitiveColumns)
        }
    }

    /// `GROUP BY …`
    public func groupBy(_ expressions: any SQLExpressible...) -> Select {
        self.with { $0.groupBy += expressions.map(\.sqlNode) }
    }

    /// `GROUP BY ROLLUP (…)` (PostgreSQL; SQLite refuses it with `unsupportedByDialect`): the
    /// groups, a subtotal for each prefix of the list (the later columns `NULL`), and a grand total.
    ///
    /// ```swift
    /// select(Invoice.Columns.billingCountry.nullable, sum(Invoice.Columns.total), from: Invoice.self)
    ///     .groupBy(rollup: Invoice.Columns.billingCountry)
    /// ```
    public func groupBy(rollup expressions: any SQLExpressible...) -> Select {
        self.with {
            $0.groupBy += expressions.map(\.sqlNode)
            $0.groupsByRollup = true
        }
    }

    /// `HAVING condition`
    public func having(_ condition: SQLExpression<Bool>) -> Select {
        self.with { core in core.having = core.having.map { .binary($0, .and, condition.sqlNode) } ?? condition.sqlNode
        }
    }

    /// `ORDER BY …` (appends to earlier orderings).
    public func orderBy(_ orderings: Ordering...) -> Select { self.with { $0.orderBy += orderings } }

    /// `ORDER BY …` with a list built at run time.
    public func orderBy(_ orderings: [Ordering]) -> Select { self.with { $0.orderBy += orderings } }

    /// Adds a `WHERE` condition written with key paths of any table of the statement, a joined
    /// one too (the key path names its table):
    ///
    /// ```swift
    /// select(Post.Columns.title, from: Post.self)
    ///     .join(User.self, on: \User.id == \Post.userId)
    ///     .where(\User.name == "Ada")
    /// ```
    public func `where`<R: Table>(_ predicate: TablePredicate<R>) -> Select { self.where(predicate.expression) }

    /// `ORDER BY column ASC` by the key path of any table of the statement.
    public func orderBy<R: Table, V>(_ keyPath: KeyPath<R, V>) -> Select { self.orderBy(R.column(keyPath).asc) }

    /// `ORDER BY column DESC` by the key path of any table of the statement.
    public func orderBy<R: Table, V>(descending keyPath: KeyPath<R, V>) -> Select {
        self.orderBy(R.column(keyPath).desc)
    }

    /// `LIMIT n` (bound).
    public func limit(_ n: Int) -> Select { self.with { $0.limit = n } }

    /// `OFFSET n` (bound).
    public func offset(_ n: Int) -> Select { self.with { $0.offset = n } }
}

extension Select where From: Table {
    /// Adds a `WHERE` condition written with key paths of the selected table.
    public func `where`(_ predicate: TablePredicate<From>) -> Select {
        self.where(predicate.expression)
    }

    /// `ORDER BY column ASC` by key path.
    public func orderBy<V>(_ keyPath: KeyPath<From, V>) -> Select {
        self.orderBy(From.column(keyPath).asc)
    }

    /// `ORDER BY column DESC` by key path.
    public func orderBy<V>(descending keyPath: KeyPath<From, V>) -> Select {
        self.orderBy(From.column(keyPath).desc)
    }
}

/// `SELECT` every column of `table`, decoding rows into the model.
///
/// ```swift
/// let user = try await engine.oneOrNone(select(User.self).where(\.id == 42))
/// ```
public func select<T: Table>(_ table: T.Type) -> Select<T, T> {
    let name = T.schema.name
    let columns = T.schema.columns.map { $0.selected(from: name) }
    return Select(core: SelectCore(columns: columns, from: T.schema)) { try T(row: $0) }
}

/// `SELECT expression FROM table`, decoding the first column.
///
/// ```swift
/// let n = try await engine.scalar(select(count(), from: Post.self))
/// ```
public func select<E: SQLExpressible, T: Table>(_ expression: E, from table: T.Type) -> Select<T, E.Value>
where E.Value: DatabaseValueConvertible {
    Select(core: SelectCore(columns: [expression.sqlNode], from: T.schema)) { try $0.decode(E.Value.self, at: 0) }
}

/// `SELECT expression` with no table.
public func select<E: SQLExpressible>(_ expression: E) -> Select<Never, E.Value>
where E.Value: DatabaseValueConvertible {
    Select(core: SelectCore(columns: [expression.sqlNode], from: nil)) { try $0.decode(E.Value.self, at: 0) }
}

/// `SELECT e1, e2, … FROM table`, decoding each row into a tuple.
///
/// ```swift
/// let rows = try await engine.all(select(User.Columns.id, User.Columns.name, from: User.self))
/// for (id, name) in rows { … }
/// ```
public func select<each E: SQLExpressible, T: Table>(
    _ expressions: repeat each E,
    from table: T.Type
) -> Select<T, (repeat (each E).Value)> where repeat (each E).Value: DatabaseValueConvertible {
    var nodes: [SQLNode] = []
    for expression in repeat each expressions { nodes.append(expression.sqlNode) }
    return Select(core: SelectCore(columns: nodes, from: T.schema), decoder: tupleDecoder(repeat (each E).Value.self))
}

/// `SELECT e1, e2, …` with no table: values computed by the database, or the row an
/// `INSERT … SELECT` writes.
///
/// ```swift
/// let (now, today) = try await engine.one(select(now(), today()))
/// ```
public func select<each E: SQLExpressible>(_ expressions: repeat each E) -> Select<Never, (repeat (each E).Value)>
where repeat (each E).Value: DatabaseValueConvertible {
    var nodes: [SQLNode] = []
    for expression in repeat each expressions { nodes.append(expression.sqlNode) }
    return Select(core: SelectCore(columns: nodes, from: nil), decoder: tupleDecoder(repeat (each E).Value.self))
}

/// Reads a row's columns, in order, into a tuple of `types`.
private func tupleDecoder<each V: DatabaseValueConvertible>(
    _ types: repeat (each V).Type
) -> @Sendable (Row) throws -> (repeat each V) {
    { row in
        var index = 0
        func next<W: DatabaseValueConvertible>(_ type: W.Type) throws -> W {
            defer { index += 1 }
            return try row.decode(W.self, at: index)
        }
        return (repeat try next((each V).self))
    }
}

extension Select {
    /// Appends every column of `table` to the select list (for a joined table) and decodes rows
    /// into `combine(base, tail)`: `base` is this select's own output, `tail` a row holding only the
    /// appended columns, in `table`'s schema order. `alias` names the table when it was joined
    /// under one. Relations (`including(required:)`) build on it.
    ///
    /// ```swift
    /// let pairs = select(Post.self)
    ///     .join(User.self, on: User.Columns.id == Post.Columns.userId)
    ///     .appendingColumns(of: User.self) { post, tail in (post, try User(row: tail)) }
    /// ```
    public func appendingColumns<T: Table, NewOutput: Sendable>(
        of table: T.Type,
        alias: String? = nil,
        _ combine: @escaping @Sendable (Output, Row) throws -> NewOutput
    ) -> Select<From, NewOutput> {
        var core = self.core
        let offset = core.columns.count
        core.columns += T.schema.columns.map { $0.selected(from: alias ?? T.schema.name) }
        let base = self.decoder
        let names = ColumnNames(T.schema.columns.map(\.name))
        return Select<From, NewOutput>(core: core) { row in
            let tail = Row(
                values: Array(row.values[offset..<min(row.values.count, offset + T.schema.columns.count)]),
                columns: names
            )
            return try combine(base(row), tail)
        }
    }
}

extension Select {
    /// Selects one more expression after this select's columns, decoded beside its output:
    /// `select(User.self).appending(postCount)` gives `(User, Int64)` rows.
    ///
    /// ```swift
    /// let posts = select(count(), from: Post.self).where(Post.Columns.userId == User.Columns.id)
    /// let rows = try await engine.all(select(User.self).appending(posts.asScalar()))
    /// ```
    public func appending<E: SQLExpressible>(_ expression: E) -> Select<From, (Output, E.Value)>
    where E.Value: DatabaseValueConvertible {
        var core = self.core
        let offset = core.columns.count
        core.columns.append(expression.sqlNode)
        let base = self.decoder
        return Select<From, (Output, E.Value)>(core: core) { row in
            (try base(row), try row.decode(E.Value.self, at: offset))
        }
    }

    /// `self UNION other`: the rows of both, duplicates removed. Order and limit the whole with
    /// `orderBy`/`limit` after the last member (they name result columns).
    ///
    /// ```swift
    /// let cities = select(Customer.Columns.city, from: Customer.self)
    ///     .union(select(Employee.Columns.city, from: Employee.self))
    ///     .orderBy(Customer.Columns.city.asc)
    /// ```
    public func union<F>(_ other: Select<F, Output>) -> Select { self.compound(.union, other.core) }

    /// `self UNION ALL other`: the rows of both, duplicates kept.
    public func unionAll<F>(_ other: Select<F, Output>) -> Select { self.compound(.unionAll, other.core) }

    /// `self INTERSECT other`: the rows in both.
    public func intersect<F>(_ other: Select<F, Output>) -> Select { self.compound(.intersect, other.core) }

    /// `self EXCEPT other`: the rows of this one not in `other`.
    public func except<F>(_ other: Select<F, Output>) -> Select { self.compound(.except, other.core) }

    private func compound(_ op: SelectCore.CompoundOperator, _ member: SelectCore) -> Select {
        var copy = self
        copy.core.compound.append((op, member))
        copy.core.sensitiveColumns.formUnion(member.sensitiveColumns)
        return copy
    }

    /// `WITH name (columns) AS (query) SELECT …`: a common table expression. `table` is a
    /// `@Table` struct that names the rows `query` produces, column for column, so the rest of the
    /// statement (and a recursive `query` itself) refers to them with typed columns. A recursive
    /// query is `base.unionAll(step)`, where `step` selects from `table`.
    ///
    /// ```swift
    /// @Table("chain") struct Chain { var employeeId: Int32; var depth: Int64 }
    /// let top = select(Employee.Columns.employeeId, value(Int64(0)), from: Employee.self).where(Employee.Columns.reportsTo.isNull)
    /// let step = select(Employee.Columns.employeeId, Chain.Columns.depth + 1, from: Employee.self)
    ///     .join(Chain.self, on: Employee.Columns.reportsTo == Chain.Columns.employeeId)
    /// let levels = select(Chain.self).with(Chain.self, recursive: true, as: top.unionAll(step))
    /// ```
    public func with<C: Table, F, O>(_ table: C.Type, recursive: Bool = false, as query: Select<F, O>) -> Select {
        var copy = self
        copy.core.commonTables.append(
            SelectCore.CommonTable(
                name: C.schema.name,
                columns: C.schema.columns.map(\.name),
                query: query.core,
                isRecursive: recursive
            )
        )
        copy.core.sensitiveColumns.formUnion(query.core.sensitiveColumns)
        return copy
    }

    /// `(SELECT …)` as a value in another query: a scalar subquery (one column, at most one row).
    ///
    /// ```swift
    /// let average = select(avg(Track.Columns.milliseconds), from: Track.self)
    /// select(Track.self).where(cast(Track.Columns.milliseconds, as: Double.self) > average.asScalar())
    /// ```
    public func asScalar() -> SQLExpression<Output> { SQLExpression(.subquery(self.core)) }
}

extension Select where From: Table {
    /// `FROM (query) AS table`: reads this query's rows from a subquery (a derived table) instead
    /// of the stored table `From`. `From` is a `@Table` struct naming the subquery's columns, in
    /// order, so the outer query refers to them with typed columns.
    ///
    /// ```swift
    /// @Table("spend") struct Spend { var customerId: Int32; var total: Decimal? }
    /// let perCustomer = select(Invoice.Columns.customerId, sum(Invoice.Columns.total), from: Invoice.self)
    ///     .groupBy(Invoice.Columns.customerId)
    /// let big = select(Spend.self).from(perCustomer).where(Spend.Columns.total > Decimal(40))
    /// ```
    public func from<F, O>(_ query: Select<F, O>) -> Select {
        self.with {
            $0.fromQuery = query.core.derivedTable(of: From.self)
            $0.from = From.schema.name
            $0.fromSchema = nil
            $0.sensitiveColumns.formUnion(query.core.sensitiveColumns)
        }
    }
}
