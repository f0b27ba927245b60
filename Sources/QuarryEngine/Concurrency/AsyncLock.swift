import QuarryCore

/// A FIFO lock for async code: `withLock` suspends (never blocks a thread) until the lock is free.
/// Statements sharing one connection take it so they run one after another, never interleaved.
///
/// ```swift
/// let lock = AsyncLock()
/// try await lock.withLock { try await connection.run(statement) }
/// ```
public final class AsyncLock: Sendable {
    private struct State {
        var isLocked = false
        var nextID = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let state = Locked(State())

    /// Creates an unlocked lock.
    public init() {}

    /// Runs `body` holding the lock.
    /// - Throws: `DatabaseError` `cancelled` when the task is cancelled while waiting
    ///   (it then never runs `body`), or what `body` throws.
    public func withLock<R>(_ body: () async throws -> R) async throws -> R {
        try await self.lock()
        defer { self.unlock() }
        return try await body()
    }

    private func lock() async throws {
        let id: Int? = self.state.withLockedValue { state in
            if !state.isLocked {
                state.isLocked = true
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        // The previous holder's writes, handed over with the lock.
        defer { ThreadSanitizerResume.acquire() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case acquired, cancelled, queued }
                // Decide and enqueue under one lock so an unlock in between cannot be missed.
                let action: Action = self.state.withLockedValue { state in
                    if !state.isLocked {
                        state.isLocked = true
                        return .acquired
                    }
                    if Task.isCancelled { return .cancelled }
                    state.waiters.append((id, continuation))
                    return .queued
                }
                switch action {
                case .acquired: continuation.resume()
                case .cancelled: continuation.resume(throwing: Self.cancelled())
                case .queued: break
                }
            }
        } onCancel: {
            let waiter: CheckedContinuation<Void, any Error>? = self.state.withLockedValue { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: Self.cancelled())
        }
    }

    private static func cancelled() -> DatabaseError {
        DatabaseError(.cancelled, message: "Cancelled while waiting for a shared connection")
    }

    private func unlock() {
        let next: CheckedContinuation<Void, any Error>? = self.state.withLockedValue { state in
            if state.waiters.isEmpty {
                state.isLocked = false
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
