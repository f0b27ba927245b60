/// Anything that compiles to one SQL statement with bound values.
///
/// ```swift
/// let compiled = try select(User.self).where(\.id == 1).compile(for: .postgresql)
/// compiled.sql     // SELECT "users"."id", … FROM "users" WHERE "users"."id" = $1
/// compiled.binds   // [.integer(1)]
/// ```
public protocol Statement: Sendable {
    /// What the statement does, which decides where it may run (see ``StatementKind``). The
    /// default is ``StatementKind/write``.
    var kind: StatementKind { get }
    /// Appends this statement's SQL and binds to `builder`.
    /// - Throws: ``CompileError`` when the statement cannot be expressed.
    func compile(into builder: inout SQLBuilder) throws
    /// The statement compiled as several, each under `dialect`'s bind limit, for a statement that
    /// may bind more values than a dialect allows in one (a large multi-row `INSERT`); `nil` when
    /// one statement fits, which is the default. Executors run the parts in one transaction, so
    /// the whole applies or nothing does.
    /// - Throws: ``CompileError``.
    func compiledChunks(for dialect: Dialect) throws -> [CompiledStatement]?
}

extension Statement {
    /// Compiles the statement for `dialect`.
    /// - Parameter dialect: The SQL dialect to render.
    /// - Returns: The SQL text and the values to bind, in placeholder order.
    /// - Throws: ``CompileError`` when the statement cannot be expressed.
    public func compile(for dialect: Dialect) throws -> CompiledStatement {
        var builder = SQLBuilder(dialect: dialect)
        try self.compile(into: &builder)
        if builder.hasUnstorableValue { throw CompileError.nanDecimal }
        var compiled = builder.finish()
        compiled.kind = self.kind
        return compiled
    }

    /// A write, unless the statement says otherwise.
    public var kind: StatementKind { .write }
}

/// A statement that returns rows, each decoded into `Output`.
public protocol RowProducing<Output>: Statement {
    /// The Swift type of one row.
    associatedtype Output: Sendable
    /// Decodes one row.
    /// - Throws: ``DatabaseError`` (`typeMismatch`) when the row does not fit `Output`.
    func decode(_ row: Row) throws -> Output
}

/// SQL text and the values bound to its placeholders.
public struct CompiledStatement: Sendable, Hashable {
    /// The SQL text, with `$n` (PostgreSQL) or `?` (SQLite) placeholders.
    public var sql: String
    /// The values, in placeholder order.
    public var binds: [DatabaseValue]
    /// Positions in ``binds`` of values bound for ``ColumnOption/sensitive`` columns, which logs and
    /// error descriptions show as `<redacted>`.
    public var sensitiveBindIndexes: Set<Int> = []
    /// What the statement does, set by the statement that compiled it: the engine routes on it
    /// and never on the SQL text.
    public var kind: StatementKind
    /// Rows to stream with PostgreSQL's `COPY … FROM STDIN` instead of running ``sql`` (see
    /// ``bulkInsert(_:)``); `nil` for every ordinary statement.
    public var bulkCopy: BulkCopy? = nil

    /// Creates a compiled statement.
    public init(sql: String, binds: [DatabaseValue], kind: StatementKind = .write) {
        self.sql = sql
        self.binds = binds
        self.kind = kind
    }
}

extension CompiledStatement {
    /// The binds as logs may show them: sensitive ones replaced by `<redacted>`.
    ///
    /// ```swift
    /// var builder = SQLBuilder(dialect: .postgresql)
    /// builder.appendBind(.text("hunter2"), sensitive: true)
    /// builder.finish().bindsForLogs   // ["<redacted>"]
    /// ```
    public var bindsForLogs: [String] {
        self.binds.indices.map {
            self.sensitiveBindIndexes.contains($0) ? "<redacted>" : self.binds[$0].renderedForLogs
        }
    }

    /// The operation names ``operationName`` reports (besides `OTHER`).
    public static let operationNames = ["SELECT", "INSERT", "UPDATE", "DELETE"]

    /// The leading keyword, upper-cased — `SELECT`, `INSERT`, `UPDATE` or `DELETE` — or `OTHER`
    /// (transaction control, DDL, …): OpenTelemetry's `db.operation.name`, for spans, logs and
    /// metrics only. Nothing routes on it (routing uses ``kind``). Read without allocating: it is
    /// asked of every statement.
    public var operationName: String {
        let utf8 = self.sql.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex,
            utf8[index] == UInt8(ascii: " ") || utf8[index] == UInt8(ascii: "\n") || utf8[index] == UInt8(ascii: "(")
        {
            index = utf8.index(after: index)
        }
        let head = utf8[index...].prefix(6)
        for keyword in Self.operationNames
        where head.count == 6 && zip(head, keyword.utf8).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) {
            return keyword
        }
        return "OTHER"
    }

    /// `true` for a ``StatementKind/read``: a query that changes nothing and locks nothing, which
    /// may run on any connection outside a transaction.
    public var isReadOnly: Bool { self.kind.isReadOnly }
}

extension Statement {
    /// One statement fits: no parts.
    public func compiledChunks(for dialect: Dialect) throws -> [CompiledStatement]? { nil }
}
