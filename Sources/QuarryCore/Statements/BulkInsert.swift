import Foundation

/// Many rows of one table written as fast as the database takes them: PostgreSQL's
/// `COPY … FROM STDIN` (one round trip, no per-row statement), SQLite's multi-row `INSERT`s under
/// its bind limit — in one transaction on both, so all rows are written or none. Nothing is read
/// back (use `insert(_:).returning()` for generated keys); auto-increment keys left `nil` are
/// assigned by the database.
///
/// ```swift
/// let posts = (1...100_000).map { Post(userId: 1, title: "post \($0)", body: "") }
/// let written = try await engine.execute(bulkInsert(posts))   // 100000
/// ```
public struct BulkInsert<T: Table>: Statement {
    let rows: [T]

    public var kind: StatementKind { .write }

    /// Without a dialect-specific plan: the plain multi-row `INSERT`.
    public func compile(into builder: inout SQLBuilder) throws {
        try Insert(rows: self.rows).compile(into: &builder)
    }

    /// PostgreSQL: one `COPY` carrying every row. SQLite: multi-row inserts under the bind limit.
    public func compiledChunks(for dialect: Dialect) throws -> [CompiledStatement]? {
        let insert = Insert(rows: self.rows)
        guard dialect == .postgresql else {
            return try insert.compiledChunks(for: dialect) ?? [insert.compile(for: dialect)]
        }
        guard !self.rows.isEmpty else {
            throw CompileError(.emptyStatement, "COPY into \(T.schema.name) has no rows")
        }
        let schema = T.schema
        let valueRows = self.rows.map(\.databaseValues)
        let included = Insert<T>.includedColumns(valueRows)
        if valueRows.contains(where: { $0.contains(where: \.isUnstorable) }) { throw CompileError.nanDecimal }
        let columns = included.map { schema.columns[$0].name }
        var builder = SQLBuilder(dialect: dialect)
        builder.append("COPY ")
        builder.appendTable(schema.name, schema: schema.schemaName)
        builder.append(" (")
        builder.appendList(columns) { $0.appendIdentifier($1) }
        builder.append(") FROM STDIN")
        var compiled = builder.finish()
        compiled.kind = .write
        compiled.bulkCopy = BulkCopy(
            table: schema.name,
            schema: schema.schemaName,
            columns: columns,
            rows: valueRows.map { row in included.map { row[$0] } }
        )
        return [compiled]
    }
}

/// Writes `rows` with `COPY` on PostgreSQL and chunked multi-row inserts on SQLite, in one
/// transaction; see ``BulkInsert``.
///
/// ```swift
/// try await engine.execute(bulkInsert(posts))
/// ```
public func bulkInsert<T: Table>(_ rows: [T]) -> BulkInsert<T> { BulkInsert(rows: rows) }

/// The rows of a `COPY … FROM STDIN`, for drivers that stream them (PostgreSQL).
public struct BulkCopy: Sendable, Hashable {
    /// The table.
    public var table: String
    /// Its schema, when qualified.
    public var schema: String?
    /// The columns written, in order.
    public var columns: [String]
    /// One list of values per row, in ``columns`` order.
    public var rows: [[DatabaseValue]]

    /// Describes the rows of a `COPY` into `table`.
    public init(table: String, schema: String? = nil, columns: [String], rows: [[DatabaseValue]]) {
        self.table = table
        self.schema = schema
        self.columns = columns
        self.rows = rows
    }

    /// The rows in `COPY`'s text format: tab-separated PostgreSQL text forms, `\N` for `NULL`,
    /// backslash, tab, newline and carriage return escaped — appended to `out` row by row.
    ///
    /// ```swift
    /// var text = ""
    /// BulkCopy(table: "t", columns: ["a"], rows: [[.text("x\ty")], [.null]]).appendText(rows: 0..<2, to: &text)
    /// // "x\\ty\n\\N\n"
    /// ```
    public func appendText(rows range: Range<Int>, to out: inout String) {
        for row in self.rows[range] {
            for (i, value) in row.enumerated() {
                if i > 0 { out += "\t" }
                if value.isNull {
                    out += "\\N"
                    continue
                }
                for character in ArrayText.text(of: value).unicodeScalars {
                    switch character {
                    case "\\": out += "\\\\"
                    case "\t": out += "\\t"
                    case "\n": out += "\\n"
                    case "\r": out += "\\r"
                    default: out.unicodeScalars.append(character)
                    }
                }
            }
            out += "\n"
        }
    }
}
