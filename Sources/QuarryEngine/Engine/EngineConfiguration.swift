public import CoreMetrics
public import Logging
import QuarryCore
public import Tracing

/// How an ``Engine`` pools, times out and logs. SQLAlchemy's `create_async_engine` keywords, typed.
///
/// ```swift
/// var configuration = EngineConfiguration(logger: logger)
/// configuration.poolSize = 8
/// configuration.echo = true
/// let engine = try Engine("postgresql://app@127.0.0.1/app", configuration: configuration)
/// ```
public struct EngineConfiguration: Sendable {
    /// Connections the pool keeps open (`pool_size`). The default is 5.
    public var poolSize: Int = 5
    /// Extra connections opened under load and closed when returned (`max_overflow`). The default is 10.
    public var maxOverflow: Int = 10
    /// How long a statement waits for a free connection before `poolTimeout` (`pool_timeout`). The default is 30 s.
    public var poolTimeout: Duration = .seconds(30)
    /// Whether each lease checks its connection with a round trip first (`pool_pre_ping`). The default is `false`.
    public var prePing: Bool = false
    /// Connections older than this are replaced at their next lease (`pool_recycle`). The default is `nil` (never).
    public var recycle: Duration? = nil
    /// The longest a statement may run; it then fails with `statementTimeout` and its connection
    /// is freed. PostgreSQL cancels it server-side (`statement_timeout`) and, a second later, the
    /// engine closes a connection whose server did not answer at all (stopped, partitioned);
    /// SQLite interrupts it. The URL parameter `statement_timeout` sets it too. The default is
    /// `nil` (no limit).
    public var statementTimeout: Duration? = nil
    /// How long opening a connection may take. The default is 10 s.
    public var connectTimeout: Duration = .seconds(10)
    /// Logs each statement with its duration at `.info`, and its bound values at `.debug` (`echo`). The default is `false`.
    public var echo: Bool = false
    /// Whether bound values are kept in `DatabaseError` descriptions. The default is `false`.
    public var showsBoundValuesInErrors: Bool = false
    /// SQLite: how long a writer waits for a lock held by another process. The default is 5 s.
    public var busyTimeout: Duration = .seconds(5)
    /// SQLite: read-only connections kept beside the single writer. The default is 4.
    public var sqliteReaders: Int = 4
    /// The logger for statements and pool events. The default discards everything.
    public var logger: Logger = .quarryDisabled
    /// How long a read replica whose connections failed stays out of rotation. The default is 5 s.
    public var replicaRetryInterval: Duration = .seconds(5)
    /// A read replica whose replay lag exceeds this is skipped until it catches up; `nil` never
    /// skips for lag.
    public var maxReplicaLag: Duration? = .seconds(5)
    /// Where pool and statement metrics go; `nil` uses swift-metrics' global `MetricsSystem`
    /// (a no-op until the application bootstraps one). The series follow OpenTelemetry's database
    /// client names with `_`: `db_client_connection_count{db_client_connection_pool_name,db_client_connection_state=idle|used}`,
    /// `db_client_connection_pending_requests{db_client_connection_pool_name}`, `db_client_connection_max{…}`,
    /// `db_client_connection_wait_time{…}`, `db_client_operation_duration{db_system_name,db_operation_name}`
    /// and `db_client_errors{db_system_name,error_type}` (OpenTelemetry's attribute names, `.` as `_`).
    ///
    /// ```swift
    /// configuration.metricsFactory = PrometheusMetricsFactory(registry: registry)
    /// ```
    public var metricsFactory: (any MetricsFactory)? = nil
    /// Where statement spans go; `nil` uses swift-distributed-tracing's global
    /// `InstrumentationSystem.tracer` (a no-op until bootstrapped).
    public var tracer: (any Tracer)? = nil

    /// Creates a configuration; every parameter has the default its property documents.
    ///
    /// ```swift
    /// let configuration = EngineConfiguration(poolSize: 10, statementTimeout: .seconds(15), echo: true, logger: logger)
    /// ```
    public init(
        poolSize: Int = 5,
        maxOverflow: Int = 10,
        poolTimeout: Duration = .seconds(30),
        prePing: Bool = false,
        recycle: Duration? = nil,
        statementTimeout: Duration? = nil,
        connectTimeout: Duration = .seconds(10),
        echo: Bool = false,
        showsBoundValuesInErrors: Bool = false,
        busyTimeout: Duration = .seconds(5),
        sqliteReaders: Int = 4,
        replicaRetryInterval: Duration = .seconds(5),
        maxReplicaLag: Duration? = .seconds(5),
        metricsFactory: (any MetricsFactory)? = nil,
        tracer: (any Tracer)? = nil,
        logger: Logger = .quarryDisabled
    ) {
        self.poolSize = poolSize
        self.maxOverflow = maxOverflow
        self.poolTimeout = poolTimeout
        self.prePing = prePing
        self.recycle = recycle
        self.statementTimeout = statementTimeout
        self.connectTimeout = connectTimeout
        self.echo = echo
        self.showsBoundValuesInErrors = showsBoundValuesInErrors
        self.busyTimeout = busyTimeout
        self.sqliteReaders = sqliteReaders
        self.replicaRetryInterval = replicaRetryInterval
        self.maxReplicaLag = maxReplicaLag
        self.metricsFactory = metricsFactory
        self.tracer = tracer
        self.logger = logger
    }
}

extension Logger {
    /// A logger that discards everything: the default when the caller gives none.
    public static let quarryDisabled = Logger(label: "quarry.disabled", factory: { _ in SwiftLogNoOpLogHandler() })
}

extension EngineConfiguration {
    /// This configuration with the settings `url` carries in its query: `statement_timeout`
    /// (`15s`, `500ms`, or a number of milliseconds as in PostgreSQL; `0` for none) overrides
    /// ``statementTimeout``.
    ///
    /// ```swift
    /// let url = try DatabaseURL("postgresql://app@db/app?statement_timeout=15s")
    /// let configuration = try EngineConfiguration().applying(url)   // statementTimeout == .seconds(15)
    /// ```
    /// - Throws: `DatabaseError` `unsupportedURL` for a value that is not a duration.
    public func applying(_ url: DatabaseURL) throws -> EngineConfiguration {
        var configuration = self
        if let text = url.query["statement_timeout"] {
            guard let milliseconds = Self.milliseconds(text) else {
                throw DatabaseError(
                    .unsupportedURL,
                    message:
                        "statement_timeout must be a duration such as 15s, 500ms or 15000, not '\(text.prefix(40))'"
                )
            }
            configuration.statementTimeout = milliseconds == 0 ? nil : .milliseconds(milliseconds)
        }
        return configuration
    }

    private static func milliseconds(_ text: String) -> Int64? {
        let scale: Int64
        let digits: Substring
        if text.hasSuffix("ms") {
            (scale, digits) = (1, text.dropLast(2))
        } else if text.hasSuffix("s") {
            (scale, digits) = (1000, text.dropLast())
        } else if text.hasSuffix("min") {
            (scale, digits) = (60_000, text.dropLast(3))
        } else {
            (scale, digits) = (1, Substring(text))
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int64(digits), value >= 0,
            value <= Int64.max / scale / 1_000_000
        else { return nil }
        return value * scale
    }
}
