/// What a statement does, as the compiler knows it: how the engine routes it and how telemetry
/// names it. Routing never reads SQL text.
///
/// | Kind | Outside a transaction it runs on |
/// | --- | --- |
/// | ``read`` | any connection: a read replica, SQLite's read-only connections, or the primary |
/// | ``lockingRead`` | refused: row locks (`FOR UPDATE`) need a transaction on the primary |
/// | ``write`` | the primary |
/// | ``schema`` | the primary |
///
/// Raw ``SQL`` is a ``write`` unless marked with ``SQL/readOnly()``.
///
/// ```swift
/// try select(User.self).compile(for: .postgresql).kind            // .read
/// try update(User.self).set(\.name, to: "Ada").compile(for: .sqlite).kind   // .write
/// ```
public struct StatementKind: Sendable, Hashable, CustomStringConvertible {
    enum Base: String, Sendable, Hashable {
        case read, lockingRead, write, schema
    }
    let base: Base

    /// A query that changes nothing and takes no lock: may run on a replica or a read-only connection.
    public static let read = StatementKind(base: .read)
    /// A query that locks the rows it reads (`SELECT … FOR UPDATE`): runs only inside a transaction
    /// on the primary.
    public static let lockingRead = StatementKind(base: .lockingRead)
    /// `INSERT`, `UPDATE`, `DELETE`, and raw SQL not marked read-only.
    public static let write = StatementKind(base: .write)
    /// DDL: `CREATE`, `ALTER`, `DROP`.
    public static let schema = StatementKind(base: .schema)

    /// `true` for ``read``: the statement may run on any connection.
    public var isReadOnly: Bool { self.base == .read }

    public var description: String { self.base.rawValue }
}
