/// A clock read as the `Duration` since a fixed origin, for timing async work: statements on the
/// continuous clock, connection ages and lease waits on the pool's clock.
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
struct MonotonicClock<Source: Clock>: Sendable
where Source: Sendable, Source.Instant: Sendable, Source.Duration == Duration {
    private let source: Source
    private let origin: Source.Instant

    /// A clock reading `source`, whose origin is now.
    init(_ source: Source) {
        self.source = source
        self.origin = source.now
    }

    /// The time since this clock was made.
    @inline(never)
    func now() -> Duration {
        self.origin.duration(to: self.source.now)
    }
}

extension MonotonicClock where Source == ContinuousClock {
    /// A clock reading the continuous clock, whose origin is now.
    init() { self.init(ContinuousClock()) }
}
