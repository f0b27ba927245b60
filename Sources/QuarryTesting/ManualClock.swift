@_spi(Locking) import QuarryEngine

/// A `Clock` whose time moves only when a test says so: for testing timeouts (a pool's lease
/// deadline, a retry's backoff) without sleeping and without depending on how fast the machine is.
///
/// ```swift
/// let clock = ManualClock()
/// let pool = ConnectionPool(configuration: .init(size: 1, timeout: .seconds(5)), clock: clock, …)
/// let held = try await pool.lease()
/// async let waiting = pool.lease()
/// await clock.waitForSleeps(atLeast: 1)      // the pool is waiting on the clock
/// clock.advance(by: .seconds(6))             // …and times out, at once
/// ```
public final class ManualClock: Clock, Sendable {
    /// A point on the manual clock's time line.
    public struct Instant: InstantProtocol, Sendable {
        /// The time since the clock was made.
        public var offset: Duration

        /// An instant `offset` after the clock's start.
        public init(offset: Duration) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: self.offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - self.offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Int: Sleeper] = [:]
        var cancelled: Set<Int> = []
        var nextID = 0
        var sleepCount = 0
        var sleepCountWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Locked(State())

    /// A clock at offset zero.
    public init() {}

    public var now: Instant { self.state.withLockedValue { $0.now } }

    public var minimumResolution: Duration { .zero }

    /// How many calls of `sleep` have started so far.
    public var sleepCount: Int { self.state.withLockedValue { $0.sleepCount } }

    /// Suspends until `advance(by:)` moves the clock to `deadline` or past it.
    /// - Throws: `CancellationError` when the task is cancelled first.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let (id, waiters): (Int, [CheckedContinuation<Void, Never>]) = self.state.withLockedValue { state in
            state.nextID += 1
            state.sleepCount += 1
            let count = state.sleepCount
            let ready = state.sleepCountWaiters.filter { $0.count <= count }.map(\.continuation)
            state.sleepCountWaiters.removeAll { $0.count <= count }
            return (state.nextID, ready)
        }
        for waiter in waiters { waiter.resume() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case wait, wake, cancel }
                let outcome: Outcome = self.state.withLockedValue { state in
                    if state.cancelled.remove(id) != nil { return .cancel }
                    if deadline <= state.now { return .wake }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .wait
                }
                switch outcome {
                case .wait: break
                case .wake: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let sleeper: Sleeper? = self.state.withLockedValue { state in
                if let sleeper = state.sleepers.removeValue(forKey: id) { return sleeper }
                state.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper whose deadline it reached.
    public func advance(by duration: Duration) {
        let due: [Sleeper] = self.state.withLockedValue { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let ids = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { state.sleepers.removeValue(forKey: $0) }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Suspends until at least `count` calls of `sleep` have started since the clock was made:
    /// how a test knows that the code under test is now waiting on the clock.
    public func waitForSleeps(atLeast count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = self.state.withLockedValue { state in
                if state.sleepCount >= count { return true }
                state.sleepCountWaiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
