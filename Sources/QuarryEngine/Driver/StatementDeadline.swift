import Synchronization

/// A timer a driver arms around one statement when the engine has a statement timeout: when it
/// fires before the statement ends, the driver stops the statement (PostgreSQL closes the
/// connection, which answers a hung server too; SQLite interrupts it), and the engine reports
/// `DatabaseError.Code.statementTimeout`.
///
/// A driver implements ``DriverConnection/armStatementDeadline(for:)`` with a ``StatementWatch``
/// (one repeating check per connection); a deadline that never fires is ``none``:
///
/// ```swift
/// func armStatementDeadline(for timeout: Duration) -> StatementDeadline { .none }
/// ```
public struct StatementDeadline: Sendable {
    /// Decides, once, whether the timer or the statement's end came first.
    public final class Trigger: Sendable {
        // 0: armed, 1: fired, 2: disarmed.
        private let state = Atomic<UInt8>(0)

        /// A trigger that has not fired.
        public init() {}

        /// Called by the timer: `true` when the statement is still running and must be stopped.
        public func fire() -> Bool {
            self.state.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged
        }

        /// Called when the statement ended: `true` when the timer had fired first.
        func disarm() -> Bool {
            let (exchanged, original) = self.state.compareExchange(
                expected: 0,
                desired: 2,
                ordering: .acquiringAndReleasing
            )
            return !exchanged && original == 1
        }
    }

    let trigger: Trigger?
    let cancelTimer: @Sendable () -> Void

    /// A deadline whose timer `cancelTimer` cancels.
    public init(trigger: Trigger, cancelTimer: @escaping @Sendable () -> Void) {
        self.trigger = trigger
        self.cancelTimer = cancelTimer
    }

    /// A deadline that never fires, for drivers that cannot stop a statement.
    public static var none: StatementDeadline { StatementDeadline() }

    private init() {
        self.trigger = nil
        self.cancelTimer = {}
    }

    /// Ends the deadline when its statement ended: `true` when the statement had been stopped by it.
    func disarm() -> Bool {
        guard let trigger = self.trigger else { return false }
        let fired = trigger.disarm()
        if !fired { self.cancelTimer() }
        return fired
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating), for timers that count them.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow
            ? (seconds < 0 ? .min : .max) : product.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}

/// The statement deadlines of one connection, watched by one repeating check instead of a timer
/// per statement.
///
/// A timer scheduled on an event loop from another thread wakes that loop to insert it, and
/// cancelling it when the statement ends wakes it again to fail the timer's promise: two wake-ups
/// per statement for a deadline that almost never fires. A connection runs one statement at a
/// time, so one slot and a periodic check do the same work: arming and disarming take a lock
/// each, and the driver's repeating timer, started with the first statement, asks ``expired(now:)``
/// every tenth of the timeout (between 10 and 250 ms), so a deadline fires at most that late.
///
/// ```swift
/// func armStatementDeadline(for timeout: Duration) -> StatementDeadline {
///     self.watch.arm(for: timeout) { interval in
///         let task = self.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(interval), delay: .milliseconds(interval)) {
///             _ in if self.watch.expired() { self.stopRunningStatement() }
///         }
///         return { task.cancel() }
///     }
/// }
/// ```
public final class StatementWatch: Sendable {
    private struct State {
        var trigger: StatementDeadline.Trigger?
        var deadline = ContinuousClock.Instant.now
        var isStarted = false
        var isStopped = false
        var stopTimer: (@Sendable () -> Void)?
    }

    private let state = Locked(State())

    /// A watch with no statement and no timer yet.
    public init() {}

    /// How often the repeating check runs for `timeout`, in milliseconds.
    public static func checkInterval(for timeout: Duration) -> Int64 {
        min(250, max(10, timeout.nanoseconds / 10_000_000))
    }

    /// Watches the statement about to run: it expires `timeout` from now. The first call starts
    /// the repeating check with `startTimer(interval in milliseconds)`, which returns how to stop it.
    public func arm(
        for timeout: Duration,
        startTimer: (_ intervalMilliseconds: Int64) -> @Sendable () -> Void
    ) -> StatementDeadline {
        let trigger = StatementDeadline.Trigger()
        let deadline = ContinuousClock.now + timeout
        let mustStart = self.state.withLockedValue { state in
            state.trigger = trigger
            state.deadline = deadline
            defer { state.isStarted = true }
            return !state.isStarted && !state.isStopped
        }
        if mustStart {
            let stop = startTimer(Self.checkInterval(for: timeout))
            let stoppedMeanwhile = self.state.withLockedValue { state in
                state.stopTimer = stop
                return state.isStopped
            }
            if stoppedMeanwhile { stop() }
        }
        return StatementDeadline(trigger: trigger) { [state] in
            state.withLockedValue { state in
                if state.trigger === trigger { state.trigger = nil }
            }
        }
    }

    /// Called by the repeating check: `true` once when the running statement is past its deadline
    /// (its ``StatementDeadline`` then reports that it was stopped); the driver stops it.
    public func expired(now: ContinuousClock.Instant = .now) -> Bool {
        let trigger: StatementDeadline.Trigger? = self.state.withLockedValue { state in
            guard let trigger = state.trigger, now >= state.deadline else { return nil }
            state.trigger = nil
            return trigger
        }
        return trigger?.fire() ?? false
    }

    /// Stops the repeating check, for good (the connection closed).
    public func stop() {
        let stop = self.state.withLockedValue { state in
            state.isStopped = true
            defer { state.stopTimer = nil }
            return state.stopTimer
        }
        stop?()
    }
}
