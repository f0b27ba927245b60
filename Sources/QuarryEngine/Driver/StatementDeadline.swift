import Synchronization

/// A timer a driver arms around one statement when the engine has a statement timeout: when it
/// fires before the statement ends, the driver stops the statement (PostgreSQL closes the
/// connection, which answers a hung server too; SQLite interrupts it), and the engine reports
/// `DatabaseError.Code.statementTimeout`.
///
/// A driver implements ``DriverConnection/armStatementDeadline(for:)`` like this:
///
/// ```swift
/// func armStatementDeadline(for timeout: Duration) -> StatementDeadline {
///     let trigger = StatementDeadline.Trigger()
///     let timer = self.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
///         if trigger.fire() { self.stopRunningStatement() }
///     }
///     return StatementDeadline(trigger: trigger) { timer.cancel() }
/// }
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
