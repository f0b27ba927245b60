import CoreMetrics
import QuarryCore

/// The engine's swift-metrics series, named after OpenTelemetry's database client conventions
/// (with `_` for `.`, which Prometheus needs):
///
/// | series | kind | dimensions |
/// |---|---|---|
/// | `db_client_connection_count` | gauge | `db_client_connection_pool_name`, `db_client_connection_state` = `idle` / `used` |
/// | `db_client_connection_pending_requests` | gauge | `db_client_connection_pool_name` |
/// | `db_client_connection_max` | gauge | `db_client_connection_pool_name` |
/// | `db_client_connection_wait_time` | timer | `db_client_connection_pool_name` |
/// | `db_client_operation_duration` | timer | `db_system_name`, `db_operation_name` (`SELECT`, `INSERT`, …) |
/// | `db_client_errors` | counter | `db_system_name`, `error_type` (the `DatabaseError` code) |
///
/// Names and dimensions are OpenTelemetry's database client conventions (the same names as the
/// span attributes and log metadata keys) with `.` written `_`, as Prometheus requires.
///
/// Set ``EngineConfiguration/metricsFactory`` to send them somewhere.
struct EngineMetrics: Sendable {
    let factory: any MetricsFactory
    let system: String
    private let durations: [String: Timer]

    static let operations = CompiledStatement.operationNames + ["OTHER"]

    init(factory: any MetricsFactory, system: String) {
        self.factory = factory
        self.system = system
        var durations: [String: Timer] = [:]
        for operation in Self.operations {
            durations[operation] = Timer(
                label: "db_client_operation_duration",
                dimensions: [("db_system_name", system), ("db_operation_name", operation)],
                factory: factory
            )
        }
        self.durations = durations
    }

    func recordStatement(_ operation: String, duration: Duration) {
        self.durations[operation]?.recordNanoseconds(duration.nanoseconds)
    }

    func recordError(_ code: String) {
        Counter(
            label: "db_client_errors",
            dimensions: [("db_system_name", self.system), ("error_type", code)],
            factory: self.factory
        ).increment()
    }

    /// Per-pool series.
    struct Pool: Sendable {
        let used: Gauge
        let idle: Gauge
        let pending: Gauge
        let max: Gauge
        let wait: Timer

        init(name: String, capacity: Int, factory: any MetricsFactory) {
            self.used = Gauge(
                label: "db_client_connection_count",
                dimensions: [("db_client_connection_pool_name", name), ("db_client_connection_state", "used")],
                factory: factory
            )
            self.idle = Gauge(
                label: "db_client_connection_count",
                dimensions: [("db_client_connection_pool_name", name), ("db_client_connection_state", "idle")],
                factory: factory
            )
            self.pending = Gauge(
                label: "db_client_connection_pending_requests",
                dimensions: [("db_client_connection_pool_name", name)],
                factory: factory
            )
            self.max = Gauge(
                label: "db_client_connection_max",
                dimensions: [("db_client_connection_pool_name", name)],
                factory: factory
            )
            self.wait = Timer(
                label: "db_client_connection_wait_time",
                dimensions: [("db_client_connection_pool_name", name)],
                factory: factory
            )
            self.max.record(capacity)
        }

        /// Feeds these series from a pool's lease and release events.
        var observer: ConnectionPool<any DriverConnection, ContinuousClock>.Observer {
            let (used, idle, pending, wait) = (self.used, self.idle, self.pending, self.wait)
            return .init(
                counts: { counts in
                    used.record(counts.leased)
                    idle.record(counts.idle)
                    pending.record(counts.waiting)
                },
                waited: { wait.recordNanoseconds($0.nanoseconds) }
            )
        }
    }
}
