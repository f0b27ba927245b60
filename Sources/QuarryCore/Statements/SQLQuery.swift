/// Raw SQL whose rows decode into the first column's value: the typed form of ``SQL``.
/// Interpolations are bound, never spliced.
///
/// ```swift
/// let names = try await engine.all(SQLQuery<String>("SELECT name FROM users WHERE id > \(10)"))
/// let total = try await engine.scalar(SQLQuery<Int>("SELECT count(*) FROM users").readOnly())
/// ```
public struct SQLQuery<Value: DatabaseValueConvertible>: RowProducing {
    /// The statement.
    public let sql: SQL

    /// Wraps `sql`.
    public init(_ sql: SQL) { self.sql = sql }

    public func compile(into builder: inout SQLBuilder) throws { try self.sql.compile(into: &builder) }

    /// The raw SQL's kind: a write unless marked with ``SQL/readOnly()``.
    public var kind: StatementKind { self.sql.kind }

    /// The same query, marked as a read that changes nothing and locks nothing (see
    /// ``SQL/readOnly()``).
    public func readOnly() -> SQLQuery { SQLQuery(self.sql.readOnly()) }

    public func decode(_ row: Row) throws -> Value { try row.decode(Value.self, at: 0) }
}
