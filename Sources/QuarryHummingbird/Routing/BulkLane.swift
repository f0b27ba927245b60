import NIOPosix
@_spi(Locking) import QuarryEngine

/// Where large request bodies are parsed and validated: on NIO's blocking thread pool (never on
/// the cooperative threads every other request needs), one body at a time, so bulk work uses at
/// most one core and small requests keep theirs (`scripts/chaos --release wide-json`: `/health`
/// stays fast while megabyte bodies with 100,000 keys arrive). One lane per ``APIRoutes``.
///
/// ```swift
/// let lane = BulkLane()
/// let value = try await lane.run { try JSONValue.parse(data) }
/// ```
final class BulkLane: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Locked(State())

    init() {}

    /// Runs `work` when the lane is free; a task cancelled while it waited does not run it.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        await self.enter()
        defer { self.leave() }
        try Task.checkCancellation()
        // The result was made on a thread-pool thread.
        defer { ThreadSanitizerResume.acquire() }
        return try await NIOThreadPool.singleton.runIfActive(work)
    }

    private func enter() async {
        defer { ThreadSanitizerResume.acquire() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let entered = self.state.withLockedValue { state in
                guard state.busy else {
                    state.busy = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if entered { continuation.resume() }
        }
    }

    /// Hands the lane to the next waiter, or frees it.
    private func leave() {
        let next = self.state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
