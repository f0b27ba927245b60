import Foundation
import Quarry
import QuarryTesting
import Testing

/// Read replicas: PostgreSQL-only by nature (SQLite has no replication), so these build their own
/// engines on the streaming replica that scripts/test starts next to the primary.
/// Serialized: one test pauses the replica's replay, which the others would feel.
@Suite("Read replicas", .serialized)
struct ReplicaTests {
    /// A primary + replica engine over a fresh schema, whose tables have reached the replica.
    /// No lag limit unless a test sets one: the routing tests expect reads on the replica, and a
    /// replica seconds behind (as under the suite through PgBouncer, whose per-test databases it
    /// must replay) is rightly left out by a limit — a CI run once saw `maxLag: 5 s` send the first
    /// read to the primary.
    func withReplicatedEngine(
        extraReplicas: [String] = [],
        applicationName: String? = nil,
        maxLag: Duration? = nil,
        _ body: (Engine) async throws -> Void
    ) async throws {
        let database = try await TestDatabase.make(.postgres)
        var replicaURL = try database.replicaURL()
        if let applicationName { replicaURL.query["application_name"] = applicationName }
        var configuration = EngineConfiguration(poolSize: 4)
        configuration.poolTimeout = .seconds(5)
        // The default 10 s: the unreachable extra replica (port 1) is refused at once, and 2 s
        // timed out a real connection under ThreadSanitizer on a loaded host (CI of 0dc685e).
        configuration.connectTimeout = .seconds(10)
        configuration.replicaRetryInterval = .milliseconds(200)
        configuration.maxReplicaLag = maxLag
        let engine = try Engine(
            primary: database.url.connectionString,
            replicas: [replicaURL.connectionString] + extraReplicas,
            configuration: configuration
        )
        try await database.run(engine) { engine in
            try await engine.primary.execute(createTable(User.self, ifNotExists: true))
            // Wait (bounded) until reads are served by the replica and the table has reached it. (A
            // database made for this test — as behind PgBouncer — may reach the replica later than
            // the first read: the replica is then skipped until its retry interval has passed.)
            let replicaHasTheTable = SQLQuery<Bool>("SELECT pg_is_in_recovery() AND to_regclass('users') IS NOT NULL")
                .readOnly()
            let deadline = ContinuousClock.now + .seconds(20)
            while (try? await engine.scalar(replicaHasTheTable)) != true, ContinuousClock.now < deadline {
                await Task.yield()
            }
            try await body(engine)
        }
    }

    /// Marked read-only: raw SQL is routed as a write otherwise (to the primary).
    let inRecovery = SQLQuery<Bool>("SELECT pg_is_in_recovery()").readOnly()

    @Test func readsGoToTheReplicaWritesAndTransactionsToThePrimary() async throws {
        try await withReplicatedEngine { engine in
            #expect(try await engine.scalar(inRecovery) == true, "a plain read is served by the replica")
            #expect(try await engine.primary.scalar(inRecovery) == false, "engine.primary forces the primary")
            let query = inRecovery
            let inTransaction = try await engine.withTransaction { tx in try await tx.scalar(query) }
            #expect(inTransaction == false, "transactions run on the primary")
            try await engine.execute(insert(User(name: "Ada", email: "ada@example.com")))
            #expect(try await engine.primary.scalar(select(count(), from: User.self)) == 1)
        }
    }

    @Test func aSessionThatWroteReadsItsWritesFromThePrimary() async throws {
        try await withReplicatedEngine { engine in
            try await engine.withSession { session in
                #expect(try await session.scalar(inRecovery) == true, "before writing, reads may use a replica")
                for n in 0..<20 {
                    var user = User(name: "u\(n)", email: "u\(n)@example.com")
                    try await session.insert(&user)
                    try await session.commit()
                    // Read-your-writes at once, whatever the replica's lag.
                    #expect(try await session.get(User.self, id: user.id!) == user)
                    #expect(try await session.scalar(select(count(), from: User.self)) == Int64(n + 1))
                }
                #expect(try await session.scalar(inRecovery) == false)
            }
        }
    }

    @Test func anUnreachableReplicaIsSkippedWithoutFailingARequest() async throws {
        try await withReplicatedEngine(extraReplicas: ["postgresql://postgres@127.0.0.1:1/postgres"]) { engine in
            for _ in 0..<20 {
                let served = try await engine.scalar(inRecovery)
                #expect(served == true)
            }
        }
    }

    /// A replica whose connections all die under the engine (as when it stops or restarts): the
    /// next reads find the pooled connections closed, replace them, and none fails.
    @Test func connectionsDroppedByTheReplicaFailNoRead() async throws {
        let name = "quarry-replica-drop-\(UInt32.random(in: 0...UInt32.max))"
        try await withReplicatedEngine(applicationName: name) { engine in
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 { group.addTask { try await engine.scalar(inRecovery) } }
                for try await served in group { #expect(served) }
            }
            // From a separate connection to the replica, end every backend serving the engine.
            let replicaURL = try #require(ProcessInfo.processInfo.environment[TestDatabase.replicaURLVariable])
            let admin = try Engine(replicaURL, configuration: EngineConfiguration(poolSize: 1))
            let ended = try await admin.scalar(
                SQLQuery<Int64>(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = \(name)"
                )
            )
            #expect(ended >= 1)
            let remaining = SQLQuery<Int64>("SELECT count(*) FROM pg_stat_activity WHERE application_name = \(name)")
            let deadline = ContinuousClock.now + .seconds(10)
            while try await admin.scalar(remaining) > 0, ContinuousClock.now < deadline { await Task.yield() }
            await admin.shutdown()
            for _ in 0..<20 {
                let answer = try await engine.scalar(select(count(), from: User.self))
                #expect(answer == 0)
            }
        }
    }

    /// Regression (found by the suite through PgBouncer, whose per-test databases put the
    /// replica's replay seconds behind): a replica once measured past `maxReplicaLag` served no
    /// more reads, and since its lag was only measured after a read it served, it stayed out of
    /// rotation for good. It now comes back once it has caught up.
    @Test func aReplicaThatCaughtUpServesReadsAgain() async throws {
        try await withReplicatedEngine(maxLag: .milliseconds(200)) { engine in
            let replicaURL = try #require(ProcessInfo.processInfo.environment[TestDatabase.replicaURLVariable])
            let admin = try Engine(replicaURL, configuration: EngineConfiguration(poolSize: 1, maxOverflow: 0))
            /// Whether reads answer `pg_is_in_recovery() = expected` (served by the replica when `true`) within `limit`.
            func readsInRecovery(_ expected: Bool, within limit: Duration) async throws -> Bool {
                let deadline = ContinuousClock.now + limit
                while ContinuousClock.now < deadline {
                    if try await engine.scalar(inRecovery) == expected { return true }
                    await Task.yield()
                }
                return false
            }
            do {
                #expect(try await readsInRecovery(true, within: .seconds(10)))
                // The replica receives this write but does not replay it: its lag passes 200 ms.
                try await admin.execute(SQL("SELECT pg_wal_replay_pause()"))
                try await engine.primary.execute(insert(User(name: "Lag", email: "lag@example.com")))
                #expect(try await readsInRecovery(false, within: .seconds(10)), "a lagging replica is left out")
                try await admin.execute(SQL("SELECT pg_wal_replay_resume()"))
                #expect(try await readsInRecovery(true, within: .seconds(10)), "back in rotation once it has caught up")
            } catch {
                _ = try? await admin.execute(SQL("SELECT pg_wal_replay_resume()"))
                await admin.shutdown()
                throw error
            }
            await admin.shutdown()
        }
    }
}
