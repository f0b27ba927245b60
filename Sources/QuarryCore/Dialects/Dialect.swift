import Foundation

/// The SQL dialect a statement is rendered in. Wire I/O lives in the driver modules; everything
/// about the text of SQL lives here.
///
/// ```swift
/// try select(User.self).compile(for: .sqlite).sql
/// ```
public struct Dialect: Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable { case postgresql, sqlite }
    let kind: Kind

    /// PostgreSQL: `$1` placeholders, `ILIKE`, `JSONB`, identity columns.
    public static let postgresql = Dialect(kind: .postgresql)
    /// SQLite: `?` placeholders, `INTEGER PRIMARY KEY AUTOINCREMENT`.
    public static let sqlite = Dialect(kind: .sqlite)

    /// The dialect's name (`postgresql`, `sqlite`), as OpenTelemetry's `db.system.name`.
    public var name: String {
        switch self.kind {
        case .postgresql: "postgresql"
        case .sqlite: "sqlite"
        }
    }

    public var description: String { self.name }

    /// The most values one statement may bind.
    public var maximumBindCount: Int {
        switch self.kind {
        case .postgresql: 65_535
        case .sqlite: 32_766
        }
    }

    /// The placeholder for the `n`th bind (1-based).
    func placeholder(_ n: Int) -> String {
        switch self.kind {
        case .postgresql: "$\(n)"
        case .sqlite: "?"
        }
    }

    /// `name` quoted as an identifier, inner quotes doubled.
    func quote(_ name: String) -> String {
        var quoted = ""
        Self.appendQuoted(name, to: &quoted)
        return quoted
    }

    /// Appends `"name"` (inner quotes doubled) without Foundation: compiling a statement quotes
    /// every identifier, so this is on the hot path.
    static func appendQuoted(_ name: String, to sql: inout String) {
        sql.append("\"")
        if name.utf8.contains(UInt8(ascii: "\"")) {
            sql.append(name.replacing("\"", with: "\"\""))
        } else {
            sql.append(name)
        }
        sql.append("\"")
    }
}
