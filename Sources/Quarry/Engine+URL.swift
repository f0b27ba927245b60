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
    ///     `sqlite:///absolute.db` or `sqlite::memory:`.
    ///   - configuration: Pool, timeouts and logging. The default is ``EngineConfiguration/init(poolSize:maxOverflow:poolTimeout:prePing:recycle:statementTimeout:echo:logger:)``.
    /// - Throws: ``QuarryCore/DatabaseError`` `syncDriverRefused` for a synchronous driver such as
    ///   `postgresql+psycopg2://`, `unsupportedURL` for an unknown scheme. No connection is opened yet.
    public convenience init(_ url: String, configuration: EngineConfiguration = .init()) throws {
        try self.init(url: DatabaseURL(url), configuration: configuration)
    }

    /// Creates an engine for a parsed URL.
    /// - Throws: ``QuarryCore/DatabaseError`` `unsupportedURL` when TLS settings cannot be used.
    public convenience init(url: DatabaseURL, configuration: EngineConfiguration = .init()) throws {
        let driver: any Driver =
            switch url.backend {
            case .postgresql: try PostgresDriver(url: url, configuration: configuration)
            case .sqlite: try SQLiteDriver(url: url, configuration: configuration)
            }
        self.init(url: url, driver: driver, configuration: configuration)
    }
}
