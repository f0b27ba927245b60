/// Tasks suspended until one event happens (every lease returned, the engine shut down), woken
/// together. The check and the enqueue happen under one lock, so an event that fires between a
/// waiter's check and its suspension is never missed.
///
/// ```swift
/// let drained = WaiterList()
/// // a waiter:
/// await drained.wait(unless: { pool.isEmpty })
/// // the code that empties the pool:
/// drained.resumeAll()
/// ```
package struct WaiterList: Sendable {
    private let waiters = Locked<[CheckedContinuation<Void, Never>]>([])

    /// An empty list.
    package init() {}

    /// Suspends until ``resumeAll()``, or returns at once when `done()` is already true (evaluated
    /// under the list's lock).
    package func wait(unless done: () -> Bool) async {
        defer { ThreadSanitizerResume.acquire() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = self.waiters.withLockedValue { waiters in
                if done() { return true }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Wakes every suspended waiter.
    package func resumeAll() {
        let waiting = self.waiters.withLockedValue { waiters in
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
    }
}
