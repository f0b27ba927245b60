import Logging
import QuarryCore
import QuarryEngine
import Synchronization
import Testing

/// The pool's own rules, with plain integers standing in for connections: what it opens, reuses,
/// discards and refuses. (The database-backed pool tests live in the driver conformance suite.)
@Suite("Connection pool")
struct ConnectionPoolTests {
    final class Opened: Sendable {
        let count = Atomic<Int>(0)
        let closed = Mutex<[Int]>([])

        /// Closing happens off the releasing task; wait (by yielding, bounded) until it is seen.
        func closedConnections(atLeast n: Int) async -> [Int] {
            for _ in 0..<100_000 {
                let closed = self.closed.withLock { $0 }
                if closed.count >= n { return closed }
                await Task.yield()
            }
            return self.closed.withLock { $0 }
        }
    }

    func makePool(
        size: Int,
        overflow: Int = 0,
        timeout: Duration = .seconds(5),
        prePing: Bool = false,
        healthy: @escaping @Sendable (Int) -> Bool = { _ in true },
        usable: @escaping @Sendable (Int) -> Bool = { _ in true },
        opened: Opened
    ) -> ConnectionPool<Int, ContinuousClock> {
        ConnectionPool(
            configuration: .init(size: size, maxOverflow: overflow, timeout: timeout, prePing: prePing),
            clock: ContinuousClock(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            open: { opened.count.add(1, ordering: .relaxed).newValue },
            close: { id in opened.closed.withLock { $0.append(id) } },
            ping: { healthy($0) },
            isUsable: { usable($0) }
        )
    }

    /// Regression (found by `scripts/chaos`, database restart under load): after the server closed
    /// the pool's idle connections, leases handed them out and the statements never completed.
    @Test func idleConnectionsClosedUnderneathAreReplacedWithoutAPing() async throws {
        let opened = Opened()
        let dead = Mutex<Set<Int>>([])
        let pool = makePool(size: 2, usable: { id in !dead.withLock { $0.contains(id) } }, opened: opened)
        _ = try await pool.withConnection { $0 }  // connection 1, now idle
        dead.withLock { _ = $0.insert(1) }  // the server closes it
        let used = try await pool.withConnection { $0 }
        #expect(used == 2, "a fresh connection replaced the dead one")
        #expect(await opened.closedConnections(atLeast: 1) == [1])
        #expect(pool.statistics.leased == 0 && pool.statistics.idle == 1)
        await pool.close()
    }

    @Test func reusesIdleConnections() async throws {
        let opened = Opened()
        let pool = makePool(size: 2, opened: opened)
        for _ in 0..<10 { _ = try await pool.withConnection { $0 } }
        #expect(opened.count.load(ordering: .relaxed) == 1)
        #expect(pool.statistics.leased == 0)
        #expect(pool.statistics.idle == 1)
        await pool.close()
    }

    @Test func manyMoreTasksThanConnectionsAllFinish() async throws {
        let opened = Opened()
        // The subject is that every task finishes on at most five connections, not how fast: a
        // generous timeout, since the whole suite shares two cores with a loaded database server
        // (once, through PgBouncer, 200 waiting tasks took longer than 5 s).
        let pool = makePool(size: 3, overflow: 2, timeout: .seconds(60), opened: opened)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<200 {
                group.addTask {
                    try await pool.withConnection { _ in
                        await Task.yield()
                        return i
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(results == (0..<200).reduce(0, +))
        #expect(opened.count.load(ordering: .relaxed) <= 5)
        #expect(pool.statistics.leased == 0)
        await pool.close()
    }

    /// When the timeout fires is `PoolTimingTests`' subject (a manual clock); this checks what a
    /// timed-out lease throws and that the pool still works after it. (A wall-clock bound here
    /// failed once under the PgBouncer run's load: two 100 ms timeouts took 6 s on two busy cores.)
    @Test func exhaustedPoolTimesOutWithTypedError() async throws {
        let pool = makePool(size: 1, timeout: .milliseconds(100), opened: Opened())
        let held = try await pool.lease()
        await #expect(throws: DatabaseError.self) { try await pool.lease() }
        do {
            _ = try await pool.lease()
            Issue.record("a lease from an exhausted pool succeeded")
        } catch let error as DatabaseError {
            #expect(error.code == .poolTimeout)
        }
        pool.release(held)
        _ = try await pool.withConnection { $0 }
        await pool.close()
    }

    @Test func discardedConnectionsAreClosedAndReplaced() async throws {
        let opened = Opened()
        let pool = makePool(size: 1, opened: opened)
        let lease = try await pool.lease()
        pool.release(lease, discard: true)
        let next = try await pool.withConnection { $0 }
        #expect(next == 2)
        #expect(await opened.closedConnections(atLeast: 1) == [1])
        await pool.close()
    }

    @Test func prePingReplacesDeadConnections() async throws {
        let opened = Opened()
        let pool = makePool(size: 1, prePing: true, healthy: { $0 != 1 }, opened: opened)
        _ = try await pool.withConnection { $0 }
        let second = try await pool.withConnection { $0 }
        #expect(second == 2)
        #expect(await opened.closedConnections(atLeast: 1).contains(1))
        await pool.close()
    }

    @Test func closedPoolRefusesAndFailsWaiters() async throws {
        let pool = makePool(size: 1, opened: Opened())
        let held = try await pool.lease()
        async let waiting: Int = pool.withConnection { $0 }
        while pool.statistics.waiting == 0 { await Task.yield() }
        await pool.close()
        do {
            _ = try await waiting
            Issue.record("waiter was served")
        } catch let error as DatabaseError { #expect(error.code == .poolClosed) }
        pool.release(held)
        do {
            _ = try await pool.lease()
            Issue.record("closed pool leased")
        } catch let error as DatabaseError { #expect(error.code == .poolClosed) }
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        let pool = makePool(size: 1, opened: Opened())
        let held = try await pool.lease()
        let waiter = Task { try await pool.withConnection { $0 } }
        while pool.statistics.waiting == 0 { await Task.yield() }
        waiter.cancel()
        do {
            _ = try await waiter.value
            Issue.record("cancelled waiter was served")
        } catch let error as DatabaseError { #expect(error.code == .cancelled) }
        #expect(pool.statistics.waiting == 0)
        pool.release(held)
        #expect(try await pool.withConnection { $0 } == 1)
        await pool.close()
    }
}
