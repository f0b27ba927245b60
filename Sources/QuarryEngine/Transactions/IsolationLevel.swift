/// A transaction isolation level. SQLite transactions are always serializable; the level is
/// honoured on PostgreSQL.
///
/// ```swift
/// try await engine.withTransaction(isolation: .serializable) { tx in … }
/// ```
public struct IsolationLevel: Sendable, Hashable, CustomStringConvertible {
    let sql: String
    /// `READ COMMITTED` (PostgreSQL's default).
    public static let readCommitted = IsolationLevel(sql: "READ COMMITTED")
    /// `REPEATABLE READ`: one snapshot for the whole transaction.
    public static let repeatableRead = IsolationLevel(sql: "REPEATABLE READ")
    /// `SERIALIZABLE`: may fail with `serializationFailure`; retry it.
    public static let serializable = IsolationLevel(sql: "SERIALIZABLE")
    public var description: String { self.sql }
}
