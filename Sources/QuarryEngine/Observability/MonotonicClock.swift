/// The continuous clock read as a `Duration` since a fixed origin, for timing async work.
///
/// `ContinuousClock.Instant` has no fixed layout outside the standard library, so an async
/// function that keeps one across a suspension (a statement's start) allocates room for it from
/// the task on every call. A `Duration` has a fixed layout; ``now()`` reads the clock in a
/// synchronous call of its own and returns only that.
///
/// ```swift
/// let clock = MonotonicClock()
/// let start = clock.now()
/// try await work()
/// let elapsed = clock.now() - start
/// ```
struct MonotonicClock: Sendable {
    private let origin = ContinuousClock.now

    /// The time since this clock was made.
    @inline(never)
    func now() -> Duration {
        self.origin.duration(to: .now)
    }
}
