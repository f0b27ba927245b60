import PostgresNIO
import QuarryCore
@_spi(Locking) import QuarryEngine

/// Server-side prepared statements for reads: each distinct statement shape (SQL text plus the
/// type of every bind) gets a name the first time it runs, and PostgresNIO prepares that name once
/// per connection (`Parse`/`Describe`), then sends only `Bind`/`Execute`. PostgreSQL skips parsing
/// and planning a statement it has seen (measured in docs/benchmarks.md).
///
/// The cache holds at most `capacity` shapes; later shapes run unnamed, as they would with the
/// cache off. PostgresNIO never deallocates a prepared statement, so the bound also caps what each
/// server connection keeps. `?prepared_statement_cache_size=0` turns the cache off; it is always
/// off behind PgBouncer (`?pgbouncer=true`), whose transaction pooling moves clients between
/// server connections.
///
/// ```swift
/// let cache = PreparedStatementCache(capacity: 256)
/// cache.entry(for: try select(User.self).where(\.id == 1).compile(for: .postgresql))?.name   // "quarry_1"
/// ```
final class PreparedStatementCache: Sendable {
    /// One prepared shape: its name, and its result's column names once a result was read (the
    /// same for every execution, so rows share one list instead of building it per result).
    final class Entry: Sendable {
        let name: String
        let columns = Locked<ColumnNames?>(nil)
        init(name: String) { self.name = name }
    }

    /// A statement shape: the SQL and the PostgreSQL type each bind is sent as.
    private struct Shape: Hashable {
        let sql: String
        let bindTypes: [PostgresDataType]
    }

    let capacity: Int
    private let entries: Locked<[Shape: Entry]> = Locked([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The prepared statement for `statement`'s shape, or `nil` when the cache is full.
    func entry(for statement: CompiledStatement) -> Entry? {
        let shape = Shape(sql: statement.sql, bindTypes: statement.binds.map { PostgresBind(value: $0).psqlType })
        return self.entries.withLockedValue { entries in
            if let entry = entries[shape] { return entry }
            guard entries.count < self.capacity else { return nil }
            let entry = Entry(name: "quarry_\(entries.count + 1)")
            entries[shape] = entry
            return entry
        }
    }
}

/// Adapts a statement known only at run time to PostgresNIO's `PostgresPreparedStatement`, whose
/// name and SQL are static requirements.
///
/// The static requirements read ``shape``, a task-local bound around the call to
/// `PostgresConnection.execute(_:logger:)`. That is safe because `execute` reads `name`, `sql` and
/// `bindingDataTypes` synchronously, in the calling task, before it writes the request to the
/// channel (PostgresNIO 1.33, `PostgresConnection.execute`). If a later PostgresNIO read them
/// elsewhere, the fallback statement below would fail every prepared read at once, in every test;
/// it could never run another statement's SQL.
struct RuntimePreparedStatement: PostgresPreparedStatement {
    /// The name and SQL of the statement being executed.
    struct Shape: Sendable {
        let name: String
        let sql: String
    }

    @TaskLocal static var shape: Shape?

    static var name: String { Self.shape?.name ?? "quarry_unbound" }
    static var sql: String { Self.shape?.sql ?? "SELECT quarry_prepared_statement_read_outside_its_task()" }

    typealias Row = PostgresRow

    let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { self.bindings }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}
