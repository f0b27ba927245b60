import CoreMetrics
public import Logging
import Metrics
public import QuarryCore
import ServiceLifecycle
import Synchronization

/// The process-wide entry point to one database: a URL, a driver and its connection pools.
/// `Sendable` and meant to be shared; every call suspends the caller and never blocks a thread.
///
/// ```swift
/// let engine = try Engine("sqlite://posts.db", configuration: .init(poolSize: 8, echo: true, logger: logger))
/// try await engine.execute(createTable(User.self, ifNotExists: true))
/// let user = try await engine.oneOrNone(select(User.self).where(\.id == 42))
/// try await engine.withTransaction(isolation: .serializable, retries: 3) { tx in … }
/// await engine.shutdown()
/// ```
///
/// Statements outside a transaction lease a connection each; SQLite reads go to read-only
/// connections so they never queue behind the single writer.
public final class Engine: Sendable, DatabaseExecutor {
    /// The database URL (its description masks the password).
    public let url: DatabaseURL
    /// The configuration.
    public let configuration: EngineConfiguration
    /// The dialect statements are compiled for.
    public let dialect: Dialect
    let driver: any Driver
    let runner: StatementRunner
    let primaryPool: ConnectionPool<any DriverConnection, ContinuousClock>
    let readerPool: ConnectionPool<any DriverConnection, ContinuousClock>?
    let replicaSet: ReplicaSet?
    /// Statements compiled once per model type (``StatementTemplates``).
    package let templates = StatementTemplates()
    private let isShutDown = Atomic<Bool>(false)

    /// Creates an engine over an explicit driver. Most code calls `Engine(_ url:)` from `Quarry`,
    /// which picks the driver from the URL.
    ///
    /// ```swift
    /// let engine = Engine(url: url, driver: MyDriver(url: url), configuration: .init(poolSize: 4))
    /// ```
    /// - Parameters:
    ///   - url: The database URL (its description masks the password).
    ///   - driver: Opens the connections.
    ///   - configuration: Pool, timeouts and logging.
    ///   - replicas: Read replicas (PostgreSQL streaming standbys): reads outside a transaction go
    ///     to them round-robin; writes, transactions and ``primary`` go to `driver`.
    public init(
        url: DatabaseURL,
        driver: any Driver,
        replicas: [(url: DatabaseURL, driver: any Driver)] = [],
        configuration: EngineConfiguration
    ) {
        self.url = url
        self.configuration = configuration
        self.dialect = driver.dialect
        self.driver = driver
        self.runner = StatementRunner(dialect: driver.dialect, configuration: configuration)
        var poolLogger = configuration.logger
        poolLogger[metadataKey: LogKey.system] = "\(driver.dialect.name)"
        let logger = poolLogger
        let ids = IDGenerator()
        var primary = ConnectionPool<any DriverConnection, ContinuousClock>.Configuration(
            size: configuration.poolSize,
            maxOverflow: configuration.maxOverflow,
            timeout: configuration.poolTimeout,
            recycle: configuration.recycle,
            prePing: configuration.prePing
        )
        if let maximum = driver.maximumPrimaryConnections {
            primary.size = min(primary.size, maximum)
            primary.maxOverflow = max(0, min(primary.maxOverflow, maximum - primary.size))
        }
        let metricsFactory = configuration.metricsFactory ?? MetricsSystem.factory
        func makePool(
            _ name: String,
            _ role: ConnectionRole,
            _ poolConfiguration: ConnectionPool<any DriverConnection, ContinuousClock>.Configuration,
            driver: any Driver
        ) -> ConnectionPool<any DriverConnection, ContinuousClock> {
            let metrics = EngineMetrics.Pool(
                name: name,
                capacity: poolConfiguration.size + poolConfiguration.maxOverflow,
                factory: metricsFactory
            )
            return ConnectionPool(
                name: name,
                configuration: poolConfiguration,
                clock: ContinuousClock(),
                logger: logger,
                observer: metrics.observer,
                open: { try await driver.connect(role: role, id: ids.next(), logger: logger) },
                close: { await $0.close() },
                ping: { await $0.ping() },
                isUsable: { $0.isUsable }
            )
        }
        self.primaryPool = makePool("primary", .primary, primary, driver: driver)
        if driver.readerPoolSize > 0 {
            var readers = primary
            readers.size = driver.readerPoolSize
            readers.maxOverflow = 0
            self.readerPool = makePool("readers", .reader, readers, driver: driver)
        } else {
            self.readerPool = nil
        }
        if replicas.isEmpty {
            self.replicaSet = nil
        } else {
            self.replicaSet = ReplicaSet(
                replicas: replicas.enumerated().map { index, replica in
                    ReplicaSet.Replica(
                        url: replica.url,
                        driver: replica.driver,
                        pool: makePool("replica\(index)", .reader, primary, driver: replica.driver)
                    )
                },
                retryInterval: configuration.replicaRetryInterval,
                maxLag: configuration.maxReplicaLag,
                logger: logger
            )
        }
    }

    deinit {
        // An engine dropped without `shutdown()` would leave its connections open (and trip the
        // drivers' "deinitialized before being closed" checks): close its pools in the background.
        // Unstructured on purpose: deinit cannot await, and nothing else is left to own the work.
        guard !self.isShutDown.load(ordering: .acquiring) else { return }
        self.configuration.logger.warning("Engine deinitialized without shutdown(); closing its connections")
        let pools =
            [self.primaryPool] + (self.readerPool.map { [$0] } ?? []) + (self.replicaSet?.replicas.map(\.pool) ?? [])
        let driver = self.driver
        Task {
            for pool in pools { await pool.close() }
            await driver.shutdown()
        }
    }

    /// The primary pool's counts, for health checks and tests.
    public var poolStatistics: ConnectionPool<any DriverConnection, ContinuousClock>.Statistics {
        self.primaryPool.statistics
    }

    /// The reader pool's counts (SQLite), or `nil`.
    public var readerPoolStatistics: ConnectionPool<any DriverConnection, ContinuousClock>.Statistics? {
        self.readerPool?.statistics
    }

    /// Leases a connection for `body` and returns it afterwards; a connection whose state is
    /// unknown (broken, cancelled mid-statement, failed rollback) is closed instead.
    ///
    /// ```swift
    /// let count = try await engine.withConnection { try await $0.scalar(select(count(), from: User.self)) }
    /// ```
    /// - Throws: `DatabaseError` `poolTimeout`, `poolClosed`, `connectionFailed`, or what
    ///   `body` throws.
    public func withConnection<R>(_ body: (Connection) async throws -> R) async throws -> R {
        try await self.withConnection(from: self.primaryPool, logger: nil, body)
    }

    /// Runs `body` in a transaction on one connection, retrying the whole body on transient
    /// failures (`DatabaseError.Code.isTransient`: serialization failures, deadlocks, …) with
    /// jittered exponential backoff, up to `retries` more times. The one spelling of scoped work:
    /// `withTransaction` here, on a ``Connection`` and on a `Session`; `withSavepoint` inside.
    ///
    /// ```swift
    /// try await engine.withTransaction(isolation: .serializable, retries: 3) { tx in
    ///     let from = try await tx.one(select(Account.self).where(\.id == 1))
    ///     try await tx.execute(update(Account.self).set(\.balance, to: from.balance - 10).where(\.id == 1))
    /// }
    /// ```
    /// - Throws: The body's error unchanged, or the last `DatabaseError` once retries run out.
    @discardableResult
    public func withTransaction<R>(
        isolation: IsolationLevel? = nil,
        retries: Int = 0,
        _ body: (Connection) async throws -> R
    ) async throws -> R {
        try await TransactionRetry.run(retries: retries) {
            try await self.withConnection { try await $0.withTransaction(isolation: isolation, body) }
        }
    }

    /// The earlier spelling of ``withTransaction(isolation:retries:_:)``.
    @available(*, deprecated, renamed: "withTransaction(isolation:retries:_:)")
    @discardableResult
    public func transaction<R>(
        isolation: IsolationLevel? = nil,
        retries: Int = 0,
        _ body: (Connection) async throws -> R
    ) async throws -> R {
        try await self.withTransaction(isolation: isolation, retries: retries, body)
    }

    /// Runs one statement outside a transaction on the connection its `StatementKind` (never its
    /// text) chooses: a healthy read replica for a read when there are replicas (a replica that
    /// cannot be reached is skipped, and the primary answers when none can), the SQLite readers for
    /// an SQLite read, else the primary. A locking read is refused: its locks would end with its own
    /// autocommit transaction.
    public func execute<R>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        reading reader: RowReader<R>
    ) async throws -> R {
        if compiled.kind == .lockingRead {
            throw DatabaseError(
                .transactionRequired,
                message:
                    "A locking read (SELECT … FOR UPDATE / FOR SHARE) must run inside a transaction: use engine.withTransaction { … } or a session",
                sql: compiled.sql,
                bindCount: compiled.binds.count
            )
        }
        if compiled.isReadOnly, let replicas = self.replicaSet {
            return try await self.execute(compiled, onReplicasOf: replicas, logger: logger, reading: reader)
        }
        return try await self.run(compiled, on: self.pool(for: compiled), logger: logger, reading: reader)
    }

    /// A read on the first usable replica, else on the primary.
    private func execute<R>(
        _ compiled: CompiledStatement,
        onReplicasOf replicas: ReplicaSet,
        logger: Logger?,
        reading reader: RowReader<R>
    ) async throws -> R {
        let (usable, lagging) = replicas.candidates()
        // A replica left out for lag serves no reads, so it is measured here instead: without
        // this, one lag reading past the limit (a burst of writes) kept it out for good.
        for index in lagging { self.checkLagIfDue(replicas, index) }
        for index in usable {
            let replica = replicas.replicas[index]
            do {
                let result = try await self.run(compiled, on: replica.pool, logger: logger, reading: reader)
                self.checkLagIfDue(replicas, index)
                return result
            } catch let error as DatabaseError
                where error.code == .connectionFailed || error.code == .poolTimeout || error.code == .closed
            {
                replicas.markDown(index, because: error)
            }
        }
        return try await self.run(compiled, on: self.pool(for: compiled), logger: logger, reading: reader)
    }

    private func checkLagIfDue(_ replicas: ReplicaSet, _ index: Int) {
        guard replicas.maxLag != nil, replicas.lagCheckDue(index) else { return }
        let replica = replicas.replicas[index]
        self.background.submit {
            let lag = try? await self.withConnection(from: replica.pool, logger: nil) {
                try await $0.scalar(SQLQuery<Double>(ReplicaSet.lagQuery).readOnly())
            }
            if let lag { replicas.recordLag(index, .milliseconds(Int64(lag * 1000))) }
        }
    }

    /// Statements that must see the primary (read-your-writes after a commit, or a read that
    /// cannot tolerate replica lag).
    ///
    /// ```swift
    /// let fresh = try await engine.primary.oneOrNone(select(User.self).where(\.id == id))
    /// ```
    public var primary: PrimaryExecutor { PrimaryExecutor(engine: self) }

    /// Closes every connection and releases the driver, and returns once every connection is
    /// closed and every background job has finished. Waiting and later statements fail with
    /// `poolClosed`; connections still leased get the pool timeout to come back. Safe to call more
    /// than once; a ``run()`` in progress returns too.
    ///
    /// ```swift
    /// await engine.shutdown()
    /// ```
    public func shutdown() async {
        guard !self.isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        self.shutdownWaiters.resumeAll()
        await self.background.finish()
        await self.primaryPool.close()
        await self.readerPool?.close()
        for replica in self.replicaSet?.replicas ?? [] {
            await replica.pool.close()
            await replica.driver.shutdown()
        }
        await self.driver.shutdown()
    }

    /// Runs `body` with this engine, then shuts the engine down, on success and on error alike:
    /// for one-shot programs (the `quarry` tool, tests) that own an engine for one piece of work.
    package func shuttingDown<R>(after body: (Engine) async throws -> R) async throws -> R {
        do {
            let result = try await body(self)
            await self.shutdown()
            return result
        } catch {
            await self.shutdown()
            throw error
        }
    }

    /// Every pool of the engine: the primary, SQLite's readers, the replicas.
    private var pools: [ConnectionPool<any DriverConnection, ContinuousClock>] {
        [self.primaryPool] + (self.readerPool.map { [$0] } ?? []) + (self.replicaSet?.replicas.map(\.pool) ?? [])
    }

    /// Runs the engine's background work — connection closes and lease deadlines of every pool,
    /// replica lag checks — as child tasks of one task group, until graceful shutdown, the task's
    /// cancellation or a call of ``shutdown()``; then shuts the engine down and returns once everything is
    /// closed. This is the swift-service-lifecycle `Service` entry point (``Engine`` conforms):
    /// list the engine before the services that use it, so the group shuts it down last.
    ///
    /// ```swift
    /// let group = ServiceGroup(services: [engine, server], gracefulShutdownSignals: [.sigterm], logger: logger)
    /// try await group.run()
    /// ```
    ///
    /// An engine used without `run()` (a script, a test) still works: its background work then
    /// runs on one task per pool, which ``shutdown()`` awaits.
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for pool in self.pools { group.addTask { await pool.run() } }
            group.addTask { await self.background.run() }
            await withGracefulShutdownHandler {
                await withTaskCancellationHandler {
                    await self.shutdownWaiters.wait(unless: {
                        Task.isCancelled || self.isShutDown.load(ordering: .acquiring)
                    })
                } onCancel: {
                    self.shutdownWaiters.resumeAll()
                }
            } onGracefulShutdown: {
                self.shutdownWaiters.resumeAll()
            }
            await self.shutdown()
        }
    }

    private let shutdownWaiters = WaiterList()
    /// Replica lag checks, run by ``run()``.
    let background = BackgroundTasks()

    // MARK: - Internals

    private func pool(for compiled: CompiledStatement) -> ConnectionPool<any DriverConnection, ContinuousClock> {
        guard let readers = self.readerPool, compiled.isReadOnly else { return self.primaryPool }
        return readers
    }

    func withConnection<R>(
        from pool: ConnectionPool<any DriverConnection, ContinuousClock>,
        logger: Logger?,
        _ body: (Connection) async throws -> R
    ) async throws -> R {
        let lease = try await pool.lease()
        let connection = Connection(lease.connection, runner: self.runner, logger: logger ?? self.configuration.logger)
        defer { pool.release(lease, discard: !lease.connection.isUsable || connection.state.isPoisoned) }
        return try await body(connection)
    }

    /// Runs one statement on a connection leased from `pool`, then returns the connection: every
    /// statement outside a transaction passes here. Unlike `withConnection(from:logger:_:)` it
    /// builds no `Connection` (a single statement has no transaction state to keep), which saves
    /// an allocation and an async frame per statement.
    func run<R>(
        _ compiled: CompiledStatement,
        on pool: ConnectionPool<any DriverConnection, ContinuousClock>,
        logger: Logger?,
        reading reader: RowReader<R>
    ) async throws -> R {
        let lease = try await pool.lease()
        defer { pool.release(lease, discard: !lease.connection.isUsable) }
        return try await self.runner.execute(
            compiled,
            on: lease.connection,
            logger: logger ?? self.configuration.logger,
            reader
        )
    }
}

/// Hands out connection ids.
final class IDGenerator: Sendable {
    private let counter = Atomic<Int>(0)
    func next() -> Int { self.counter.add(1, ordering: .relaxed).newValue }
}
