import Foundation
public import QuarryCore

/// A parsed database URL, in SQLAlchemy's spelling.
///
/// ```swift
/// let url = try DatabaseURL("postgresql://app:secret@127.0.0.1:5432/app?sslmode=require")
/// url.description   // "postgresql://app:***@127.0.0.1:5432/app?sslmode=require"
/// let file = try DatabaseURL("sqlite:///var/data/posts.db")
/// ```
///
/// Accepted: `postgresql://`, `postgres://`, `postgresql+asyncpg://`, `sqlite://relative.db`,
/// `sqlite:///absolute/path.db`, `sqlite::memory:` (and `sqlite+aiosqlite://…`). Synchronous
/// drivers (`postgresql+psycopg2://`, `mysql+pymysql://`) are refused with an error that names the
/// async drivers Quarry supports.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// Which backend the URL names.
    public enum Backend: String, Sendable, Hashable {
        /// PostgreSQL through PostgresNIO.
        case postgresql
        /// SQLite through SQLiteNIO.
        case sqlite
    }

    /// A PostgreSQL host and port.
    public struct Host: Sendable, Hashable {
        /// The host name or address.
        public var name: String
        /// The TCP port.
        public var port: Int
    }

    /// The backend.
    public var backend: Backend
    /// PostgreSQL: the user name.
    public var username: String?
    /// PostgreSQL: the password. Never printed: ``description`` masks it.
    public var password: String?
    /// PostgreSQL: one host, or several for failover (`h1:p1,h2:p2`).
    public var hosts: [Host]
    /// PostgreSQL: the database name.
    public var database: String?
    /// SQLite: the file path, or `nil` for an in-memory database.
    public var path: String?
    /// The query parameters (`sslmode`, `sslrootcert`, `target_session_attrs`, …).
    public var query: [String: String]

    /// The SQL dialect of the backend.
    public var dialect: Dialect { self.backend == .postgresql ? .postgresql : .sqlite }

    /// The async drivers Quarry supports, as named in refusals.
    public static let supportedSchemes =
        "postgresql:// (also postgres://, postgresql+asyncpg://) through PostgresNIO, and sqlite:// (also sqlite+aiosqlite://) through SQLiteNIO"

    /// Parses `string`.
    /// - Parameter string: A database URL.
    /// - Throws: `DatabaseError` with code `syncDriverRefused` for a synchronous driver, or
    ///   `unsupportedURL` for an unknown scheme or a malformed URL. The message never contains the
    ///   password.
    public init(_ string: String) throws {
        guard let schemeEnd = string.range(of: ":") else {
            throw DatabaseError(
                .unsupportedURL,
                message: "Not a database URL (no scheme); Quarry supports \(Self.supportedSchemes)"
            )
        }
        let scheme = string[..<schemeEnd.lowerBound].lowercased()
        let (base, driver) = Self.split(scheme: scheme)
        switch (base, driver) {
        case ("sqlite", nil), ("sqlite", "aiosqlite"):
            try self.init(sqlite: String(string[schemeEnd.upperBound...]))
        case ("postgresql", nil), ("postgres", nil), ("postgresql", "asyncpg"), ("postgres", "asyncpg"):
            try self.init(postgres: string, schemeLength: scheme.count)
        case ("postgresql", .some(let d)), ("postgres", .some(let d)), ("mysql", .some(let d)),
            ("sqlite", .some(let d)),
            ("mariadb", .some(let d)), ("mssql", .some(let d)), ("oracle", .some(let d)):
            throw DatabaseError(
                .syncDriverRefused,
                message:
                    "The driver '\(d)' in '\(scheme)://' is not an async driver, and Quarry never blocks on the database; use \(Self.supportedSchemes)"
            )
        default:
            throw DatabaseError(
                .unsupportedURL,
                message: "Unsupported database URL scheme '\(scheme)'; Quarry supports \(Self.supportedSchemes)"
            )
        }
    }

    /// An SQLite database in the file at `path`.
    public static func sqlite(path: String) -> DatabaseURL {
        DatabaseURL(backend: .sqlite, username: nil, password: nil, hosts: [], database: nil, path: path, query: [:])
    }

    /// An in-memory SQLite database (one connection; gone when the engine shuts down).
    public static let sqliteMemory = DatabaseURL(
        backend: .sqlite,
        username: nil,
        password: nil,
        hosts: [],
        database: nil,
        path: nil,
        query: [:]
    )

    init(
        backend: Backend,
        username: String?,
        password: String?,
        hosts: [Host],
        database: String?,
        path: String?,
        query: [String: String]
    ) {
        self.backend = backend
        self.username = username
        self.password = password
        self.hosts = hosts
        self.database = database
        self.path = path
        self.query = query
    }

    private static func split(scheme: String) -> (String, String?) {
        guard let plus = scheme.firstIndex(of: "+") else { return (scheme, nil) }
        return (String(scheme[..<plus]), String(scheme[scheme.index(after: plus)...]))
    }

    private init(sqlite rest: String) throws {
        self.backend = .sqlite
        self.username = nil
        self.password = nil
        self.hosts = []
        self.database = nil
        var rest = rest
        var query: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            query = Self.parseQuery(String(rest[rest.index(after: q)...]))
            rest = String(rest[..<q])
        }
        self.query = query
        if rest == ":memory:" || rest == "//:memory:" || rest == "///:memory:" || rest == "//" || rest.isEmpty {
            self.path = nil
        } else if rest.hasPrefix("///") {
            self.path = String(rest.dropFirst(2))  // keep the leading "/"
        } else if rest.hasPrefix("//") {
            self.path = String(rest.dropFirst(2))
        } else {
            throw DatabaseError(
                .unsupportedURL,
                message: "An SQLite URL is sqlite://relative.db, sqlite:///absolute/path.db or sqlite::memory:"
            )
        }
    }

    private init(postgres string: String, schemeLength: Int) throws {
        self.backend = .postgresql
        self.path = nil
        var rest = Substring(string.dropFirst(schemeLength + 1))
        guard rest.hasPrefix("//") else {
            throw DatabaseError(
                .unsupportedURL,
                message: "A PostgreSQL URL is postgresql://user:password@host:port/database"
            )
        }
        rest = rest.dropFirst(2)
        var query: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            query = Self.parseQuery(String(rest[rest.index(after: q)...]))
            rest = rest[..<q]
        }
        self.query = query
        var database: String?
        if let slash = rest.firstIndex(of: "/") {
            database = String(rest[rest.index(after: slash)...]).removingPercentEncoding
            rest = rest[..<slash]
        }
        self.database = database?.isEmpty == true ? nil : database
        var hostPart = rest
        self.username = nil
        self.password = nil
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            hostPart = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                self.username = String(userInfo[..<colon]).removingPercentEncoding
                self.password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding
            } else {
                self.username = String(userInfo).removingPercentEncoding
            }
        }
        var hosts: [Host] = []
        for item in hostPart.split(separator: ",") {
            if let colon = item.lastIndex(of: ":"), !item.hasSuffix("]") {
                guard let port = Int(item[item.index(after: colon)...]), (1...65535).contains(port) else {
                    throw DatabaseError(
                        .unsupportedURL,
                        message: "Invalid port in PostgreSQL URL host '\(item[..<colon])'"
                    )
                }
                hosts.append(Host(name: String(item[..<colon]), port: port))
            } else {
                hosts.append(Host(name: String(item), port: 5432))
            }
        }
        if hosts.isEmpty { hosts = [Host(name: "localhost", port: 5432)] }
        self.hosts = hosts
        if let mode = query["sslmode"],
            !["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(mode)
        {
            throw DatabaseError(
                .unsupportedURL,
                message: "Unknown sslmode '\(mode)'; use disable, prefer, require, verify-ca or verify-full"
            )
        }
    }

    private static func parseQuery(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let key = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            result[key] = value
        }
        return result
    }

    /// The URL with its password replaced by `***`.
    public var description: String { self.rendered(maskingPassword: true) }

    /// The full URL, password included, for handing to another process (for example as
    /// `DATABASE_URL`). Never log it: log ``description``.
    public var connectionString: String { self.rendered(maskingPassword: false) }

    private func rendered(maskingPassword: Bool) -> String {
        switch self.backend {
        case .sqlite:
            return self.path.map { "sqlite://\($0)" } ?? "sqlite::memory:"
        case .postgresql:
            func encoded(_ text: String) -> String {
                text.addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))
                ) ?? text
            }
            var text = "postgresql://"
            if let username {
                text += encoded(username)
                if let password = self.password { text += ":" + (maskingPassword ? "***" : encoded(password)) }
                text += "@"
            }
            text += self.hosts.map { "\($0.name):\($0.port)" }.joined(separator: ",")
            if let database { text += "/\(database)" }
            if !self.query.isEmpty {
                text +=
                    "?"
                    + self.query.keys.sorted().map { "\(encoded($0))=\(encoded(self.query[$0]!))" }.joined(
                        separator: "&"
                    )
            }
            return text
        }
    }
}
