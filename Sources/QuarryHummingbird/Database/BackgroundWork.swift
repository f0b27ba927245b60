import Foundation
public import Logging
import QuarryCore
@_spi(Locking) public import QuarryEngine
public import QuarryORM
public import ServiceLifecycle

/// Work that runs after the response, in its own session and transaction (FastAPI's
/// `BackgroundTasks`, made durable): bounded in concurrency, retried with backoff on transient
/// database errors, logged when it finally fails, and drained by graceful shutdown before the
/// engine closes.
///
/// ```swift
/// let background = BackgroundWork(engine: engine, logger: logger)
/// background.schedule("refresh stats", isolation: .serializable) { session in
///     try await session.execute(…)
/// }
/// // services: [engine, background]   (shut down in reverse order)
/// ```
public final class BackgroundWork: Service, Sendable {
    /// Limits and retries.
    public struct Configuration: Sendable {
        /// Jobs running at once.
        public var maxConcurrentJobs: Int
        /// Attempts per job before it is logged as failed.
        public var maxAttempts: Int
        /// The first retry's delay; each retry doubles it (with jitter).
        public var retryDelay: Duration

        /// Creates a configuration.
        public init(maxConcurrentJobs: Int = 4, maxAttempts: Int = 8, retryDelay: Duration = .milliseconds(5)) {
            self.maxConcurrentJobs = maxConcurrentJobs
            self.maxAttempts = maxAttempts
            self.retryDelay = retryDelay
        }
    }

    struct Job: Sendable {
        let name: String
        let isolation: IsolationLevel?
        let work: @Sendable (Session) async throws -> Void
    }

    let engine: Engine
    let configuration: Configuration
    let logger: Logger
    private let jobs: AsyncStream<Job>
    private let input: AsyncStream<Job>.Continuation
    /// Jobs scheduled and not yet finished.
    private let pending = Locked(0)
    private let idleWaiters = WaiterList()

    /// Creates the worker; nothing runs until ``run()`` (the service group calls it).
    public init(engine: Engine, configuration: Configuration = .init(), logger: Logger) {
        self.engine = engine
        self.configuration = configuration
        self.logger = logger
        (self.jobs, self.input) = AsyncStream.makeStream(of: Job.self)
    }

    /// Queues `work` to run in a transaction of a new session once the current request is done.
    /// - Returns: `false` when the worker is shutting down and no longer accepts work (the
    ///   refusal is logged).
    @discardableResult
    public func schedule(
        _ name: String,
        isolation: IsolationLevel? = nil,
        _ work: @escaping @Sendable (Session) async throws -> Void
    ) -> Bool {
        self.pending.withLockedValue { $0 += 1 }
        if case .terminated = self.input.yield(Job(name: name, isolation: isolation, work: work)) {
            self.finishOne()
            self.logger.error("Background work refused: shutting down", metadata: ["quarry.job": "\(name)"])
            return false
        }
        return true
    }

    /// The jobs scheduled and not yet finished.
    public var pendingCount: Int { self.pending.withLockedValue { $0 } }

    /// Returns once no job is queued or running.
    public func waitUntilIdle() async {
        // A wake-up can be late (a job was scheduled after the count reached zero): check again.
        while self.pendingCount != 0 {
            await self.idleWaiters.wait(unless: { self.pendingCount == 0 })
        }
    }

    /// Runs jobs until graceful shutdown, then finishes every queued job and returns.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for await job in self.jobs {
                    if running >= self.configuration.maxConcurrentJobs {
                        await group.next()
                        running -= 1
                    }
                    group.addTask { await self.perform(job) }
                    running += 1
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            self.input.finish()
        }
    }

    private func perform(_ job: Job) async {
        defer { self.finishOne() }
        var attempt = 1
        while true {
            do {
                try await self.engine.withSession { session in
                    try await session.withTransaction(isolation: job.isolation) { try await job.work(session) }
                }
                return
            } catch let error as DatabaseError where error.isTransient && attempt < self.configuration.maxAttempts {
                attempt += 1
                let base =
                    Double(self.configuration.retryDelay.components.attoseconds) / 1e18
                    + Double(self.configuration.retryDelay.components.seconds)
                let delay = base * Double(1 << min(attempt, 10)) * Double.random(in: 0.5...1.5)
                try? await Task.sleep(for: .seconds(delay))
            } catch {
                self.logger.error(
                    "Background work failed",
                    metadata: [
                        "quarry.job": "\(job.name)", "quarry.attempts": "\(attempt)",
                        "error.type": "\(type(of: error))",
                        "error.code": "\((error as? DatabaseError)?.code.description ?? "-")",
                    ]
                )
                return
            }
        }
    }

    private func finishOne() {
        let idle = self.pending.withLockedValue { pending in
            pending -= 1
            return pending == 0
        }
        if idle { self.idleWaiters.resumeAll() }
    }
}
