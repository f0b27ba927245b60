import Logging
import QuarryCore
import QuarryEngine
import QuarryTesting
import Synchronization
import Testing

/// The pool's time-dependent rules driven by a ``ManualClock``: no test here sleeps, and none
/// depends on how busy the machine is. Integers stand in for connections.
@Suite("Connection pool timing (manual clock)")
struct PoolTimingTests {
    final class Connections: Sendable {
        let opened = Atomic<Int>(0)
        let closed = Mutex<[Int]>([])
        var closedList: [Int] { self.closed.withLock { $0 } }
    }

    func makePool(
        size: Int,
        overflow: Int = 0,
        timeout: Duration = .seconds(5),
        recycle: Duration? = nil,
        prePing: Bool = false,
        clock: ManualClock,
        connections: Connections,
        healthy: @escaping @Sendable (Int) -> Bool = { _ in true }
    ) -> ConnectionPool<Int, ManualClock> {
        ConnectionPool(
            configuration: .init(
                size: size,
                maxOverflow: overflow,
                timeout: timeout,
                recycle: recycle,
                prePing: prePing
            ),
            clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            open: { connections.opened.add(1, ordering: .relaxed).newValue },
            close: { id in connections.closed.withLock { $0.append(id) } },
            ping: { healthy($0) }
        )
    }

    /// Waits (by yielding, bounded) until `condition` holds: for state another task produces.
    func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<100_000 {
            if condition() { return true }
            await Task.yield()
        }
        return condition()
    }

    @Test func aWaitingLeaseTimesOutOnlyOnceItsDeadlinePasses() async throws {
        let clock = ManualClock()
        let pool = makePool(size: 1, timeout: .seconds(5), clock: clock, connections: Connections())
        let held = try await pool.lease()
        let waiter = Task { try await pool.lease() }
        await clock.waitForSleeps(atLeast: 1)  // the deadline sweeper is waiting on the clock
        #expect(pool.statistics.waiting == 1)
        clock.advance(by: .milliseconds(4_900))  // just before the deadline
        await clock.waitForSleeps(atLeast: 2)  // the sweeper looked, and sleeps again
        #expect(pool.statistics.waiting == 1, "still waiting 100 ms before its deadline")
        clock.advance(by: .milliseconds(200))
        await #expect { try await waiter.value } throws: { ($0 as? DatabaseError)?.code == .poolTimeout }
        #expect(pool.statistics.waiting == 0)
        pool.release(held)
        await pool.close()
    }

    @Test func aLeaseThatGetsAConnectionBeforeItsDeadlineDoesNotTimeOut() async throws {
        let clock = ManualClock()
        let pool = makePool(size: 1, timeout: .seconds(5), clock: clock, connections: Connections())
        let held = try await pool.lease()
        let waiter = Task { try await pool.lease() }
        await clock.waitForSleeps(atLeast: 1)
        pool.release(held)  // handed straight to the waiter
        let lease = try await waiter.value
        #expect(lease.connection == held.connection)
        clock.advance(by: .seconds(60))  // long past the old deadline: nothing fails
        #expect(pool.statistics.leased == 1)
        pool.release(lease)
        await pool.close()
    }

    @Test func aCancelledWaiterLeavesTheQueueWithATypedError() async throws {
        let clock = ManualClock()
        let pool = makePool(size: 1, clock: clock, connections: Connections())
        let held = try await pool.lease()
        let waiter = Task { try await pool.lease() }
        #expect(await eventually { pool.statistics.waiting == 1 })
        waiter.cancel()
        await #expect { try await waiter.value } throws: { ($0 as? DatabaseError)?.code == .cancelled }
        #expect(pool.statistics.waiting == 0)
        pool.release(held)
        let again = try await pool.withConnection { $0 }
        #expect(again == held.connection, "the connection went back to the pool, not to the cancelled waiter")
        await pool.close()
    }

    @Test func overflowConnectionsOpenUnderLoadAndCloseWhenReturned() async throws {
        let clock = ManualClock()
        let connections = Connections()
        let pool = makePool(size: 1, overflow: 1, clock: clock, connections: connections)
        let first = try await pool.lease()
        let second = try await pool.lease()  // overflow
        #expect((first.connection, second.connection) == (1, 2))
        let third = Task { try await pool.lease() }
        #expect(await eventually { pool.statistics.waiting == 1 }, "size + overflow are in use: the third waits")
        pool.release(second)  // goes to the waiter, not closed
        let thirdLease = try await third.value
        #expect(thirdLease.connection == 2)
        pool.release(thirdLease)  // no waiter: an overflow connection is closed
        pool.release(first)  // kept: within size
        await pool.close()
        #expect(connections.closedList.sorted() == [1, 2])
        #expect(connections.opened.load(ordering: .relaxed) == 2)
    }

    @Test func connectionsOlderThanRecycleAreReplacedAtTheirNextLease() async throws {
        let clock = ManualClock()
        let connections = Connections()
        let pool = makePool(size: 1, recycle: .seconds(60), clock: clock, connections: connections)
        #expect(try await pool.withConnection { $0 } == 1)
        clock.advance(by: .seconds(59))
        #expect(try await pool.withConnection { $0 } == 1, "59 s old: reused")
        clock.advance(by: .seconds(2))
        #expect(try await pool.withConnection { $0 } == 2, "61 s old: replaced")
        await pool.close()
        #expect(connections.closedList.sorted() == [1, 2])
    }

    @Test func prePingReplacesAConnectionThatFailsIt() async throws {
        let clock = ManualClock()
        let connections = Connections()
        let pool = makePool(size: 1, prePing: true, clock: clock, connections: connections, healthy: { $0 != 1 })
        #expect(try await pool.withConnection { $0 } == 1)  // a new connection is not pinged
        #expect(try await pool.withConnection { $0 } == 2, "connection 1 failed its ping")
        #expect(try await pool.withConnection { $0 } == 2)
        await pool.close()
        #expect(connections.closedList.sorted() == [1, 2])
    }

    @Test func runOwnsTheBackgroundWorkAndReturnsAfterClose() async throws {
        let clock = ManualClock()
        let connections = Connections()
        let pool = makePool(size: 1, clock: clock, connections: connections)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await pool.run() }
            let lease = try await pool.lease()
            pool.release(lease, discard: true)  // closed by run()'s task group
            #expect(try await pool.withConnection { $0 } == 2)
            await pool.close()  // run() returns once every close has finished
        }
        #expect(connections.closedList.sorted() == [1, 2])
    }

    @Test func closeWaitsForLeasedConnectionsToComeBack() async throws {
        let clock = ManualClock()
        let connections = Connections()
        let pool = makePool(size: 2, clock: clock, connections: connections)
        let lease = try await pool.lease()
        let closing = Task { await pool.close() }
        await clock.waitForSleeps(atLeast: 1)  // close() waits, bounded by the pool timeout on the clock
        #expect(connections.closedList.isEmpty)
        pool.release(lease)
        await closing.value
        #expect(connections.closedList == [1], "the connection returned during close() was closed before it returned")
    }
}
