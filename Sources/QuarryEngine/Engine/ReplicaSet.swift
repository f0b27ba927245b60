import Logging
import QuarryCore
import Synchronization

/// The read replicas of an engine: round-robin over the healthy ones, skipping a replica whose
/// connections fail (for ``EngineConfiguration/replicaRetryInterval``) or whose replay lag is past
/// ``EngineConfiguration/maxReplicaLag``.
final class ReplicaSet: Sendable {
    struct Replica: Sendable {
        let url: DatabaseURL
        let driver: any Driver
        let pool: ConnectionPool<any DriverConnection, ContinuousClock>
    }

    private struct Health {
        var downUntil: ContinuousClock.Instant?
        var lag: Duration = .zero
        var lastLagCheck: ContinuousClock.Instant?
    }

    let replicas: [Replica]
    private let health: Locked<[Health]>
    private let next = Atomic<Int>(0)
    let retryInterval: Duration
    let maxLag: Duration?
    let logger: Logger

    init(replicas: [Replica], retryInterval: Duration, maxLag: Duration?, logger: Logger) {
        self.replicas = replicas
        self.health = Locked(Array(repeating: Health(), count: replicas.count))
        self.retryInterval = retryInterval
        self.maxLag = maxLag
        self.logger = logger
    }

    /// The replicas to try for one read, in round-robin order, and those left out because their
    /// lag is past ``maxLag`` (which must keep being measured, or they would never come back).
    func candidates() -> (usable: [Int], lagging: [Int]) {
        let now = ContinuousClock.now
        let start = self.next.add(1, ordering: .relaxed).oldValue
        let health = self.health.withLockedValue { $0 }
        var usable: [Int] = []
        var lagging: [Int] = []
        for index in (0..<self.replicas.count).map({ (start + $0) % self.replicas.count }) {
            if let until = health[index].downUntil, until > now { continue }
            if let maxLag = self.maxLag, health[index].lag > maxLag {
                lagging.append(index)
            } else {
                usable.append(index)
            }
        }
        return (usable, lagging)
    }

    /// Takes a replica out of rotation for the retry interval.
    func markDown(_ index: Int, because error: DatabaseError) {
        self.health.withLockedValue { $0[index].downUntil = .now + self.retryInterval }
        self.logger.warning(
            "Read replica skipped",
            metadata: ["db.replica": "\(self.replicas[index].url)", LogKey.errorType: "\(error.code)"]
        )
    }

    /// Whether the lag of replica `index` should be measured again (at most once a second).
    func lagCheckDue(_ index: Int) -> Bool {
        self.health.withLockedValue { health in
            if let last = health[index].lastLagCheck, last.duration(to: .now) < .seconds(1) { return false }
            health[index].lastLagCheck = .now
            return true
        }
    }

    func recordLag(_ index: Int, _ lag: Duration) {
        self.health.withLockedValue { $0[index].lag = lag }
    }

    /// PostgreSQL: zero when the replica has replayed all it received, else the age of the last
    /// replayed transaction.
    static let lagQuery = SQL(
        unsafeRaw: """
            SELECT CASE WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8
            """
    )
}
