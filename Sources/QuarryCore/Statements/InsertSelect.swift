/// `INSERT INTO table (columns) SELECT …`: rows copied from a query, never through Swift.
///
/// ```swift
/// // Archive last year's invoices.
/// try await engine.execute(
///     insert(into: ArchivedInvoice.self, columns: \.invoiceId, \.total,
///            from: select(Invoice.Columns.invoiceId, Invoice.Columns.total, from: Invoice.self)
///                .where(Invoice.Columns.invoiceDate < cutoff))
/// )
/// ```
public struct InsertSelect<T: Table>: Statement {
    let columns: [String]
    let query: SelectCore
    let problem: String?

    public var kind: StatementKind { .write }

    public func compile(into builder: inout SQLBuilder) throws {
        if let problem = self.problem { throw CompileError(.unknownColumn, problem) }
        builder.append("INSERT INTO ")
        builder.appendTable(T.schema.name, schema: T.schema.schemaName)
        builder.append(" (")
        builder.appendList(self.columns) { $0.appendIdentifier($1) }
        builder.append(") ")
        try self.query.compile(into: &builder)
    }
}

/// `INSERT INTO table (columns) SELECT …`; the query's columns fill `columns` in order.
public func insert<T: Table, F, O>(
    into table: T.Type,
    columns keyPaths: PartialKeyPath<T>...,
    from query: Select<F, O>
) -> InsertSelect<T> {
    let names = keyPaths.map { T.columnName(for: $0) }
    let problem = zip(keyPaths, names).first { $0.1 == nil }.map { T.notAColumn($0.0) }
    return InsertSelect(columns: names.compactMap { $0 }, query: query.core, problem: problem)
}
