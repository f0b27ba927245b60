import Synchronization
import Testing

@testable import QuarryEngine

/// ``StatementWatch`` asked at chosen instants (no timer runs and nothing sleeps): a statement's
/// deadline expires once, only after its time, only while it runs; the repeating check starts
/// with the first statement and stops with the connection.
@Suite("Statement deadlines (one watch per connection)")
struct StatementWatchTests {
    /// Counts how often the watch starts and stops its repeating check.
    final class Timer: Sendable {
        let starts = Atomic(0)
        let stops = Atomic(0)

        func start(_ interval: Int64) -> @Sendable () -> Void {
            self.starts.add(1, ordering: .relaxed)
            return { self.stops.add(1, ordering: .relaxed) }
        }
    }

    @Test func aRunningStatementExpiresOnceAfterItsDeadline() {
        let watch = StatementWatch()
        let timer = Timer()
        let armed = ContinuousClock.now
        let deadline = watch.arm(for: .seconds(2), startTimer: timer.start)
        #expect(!watch.expired(now: armed))
        #expect(!watch.expired(now: armed + .seconds(1)))
        #expect(watch.expired(now: armed + .seconds(3)))
        #expect(!watch.expired(now: armed + .seconds(4)), "a deadline fires once")
        #expect(deadline.disarm(), "the statement learns it was stopped")
    }

    @Test func aFinishedStatementNeverExpires() {
        let watch = StatementWatch()
        let timer = Timer()
        let armed = ContinuousClock.now
        let first = watch.arm(for: .seconds(1), startTimer: timer.start)
        #expect(!first.disarm())
        #expect(!watch.expired(now: armed + .seconds(5)))
        // The next statement has its own deadline; disarming the old one again changes nothing.
        let second = watch.arm(for: .seconds(10), startTimer: timer.start)
        #expect(!first.disarm())
        #expect(!watch.expired(now: armed + .seconds(5)))
        #expect(watch.expired(now: armed + .seconds(11)))
        #expect(second.disarm())
    }

    @Test func theCheckStartsWithTheFirstStatementAndStopsWithTheConnection() {
        let watch = StatementWatch()
        let timer = Timer()
        for _ in 0..<3 { _ = watch.arm(for: .seconds(1), startTimer: timer.start).disarm() }
        #expect(timer.starts.load(ordering: .relaxed) == 1)
        watch.stop()
        watch.stop()
        #expect(timer.stops.load(ordering: .relaxed) == 1)
        _ = watch.arm(for: .seconds(1), startTimer: timer.start)
        #expect(timer.starts.load(ordering: .relaxed) == 1, "a stopped watch starts no check")
    }

    @Test func theCheckRunsEveryTenthOfTheTimeoutWithinBounds() {
        #expect(StatementWatch.checkInterval(for: .milliseconds(300)) == 30)
        #expect(StatementWatch.checkInterval(for: .milliseconds(20)) == 10)
        #expect(StatementWatch.checkInterval(for: .seconds(16)) == 250)
    }
}
