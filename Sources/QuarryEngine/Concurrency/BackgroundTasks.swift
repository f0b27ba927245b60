/// The background work of a pool or an engine — closing connections, failing lease waiters past
/// their deadline, measuring replica lag — queued here and run as child tasks of one task group:
/// the one in ``ConnectionPool/run()`` (and so in ``Engine/run()``, the swift-service-lifecycle
/// `Service` entry point).
///
/// An engine used without `run()` (a script, a test) still needs this work done, or pool timeouts
/// would never fire: the first job then starts a fallback runner, one task per queue, which
/// ``finish()`` (called by `close()`/`shutdown()`) awaits. Either way, nothing queued here outlives
/// the shutdown that awaited it.
final class BackgroundTasks: Sendable {
    typealias Job = @Sendable () async -> Void

    private enum Runner {
        /// Nobody runs the jobs yet.
        case none
        /// `run()` (structured, inside the caller's task group) or the fallback task runs them.
        case claimed
    }

    private struct State {
        var jobs: [Job] = []
        var waitingRunner: CheckedContinuation<Job?, Never>?
        var runner = Runner.none
        var fallback: Task<Void, Never>?
        /// No more jobs are queued: the runner drains what is left and returns.
        var isFinishing = false
        var isDrained = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Locked(State())

    /// Queues `job`. After ``finish()`` the job runs in a task of its own (see the comment below).
    func submit(_ job: @escaping Job) {
        enum Action {
            case none
            case handOff(CheckedContinuation<Job?, Never>)
            case startFallback
            case runAlone
        }
        let action: Action = self.state.withLockedValue { state in
            if state.isFinishing { return .runAlone }
            if let runner = state.waitingRunner {
                state.waitingRunner = nil
                return .handOff(runner)
            }
            state.jobs.append(job)
            if case .none = state.runner {
                state.runner = .claimed
                return .startFallback
            }
            return .none
        }
        switch action {
        case .none:
            break
        case .handOff(let runner):
            runner.resume(returning: job)
        case .startFallback:
            // Unstructured on purpose: nobody called `run()`, yet the work must happen (a pool
            // timeout must fire). The task is kept and awaited by `finish()`, so it never outlives
            // the engine's shutdown.
            let task = Task { await self.runJobs() }
            self.state.withLockedValue { $0.fallback = task }
        case .runAlone:
            // Unstructured on purpose: a connection leased before shutdown and returned after it
            // has no runner left to close it; closing it is all this task does.
            Task { await job() }
        }
    }

    /// Runs the queued jobs in a task group until ``finish()``, then returns once every job is
    /// done. When the fallback runner already took over, waits for it instead.
    func run() async {
        let claimed: Bool = self.state.withLockedValue { state in
            guard case .none = state.runner else { return false }
            state.runner = .claimed
            return true
        }
        if claimed {
            await self.runJobs()
        } else {
            await self.waitUntilDrained()
        }
    }

    /// Stops taking jobs and waits until every queued job has run.
    func finish() async {
        let (runner, hasRunner): (CheckedContinuation<Job?, Never>?, Bool) = self.state.withLockedValue { state in
            state.isFinishing = true
            defer { state.waitingRunner = nil }
            if case .none = state.runner { return (nil, false) }
            return (state.waitingRunner, true)
        }
        runner?.resume(returning: nil)
        if hasRunner { await self.waitUntilDrained() }
    }

    private func runJobs() async {
        await withDiscardingTaskGroup { group in
            while let job = await self.nextJob() {
                group.addTask { await job() }
            }
            // Finishing, and every queued job has started: long-running jobs (a pool's deadline
            // sweeper, asleep on its clock) stop now. Connection closes are shielded from
            // cancellation and run to the end.
            group.cancelAll()
        }
        let waiters: [CheckedContinuation<Void, Never>] = self.state.withLockedValue { state in
            state.isDrained = true
            defer { state.drainWaiters.removeAll() }
            return state.drainWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The next job, or `nil` once finishing and the queue is empty. Not cancellable: a cancelled
    /// `run()` still drains (its jobs close connections).
    private func nextJob() async -> Job? {
        defer { ThreadSanitizerResume.acquire() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Job?, Never>) in
            let ready: Job?? = self.state.withLockedValue { state in
                if !state.jobs.isEmpty { return .some(state.jobs.removeFirst()) }
                if state.isFinishing { return .some(nil) }
                state.waitingRunner = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func waitUntilDrained() async {
        defer { ThreadSanitizerResume.acquire() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = self.state.withLockedValue { state in
                if state.isDrained { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
    }
}
