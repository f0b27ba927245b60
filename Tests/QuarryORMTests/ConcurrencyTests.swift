import Foundation
import Quarry
import QuarryTesting
import Synchronization
import Testing

@Suite("Concurrent statements on one session")
struct ConcurrencyTests {
    static let cases: [(Backend, Int)] = Backend.allCases.flatMap { b in [2, 10, 100].map { (b, $0) } }

    func seed(_ engine: Engine) async throws {
        try await engine.createAll(User.self, Post.self)
        try await engine.withTransaction { tx in
            for u in 1...20 {
                let user = try await tx.one(insert(User(name: "user \(u)", email: "u\(u)@example.com")).returning())
                try await tx.execute(
                    insert(
                        (0..<(u % 4)).map { Post(userId: user.id!, title: "p\($0)") }.isEmpty
                            ? [Post(userId: user.id!, title: "only")]
                            : (0..<(u % 4)).map { Post(userId: user.id!, title: "p\($0)") }
                    )
                )
            }
        }
    }

    @Test(arguments: cases)
    func concurrentReadsOutsideATransaction(_ backend: Backend, _ statements: Int) async throws {
        try await withTestEngine(backend, configure: { $0.poolSize = 4 }) { engine in
            try await seed(engine)
            let expected = try await engine.all(select(User.self).orderBy(\.id))
            try await engine.withSession { session in
                try await withThrowingTaskGroup(of: (Int, User?).self) { group in
                    for i in 0..<statements {
                        let id = Int64(i % 20 + 1)
                        group.addTask { (i, try await session.get(User.self, id: id)) }
                    }
                    for try await (i, user) in group { #expect(user == expected[i % 20]) }
                }
                #expect(!session.isInTransaction)
            }
            #expect(engine.poolStatistics.leased == 0)
        }
    }

    @Test(arguments: cases)
    func concurrentStatementsInsideATransaction(_ backend: Backend, _ statements: Int) async throws {
        try await withTestEngine(backend) { engine in
            try await seed(engine)
            let session = Session(engine)
            try await session.withTransaction {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<statements {
                        group.addTask {
                            if i % 2 == 0 {
                                var user = User(name: "new \(i)", email: "new\(i)@example.com")
                                try await session.insert(&user)
                                let again = try await session.one(select(User.self).where(\.id == user.id))
                                #expect(
                                    again.email == "new\(i)@example.com",
                                    "a write is visible to the transaction at once"
                                )
                            } else {
                                let n = try await session.scalar(
                                    select(count(), from: Post.self).where(\.userId == Int64(i % 20 + 1))
                                )
                                #expect(n == max(1, (i % 20 + 1) % 4))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            await session.close()
            #expect(try await engine.scalar(select(count(), from: User.self)) == 20 + (statements + 1) / 2)
            #expect(engine.poolStatistics.leased == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func gatherReturnsATypedTuple(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await seed(engine)
            try await engine.withSession { session in
                let (user, posts, total, missing) = try await session.gather(
                    select(User.self).where(\.id == 3).oneOrNone(),
                    select(Post.self).where(\.userId == 3).orderBy(\.id).all(),
                    select(count(), from: User.self).scalar(),
                    select(User.self).where(\.id == 999).oneOrNone()
                )
                #expect(user?.email == "u3@example.com")
                #expect(posts.map(\.title) == ["p0", "p1", "p2"])
                #expect(total == 20)
                #expect(missing == nil)
                await #expect(throws: DatabaseError.self) {
                    _ = try await session.gather(select(User.self).one(), select(count(), from: Post.self).scalar())
                }
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func gatherOutsideATransactionRunsInParallel(_ backend: Backend) async throws {
        let recorder = LogRecorder()
        try await withTestEngine(
            backend,
            configure: {
                $0.poolSize = 4
                $0.echo = true
                $0.logger = recorder.logger()
            }
        ) { engine in
            try await engine.withSession { session in
                // The first fetch keeps its connection (mid-stream) until the second has finished:
                // that can only happen if the second ran on a connection of its own, in parallel.
                let secondDone = Atomic<Bool>(false)
                let (a, b) = try await session.gather(
                    Fetch { s in
                        try await s.stream(SQLQuery<Int>("SELECT 1").readOnly()) { rows in
                            let deadline = ContinuousClock.now + .seconds(10)
                            while !secondDone.load(ordering: .acquiring), ContinuousClock.now < deadline {
                                await Task.yield()
                            }
                            var values: [Int] = []
                            for try await value in rows { values.append(value) }
                            return secondDone.load(ordering: .acquiring) ? values.first ?? 0 : -1
                        }
                    },
                    Fetch { s in
                        defer { secondDone.store(true, ordering: .releasing) }
                        return try await s.scalar(SQLQuery<Int>("SELECT 2").readOnly())
                    }
                )
                #expect((a, b) == (1, 2), "the first fetch saw the second finish while it held its connection")
                if backend == .postgres {
                    // Two 0.2 s statements, timed by the server (when each started, when each
                    // ended): run in parallel, they were both executing at some moment; run one
                    // after the other, the second starts after the first ended. Overlap, not the
                    // span of the two, is the test: a busy client machine (the suite runs tests in
                    // parallel on two cores, and again through PgBouncer in CI) may send the second
                    // late — a fresh-clone run once saw the pair span 0.36 s in six attempts — but
                    // cannot make serial statements overlap. Up to six attempts, until one overlaps.
                    let timed = SQLQuery<String>(
                        "SELECT format('%s %s', extract(epoch FROM statement_timestamp()), extract(epoch FROM clock_timestamp())) FROM pg_sleep(0.2)"
                    ).readOnly()
                    var overlap = -Double.infinity
                    for _ in 0..<6 where overlap <= 0 {
                        let (c, d) = try await session.gather(timed.scalar(), timed.scalar())
                        let times = (c + " " + d).split(separator: " ").compactMap { Double($0) }
                        #expect(times.count == 4)
                        guard times.count == 4 else { break }
                        overlap = max(overlap, min(times[1], times[3]) - max(times[0], times[2]))
                    }
                    #expect(
                        overlap > 0,
                        "two 0.2 s statements never ran at the same time on the server (overlap \(overlap) s)"
                    )
                }
            }
            // Nothing held a connection for the session in between: no transaction was opened.
            #expect(!recorder.statements.contains { $0.hasPrefix("BEGIN") })
            #expect(engine.poolStatistics.leased == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func gatherInsideATransactionSeesOneSnapshot(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await seed(engine)
            let session = Session(engine)
            try await session.withTransaction(isolation: .repeatableRead, readOnly: true) {
                // The first read fixes the transaction's snapshot.
                let before = try await session.scalar(select(count(), from: User.self))
                // Another connection commits in between.
                try await engine.execute(insert(User(name: "late", email: "late@example.com")))
                #expect(try await engine.scalar(select(count(), from: User.self)) == before + 1)
                let (users, alsoUsers) = try await session.gather(
                    select(count(), from: User.self).scalar(),
                    select(User.self).all()
                )
                #expect(users == before)
                #expect(alsoUsers.count == before)
            }
            await session.close()
        }
    }

    /// Regression (found by `scripts/chaos`, clients leaving mid-query): a write that waits in the
    /// pool for its session's BEGIN kept its place after its task was cancelled (the BEGIN is a
    /// task of its own, shared by the session's concurrent statements), so the request of a client
    /// that had left took a connection later and ran its statement.
    @Test(arguments: Backend.allCases)
    func aCancelledWriteGivesUpItsPlaceInThePoolQueue(_ backend: Backend) async throws {
        try await withTestEngine(
            backend,
            configure: {
                $0.poolSize = 1
                $0.maxOverflow = 0
            }
        ) { engine in
            try await engine.createAll(User.self)
            let holder = try await engine.checkout()  // the pool's only connection
            let session = Session(engine)
            let write = Task {
                try await session.execute(insert(User(name: "late", email: "late@example.com")))
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while engine.poolStatistics.waiting == 0, ContinuousClock.now < deadline { await Task.yield() }
            #expect(engine.poolStatistics.waiting == 1, "the session's BEGIN waits for a connection")
            write.cancel()
            await #expect { try await write.value } throws: { ($0 as? DatabaseError)?.code == .cancelled }
            #expect(engine.poolStatistics.waiting == 0, "it left the queue")
            await holder.release()
            await session.close()
            #expect(try await engine.scalar(select(count(), from: User.self)) == 0, "nothing was written")
            #expect(engine.poolStatistics.leased == 0)
        }
    }
}
