package import NIOCore
package import QuarryEngine

extension StatementWatch {
    /// Watches the statement about to run, with the connection's one repeating check on
    /// `eventLoop` (started by the first statement): every interval, `check` runs there and
    /// returns whether to go on (`false` once the connection is gone).
    ///
    /// ```swift
    /// self.watch.arm(for: timeout, on: self.eventLoop) { [weak self] in
    ///     guard let self else { return false }
    ///     if self.watch.expired() { self.stopRunningStatement() }
    ///     return true
    /// }
    /// ```
    package func arm(
        for timeout: Duration,
        on eventLoop: any EventLoop,
        check: @escaping @Sendable () -> Bool
    ) -> StatementDeadline {
        self.arm(for: timeout) { interval in
            let every = TimeAmount.milliseconds(interval)
            let task = eventLoop.scheduleRepeatedTask(initialDelay: every, delay: every) { task in
                if !check() { task.cancel() }
            }
            return { task.cancel() }
        }
    }
}
