public import Logging
import QuarryCore
import Synchronization

/// A bounded pool of connections: `size` kept open, up to `maxOverflow` more under load, leases
/// that wait at most `timeout`, stale connections recycled and broken ones replaced.
///
/// Generic over the connection and the clock, so its behaviour is testable with no database.
///
/// ```swift
/// let pool = ConnectionPool(configuration: .init(size: 2), clock: ContinuousClock(),
///     open: { try await openConnection() }, close: { await $0.close() }, ping: { await $0.ping() })
/// try await pool.withConnection { connection in … }
/// ```
public final class ConnectionPool<Connection: Sendable, PoolClock: Clock>: Sendable
where PoolClock.Duration == Duration, PoolClock: Sendable, PoolClock.Instant: Sendable {
    /// How the pool sizes itself and treats its connections.
    public struct Configuration: Sendable {
        /// Connections kept open. The default is 5.
        public var size: Int = 5
        /// Extra connections opened under load and closed when returned. The default is 10.
        public var maxOverflow: Int = 10
        /// How long a lease waits for a connection before failing with `poolTimeout`. The default is 30 s.
        public var timeout: Duration = .seconds(30)
        /// Connections older than this are closed and replaced at their next lease. The default is `nil` (never).
        public var recycle: Duration? = nil
        /// Whether a connection is checked with a round trip before each lease. The default is `false`.
        public var prePing: Bool = false

        /// Creates a configuration.
        public init(
            size: Int = 5,
            maxOverflow: Int = 10,
            timeout: Duration = .seconds(30),
            recycle: Duration? = nil,
            prePing: Bool = false
        ) {
            self.size = size
            self.maxOverflow = maxOverflow
            self.timeout = timeout
            self.recycle = recycle
            self.prePing = prePing
        }
    }

    /// A leased connection. Give it back with ``ConnectionPool/release(_:discard:)``.
    public struct Lease: Sendable {
        /// The connection.
        public let connection: Connection
        let entry: PoolStateMachine<Connection>.Entry
    }

    /// Counts at one instant.
    public struct Statistics: Sendable, Equatable {
        /// Connections handed out (or being opened for a lease).
        public var leased: Int
        /// Open connections waiting in the pool.
        public var idle: Int
        /// Leases waiting for a connection.
        public var waiting: Int
    }

    typealias Machine = PoolStateMachine<Connection>

    /// The configuration.
    public let configuration: Configuration
    /// A name for logs and metrics (`db.client.connection.pool.name`).
    public let name: String
    let clock: PoolClock
    /// The pool clock read as the time since the pool was created: connection ages and lease
    /// waits are kept as these durations (see ``MonotonicClock``).
    private let elapsed: MonotonicClock<PoolClock>
    let open: @Sendable () async throws -> Connection
    let closeConnection: @Sendable (Connection) async -> Void
    let ping: @Sendable (Connection) async -> Bool
    let isUsable: @Sendable (Connection) -> Bool
    let logger: Logger
    private let state: Locked<Machine>
    let observer: Observer?
    private let nextWaiterID = Atomic<Int>(0)
    /// Waiters' deadlines, checked by one sweeper task while anyone waits (a timer task per
    /// waiter cost more than the query itself under load).
    private let deadlines = Locked<(byWaiter: [Int: PoolClock.Instant], sweeping: Bool)>(([:], false))
    /// Versions of the counts told to the observer (see ``report(_:version:)``).
    private let countsVersion = Atomic<Int>(0)
    private let lastReportedVersion = Locked<Int>(0)
    /// Connection closes and the deadline sweeper, run by ``run()``.
    let background = BackgroundTasks()
    /// Continuations of ``close()`` waiting for leased connections to come back.
    private let returnWaiters = WaiterList()

    /// Told the counts after every lease and release, and how long each lease waited: how the
    /// engine's pool metrics see every lease, whoever takes it.
    public struct Observer: Sendable {
        let counts: @Sendable (Statistics) -> Void
        let waited: @Sendable (Duration) -> Void

        /// An observer of counts and lease waits.
        public init(counts: @escaping @Sendable (Statistics) -> Void, waited: @escaping @Sendable (Duration) -> Void) {
            self.counts = counts
            self.waited = waited
        }
    }

    /// Creates a pool; connections open lazily, on the first leases. `isUsable` is asked, without
    /// I/O, of every idle connection before it is handed out (a closed one is replaced); `ping`
    /// only when `Configuration.prePing` is on.
    public init(
        name: String = "default",
        configuration: Configuration,
        clock: PoolClock,
        logger: Logger,
        observer: Observer? = nil,
        open: @escaping @Sendable () async throws -> Connection,
        close: @escaping @Sendable (Connection) async -> Void,
        ping: @escaping @Sendable (Connection) async -> Bool,
        isUsable: @escaping @Sendable (Connection) -> Bool = { _ in true }
    ) {
        self.observer = observer
        self.name = name
        self.configuration = configuration
        self.clock = clock
        self.elapsed = MonotonicClock(clock)
        self.logger = logger
        self.open = open
        self.closeConnection = close
        self.ping = ping
        self.isUsable = isUsable
        self.state = Locked(Machine(size: configuration.size, maxOverflow: configuration.maxOverflow))
    }

    /// The current counts.
    public var statistics: Statistics {
        self.state.withLockedValue { Statistics(leased: $0.leased, idle: $0.idle.count, waiting: $0.waitingCount) }
    }

    /// Leases a connection, waiting at most the pool timeout.
    /// - Returns: The lease; pass it to ``release(_:discard:)`` exactly once.
    /// - Throws: `DatabaseError` `poolTimeout` after the timeout, `poolClosed` after ``close()``,
    ///   `connectionFailed` when a new connection cannot be opened, `cancelled` (`CancellationError`
    ///   is mapped) when the task is cancelled while waiting.
    public func lease() async throws -> Lease {
        guard let observer = self.observer else { return try await self.leaseUnobserved() }
        let start = self.elapsed.now()
        let lease = try await self.leaseUnobserved()
        observer.waited(self.elapsed.now() - start)
        let (counts, version) = self.state.withLockedValue { machine in
            (
                Statistics(leased: machine.leased, idle: machine.idle.count, waiting: machine.waitingCount),
                self.countsVersion.add(1, ordering: .relaxed).newValue
            )
        }
        self.report(counts, version: version)
        return lease
    }

    private func leaseUnobserved() async throws -> Lease {
        if Task.isCancelled { throw DatabaseError(.cancelled, message: "Cancelled before a connection was leased") }
        switch self.state.withLockedValue({ $0.lease() }) {
        case .use(let entry):
            if let lease = self.readyLease(entry) { return lease }
            return try await self.prepare(entry)
        case .open: return try await self.openForLease()
        case .fail: throw Self.closedError()
        case .wait: break
        }
        let id = self.nextWaiterID.add(1, ordering: .relaxed).newValue
        let handoff: Machine.Handoff = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Machine.Waiter) in
                switch self.state.withLockedValue({ $0.leaseOrEnqueue(id: id, continuation) }) {
                case .use(let entry): continuation.resume(returning: .connection(entry))
                case .open: continuation.resume(returning: .open)
                case .fail: continuation.resume(throwing: Self.closedError())
                case .wait: self.scheduleTimeout(for: id)
                }
            }
        } onCancel: {
            if let waiter = self.state.withLockedValue({ $0.removeWaiter(id: id) }) {
                self.cancelTimeout(for: id)
                waiter.resume(
                    throwing: DatabaseError(.cancelled, message: "Cancelled while waiting for a pooled connection")
                )
            }
        }
        ThreadSanitizerResume.acquire()
        self.cancelTimeout(for: id)
        switch handoff {
        case .connection(let entry):
            if let lease = self.readyLease(entry) { return lease }
            return try await self.prepare(entry)
        case .open: return try await self.openForLease()
        }
    }

    /// Returns a leased connection. `discard: true` closes it instead (it broke, or its state is
    /// unknown after a cancelled statement or a failed rollback).
    public func release(_ lease: Lease, discard: Bool = false) {
        let (action, counts, version) = self.state.withLockedValue { machine in
            (
                machine.release(lease.entry, discard: discard),
                Statistics(leased: machine.leased, idle: machine.idle.count, waiting: machine.waitingCount),
                self.countsVersion.add(1, ordering: .relaxed).newValue
            )
        }
        self.perform(action)
        self.report(counts, version: version)
        if counts.leased == 0 {
            self.returnWaiters.resumeAll()
        }
    }

    /// Runs `body` with a leased connection and returns it afterwards.
    public func withConnection<R>(_ body: (Connection) async throws -> R) async throws -> R {
        let lease = try await self.lease()
        do {
            let result = try await body(lease.connection)
            self.release(lease)
            return result
        } catch {
            self.release(lease, discard: Task.isCancelled)
            throw error
        }
    }

    /// Runs the pool's background work — closing connections, failing leases that waited past
    /// the timeout — as child tasks of one task group, until ``close()`` has finished. Call it from
    /// a task that lives as long as the pool (``Engine/run()`` does); a pool nobody runs starts
    /// the same work on a task of its own at its first need, which ``close()`` awaits.
    ///
    /// ```swift
    /// try await withThrowingDiscardingTaskGroup { group in
    ///     group.addTask { await pool.run() }
    ///     try await pool.withConnection { connection in … }
    ///     await pool.close()
    /// }
    /// ```
    public func run() async {
        await self.background.run()
    }

    /// Tells the observer `counts` unless newer counts were told already: counts are taken under
    /// the state lock with an increasing version, but reported outside it, where two reports can
    /// cross (a stale "1 in use" once outlived the release that made it 0).
    private func report(_ counts: Statistics, version: Int) {
        guard let observer = self.observer else { return }
        self.lastReportedVersion.withLockedValue { last in
            guard version > last else { return }
            last = version
            observer.counts(counts)
        }
    }

    /// Closes idle connections, fails waiting leases with `poolClosed`, waits (at most the pool
    /// timeout) for leased connections to come back and closes them, then returns once every
    /// close has finished. A connection returned later still is closed when it comes back.
    public func close() async {
        let (idle, waiters) = self.state.withLockedValue { $0.close() }
        for waiter in waiters { waiter.resume(throwing: Self.closedError()) }
        for connection in idle { self.background.submit { await self.closeConnection(connection) } }
        await self.waitForLeasesToReturn()
        await self.background.finish()
    }

    /// Returns when no connection is leased any more, or after the pool timeout.
    private func waitForLeasesToReturn() async {
        let clock = self.clock
        let timeout = self.configuration.timeout
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.returnWaiters.wait(unless: { self.state.withLockedValue { $0.leased == 0 } })
            }
            group.addTask {
                try? await clock.sleep(for: timeout)
                self.returnWaiters.resumeAll()
            }
            // Whichever finishes first ends the wait; the other is cancelled or resumed.
            await group.next()
            group.cancelAll()
            self.returnWaiters.resumeAll()
        }
    }

    // MARK: - Internals

    private static func closedError() -> DatabaseError {
        DatabaseError(.poolClosed, message: "The engine was shut down")
    }

    /// The lease of an idle connection that needs no check before use — open, younger than
    /// `recycle`, and no `prePing` configured — or `nil` when ``prepare(_:)`` must look at it.
    /// Synchronous, so the usual lease costs no async call.
    private func readyLease(_ entry: Machine.Entry) -> Lease? {
        guard !self.configuration.prePing, self.isUsable(entry.connection), !self.isDueForRecycling(entry) else {
            return nil
        }
        return Lease(connection: entry.connection, entry: entry)
    }

    /// Whether `entry` is older than `recycle`.
    private func isDueForRecycling(_ entry: Machine.Entry) -> Bool {
        guard let recycle = self.configuration.recycle else { return false }
        return self.elapsed.now() - entry.openedAt > recycle
    }

    private func prepare(_ entry: Machine.Entry) async throws -> Lease {
        // A connection the server closed while it sat idle (a database restart) is known dead
        // without a round trip: replace it rather than hand it out.
        if !self.isUsable(entry.connection) {
            self.logger.debug("Idle connection was closed; replacing it", metadata: [LogKey.poolName: "\(self.name)"])
            self.background.submit { await self.closeConnection(entry.connection) }
            return try await self.openForLease()
        }
        if self.isDueForRecycling(entry) {
            self.logger.debug("Recycling an aged connection", metadata: [LogKey.poolName: "\(self.name)"])
            self.background.submit { await self.closeConnection(entry.connection) }
            return try await self.openForLease()
        }
        if self.configuration.prePing, await !self.ping(entry.connection) {
            self.logger.debug("Pre-ping failed; replacing the connection", metadata: [LogKey.poolName: "\(self.name)"])
            self.background.submit { await self.closeConnection(entry.connection) }
            return try await self.openForLease()
        }
        return Lease(connection: entry.connection, entry: entry)
    }

    private func openForLease() async throws -> Lease {
        do {
            let connection = try await self.open()
            let entry = Machine.Entry(connection: connection, openedAt: self.elapsed.now())
            return Lease(connection: connection, entry: entry)
        } catch {
            self.perform(self.state.withLockedValue { $0.openFailed() })
            if let error = error as? DatabaseError { throw error }
            throw DatabaseError(
                .connectionFailed,
                message: "Could not open a database connection",
                underlying: SendableErrorBox(error)
            )
        }
    }

    private func perform(_ action: Machine.ReleaseAction) {
        switch action {
        case .none: break
        case .close(let connection):
            self.background.submit { await self.closeConnection(connection) }
        case .handOff(let waiter, let handoff):
            waiter.resume(returning: handoff)
        case .closeAndGrantOpen(let connection, let waiter):
            self.background.submit { await self.closeConnection(connection) }
            waiter.resume(returning: .open)
        case .grantOpen(let waiter):
            waiter.resume(returning: .open)
        }
    }

    private func scheduleTimeout(for id: Int) {
        let deadline = self.clock.now.advanced(by: self.configuration.timeout)
        let startSweeper = self.deadlines.withLockedValue { state in
            state.byWaiter[id] = deadline
            if state.sweeping { return false }
            state.sweeping = true
            return true
        }
        if startSweeper { self.background.submit { await self.sweepDeadlines() } }
    }

    private func cancelTimeout(for id: Int) {
        _ = self.deadlines.withLockedValue { $0.byWaiter.removeValue(forKey: id) }
    }

    /// Fails waiters whose deadline passed, until nobody waits. It looks every few milliseconds (a
    /// twentieth of the timeout, at most 50 ms) and, when the earliest deadline is nearer than
    /// that, wakes exactly at it: a waiter's 503 comes when its deadline passes, not up to a tick
    /// later (the slack a loaded machine adds on top of that is its own).
    private func sweepDeadlines() async {
        let timeout = self.configuration.timeout
        let tick = max(min(timeout / 20, .milliseconds(50)), .milliseconds(1))
        while true {
            let untilEarliest = self.deadlines.withLockedValue { state in
                state.byWaiter.values.min().map { self.clock.now.duration(to: $0) }
            }
            do {
                try await self.clock.sleep(for: max(min(tick, untilEarliest ?? tick), .zero))
            } catch {
                // run() was cancelled: the engine is shutting down, and close() fails every waiter.
                self.deadlines.withLockedValue { $0.sweeping = false }
                return
            }
            let now = self.clock.now
            let expired: [Int]? = self.deadlines.withLockedValue { state in
                if state.byWaiter.isEmpty {
                    state.sweeping = false
                    return nil
                }
                let ids = state.byWaiter.filter { $0.value <= now }.map(\.key)
                for id in ids { state.byWaiter[id] = nil }
                return ids
            }
            guard let expired else { return }
            for id in expired {
                if let waiter = self.state.withLockedValue({ $0.removeWaiter(id: id) }) {
                    waiter.resume(
                        throwing: DatabaseError(
                            .poolTimeout,
                            message:
                                "No connection became free within the pool timeout (\(timeout)); the pool holds \(self.configuration.size) + \(self.configuration.maxOverflow) overflow connections"
                        )
                    )
                }
            }
            // Nobody waits any more: stop now rather than after another tick.
            let idle = self.deadlines.withLockedValue { state in
                guard state.byWaiter.isEmpty else { return false }
                state.sweeping = false
                return true
            }
            if idle { return }
        }
    }
}

/// Wraps a non-`Sendable` driver error so it can travel in `DatabaseError.underlying`; only its
/// text is kept.
public struct SendableErrorBox: Error, Sendable, CustomStringConvertible {
    /// The original error's description.
    public let description: String
    /// Boxes `error`.
    public init(_ error: any Error) { self.description = String(describing: error) }
}
