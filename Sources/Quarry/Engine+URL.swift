import Foundation
public import QuarryEngine
import QuarryPostgres
import QuarrySQLite

extension Engine {
    /// Creates an engine for `url`, picking the driver from its scheme (SQLAlchemy's
    /// `create_async_engine`).
    ///
    /// ```swift
    /// let engine = try Engine("sqlite://posts.db")
    /// let pg = try Engine("postgresql://app:secret@127.0.0.1:5432/app", configuration: .init(poolSize: 10, echo: true))
    /// ```
    /// - Parameters:
    ///   - url: `postgresql://…` (also `postgres://`, `postgresql+asyncpg://`), `sqlite://relative.db`,
    ///     `sqlite:///absolute.db` or `sqlite::memory:`; `?statement_timeout=15s` sets
    ///     `EngineConfiguration.statementTimeout` on either backend.
    ///   - configuration: Pool, timeouts and logging. The default is `EngineConfiguration()`, every setting at its default.
    /// - Throws: `DatabaseError` `syncDriverRefused` for a synchronous driver such as
    ///   `postgresql+psycopg2://`, `unsupportedURL` for an unknown scheme. No connection is opened yet.
    public convenience init(_ url: String, configuration: EngineConfiguration = .init()) throws {
        try self.init(url: DatabaseURL(url), configuration: configuration)
    }

    /// Creates an engine for the URL in the environment variable `variable`, or for
    /// `defaultURL` when it is unset or empty: the twelve-factor way to configure a service.
    ///
    /// ```swift
    /// let engine = try Engine(environment: "DATABASE_URL", default: "sqlite://app.db")
    /// ```
    /// - Parameters:
    ///   - variable: The environment variable to read, e.g. `DATABASE_URL`.
    ///   - defaultURL: The URL used when the variable is unset or empty.
    ///   - configuration: Pool, timeouts and logging.
    /// - Throws: `DatabaseError` `unsupportedURL` or `syncDriverRefused`, naming the
    ///   variable (the URL's password never appears).
    public convenience init(
        environment variable: String,
        default defaultURL: String,
        configuration: EngineConfiguration = .init()
    ) throws {
        let value = ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        do {
            try self.init(value ?? defaultURL, configuration: configuration)
        } catch var error as DatabaseError {
            if value != nil { error.message = "\(variable): \(error.message)" }
            throw error
        }
    }

    /// Creates an engine over a PostgreSQL primary and its read replicas: reads outside a
    /// transaction go to a healthy replica (round-robin); writes, transactions and
    /// `Engine.primary` go to the primary; a `Session` that has written reads from
    /// the primary afterwards.
    ///
    /// ```swift
    /// let engine = try Engine(primary: "postgresql://app@db1/app", replicas: ["postgresql://app@db2/app"])
    /// ```
    /// - Throws: `DatabaseError` `unsupportedURL` for a bad URL, or a replica that is
    ///   not PostgreSQL.
    public convenience init(primary: String, replicas: [String], configuration: EngineConfiguration = .init()) throws {
        let primaryURL = try DatabaseURL(primary)
        let configuration = try configuration.applying(primaryURL)
        let replicaDrivers: [(url: DatabaseURL, driver: any Driver)] = try replicas.map { text in
            let url = try DatabaseURL(text)
            guard url.backend == .postgresql, primaryURL.backend == .postgresql else {
                throw DatabaseError(
                    .unsupportedURL,
                    message: "Read replicas are supported for PostgreSQL only (\(url))"
                )
            }
            return (url, try PostgresDriver(url: url, configuration: configuration))
        }
        try self.init(
            url: primaryURL,
            driver: Self.driver(for: primaryURL, configuration: configuration),
            replicas: replicaDrivers,
            configuration: configuration
        )
    }

    package static func driver(for url: DatabaseURL, configuration: EngineConfiguration) throws -> any Driver {
        switch url.backend {
        case .postgresql: try PostgresDriver(url: url, configuration: configuration)
        case .sqlite: try SQLiteDriver(url: url, configuration: configuration)
        }
    }

    /// Creates an engine for a parsed URL.
    /// - Throws: `DatabaseError` `unsupportedURL` when TLS settings cannot be used.
    public convenience init(url: DatabaseURL, configuration: EngineConfiguration = .init()) throws {
        let configuration = try configuration.applying(url)
        self.init(
            url: url,
            driver: try Self.driver(for: url, configuration: configuration),
            configuration: configuration
        )
    }
}
