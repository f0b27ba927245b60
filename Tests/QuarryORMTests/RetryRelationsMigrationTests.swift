import Foundation
import Logging
import Quarry
import QuarryTesting
import Synchronization
import Testing

@Suite("Serializable retries, relations, migrations and the N+1 warning")
struct RetryRelationsMigrationTests {
    @Test(arguments: Backend.allCases)
    func concurrentSerializableTransfersLoseNothing(_ backend: Backend) async throws {
        try await withTestEngine(
            backend,
            configure: {
                $0.poolSize = 8
                $0.maxOverflow = 0
                $0.poolTimeout = .seconds(30)
            }
        ) { engine in
            try await engine.createAll(Account.self)
            try await engine.execute(insert((1...5).map { Account(id: $0, balance: 1_000) }))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        let from = Int64(i % 5 + 1)
                        let to = Int64((i + 2) % 5 + 1)
                        let amount = Int64(10 + i)
                        try await engine.withTransaction(isolation: .serializable, retries: 50) { tx in
                            let a = try await tx.one(select(Account.self).where(\.id == from))
                            let b = try await tx.one(select(Account.self).where(\.id == to))
                            try await tx.execute(
                                update(Account.self).set(\.balance, to: a.balance - amount).where(\.id == from)
                            )
                            try await tx.execute(
                                update(Account.self).set(\.balance, to: b.balance + amount).where(\.id == to)
                            )
                        }
                    }
                }
                try await group.waitForAll()
            }
            let balances = try await engine.all(select(Account.self).orderBy(\.id)).map(\.balance)
            #expect(balances.reduce(0, +) == 5_000)
            // Every transfer applied exactly once: the expected per-account result.
            var expected = [Int64](repeating: 1_000, count: 5)
            for i in 0..<20 {
                expected[i % 5] -= Int64(10 + i)
                expected[(i + 2) % 5] += Int64(10 + i)
            }
            #expect(balances == expected)
        }
    }

    func seedAuthors(_ engine: Engine, users: Int) async throws {
        try await engine.createAll(User.self, Post.self)
        try await engine.withTransaction { tx in
            for u in 1...users {
                let user = try await tx.one(insert(User(name: "user \(u)", email: "u\(u)@example.com")).returning())
                let posts = (0..<(u % 3)).map { Post(userId: user.id!, title: "post \($0) of \(u)") }
                if !posts.isEmpty { try await tx.execute(insert(posts)) }
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func selectInAndJoinedLoadingAgree(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await seedAuthors(engine, users: 30)
            for parents in [3, 30] {
                let query = select(User.self).where(\.id <= Int64(parents)).orderBy(\.id)
                let before = recorder.statements.count
                let selectIn = try await engine.all(query.including(all: User.posts))
                #expect(recorder.statements.count - before == 2, "selectin is two statements for \(parents) parents")
                let joined = try await engine.all(query.including(all: User.posts, using: .join))
                #expect(selectIn == joined)
                #expect(selectIn.count == parents)
                #expect(selectIn.map { $0.children.count } == (1...parents).map { $0 % 3 })
                #expect(selectIn[1].name == "user 2")
            }
            let withAuthor = try await engine.all(select(Post.self).orderBy(\.id).including(required: Post.author))
            let postsOfThirtyUsers: Int = (1...30).reduce(0) { $0 + $1 % 3 }
            #expect(withAuthor.count == postsOfThirtyUsers)
            #expect(withAuthor.allSatisfy { $0.parent.id == $0.userId })
            let optional = try await engine.all(select(Post.self).orderBy(\.id).including(optional: Post.author))
            #expect(optional.map(\.parent) == withAuthor.map(\.parent))
            try await engine.withSession { session in
                let (authors, postCount) = try await session.gather(
                    select(User.self).where(\.id <= 5).orderBy(\.id).including(all: User.posts).all(),
                    select(count(), from: Post.self).scalar()
                )
                #expect(authors.map(\.children.count) == [1, 2, 0, 1, 2])
                #expect(postCount == Int64(withAuthor.count))
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func repeatedSingleRowSelectsWarnOnce(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await seedAuthors(engine, users: 30)
            let users = try await engine.all(select(User.self).orderBy(\.id))
            try await engine.withSession(configuration: .init(repeatedStatementWarningThreshold: 10)) { session in
                for user in users {
                    _ = try await session.all(select(Post.self).where(\Post.userId == user.id!))
                }
            }
            let warnings = recorder.entries.filter { $0.level == .warning && $0.message.contains("N+1") }
            #expect(warnings.count == 1)
            #expect(warnings.first?.metadata["db.query.text"]?.contains("\"posts\"") == true)
            #expect(warnings.first?.message.contains("including(all:)") == true)
        }
    }

    final class Runs: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func note(_ name: String) { self.counts.withLock { $0[name, default: 0] += 1 } }
        var snapshot: [String: Int] { self.counts.withLock { $0 } }
    }

    static func migrations(_ runs: Runs) -> [Migration] {
        [
            Migration("001_users_and_posts") { db in
                runs.note("001_users_and_posts")
                try await db.createAll(User.self, Post.self)
            },
            Migration(
                "002_seed_user",
                sql:
                    "INSERT INTO users (name, email, created_at) VALUES ('Seed', 'seed@example.com', CURRENT_TIMESTAMP)"
            ),
            Migration("003_index") { db in
                runs.note("003_index")
                try await db.execute(SQL("CREATE INDEX users_name ON users (name)"))
            },
        ]
    }

    @Test(arguments: Backend.allCases)
    func concurrentMigratorsRunEachMigrationOnce(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let runs = Runs()
            let other = try Engine(url: engine.url, configuration: .init(poolSize: 2))
            async let first = Migrator(Self.migrations(runs)).migrate(engine)
            async let second = Migrator(Self.migrations(runs)).migrate(other)
            let outcome: Result<([String], [String]), any Error>
            do { outcome = .success(try await (first, second)) } catch { outcome = .failure(error) }
            await other.shutdown()
            let (a, b) = try outcome.get()
            #expect((a + b).sorted() == ["001_users_and_posts", "002_seed_user", "003_index"])
            #expect(runs.snapshot == ["001_users_and_posts": 1, "003_index": 1])
            #expect(try await engine.scalar(select(count(), from: User.self)) == 1)
            #expect(
                try await Migrator.appliedMigrations(on: engine) == [
                    "001_users_and_posts", "002_seed_user", "003_index",
                ]
            )
            #expect(try await Migrator(Self.migrations(runs)).migrate(engine).isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func unknownAppliedMigrationIsReported(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let runs = Runs()
            try await Migrator(Self.migrations(runs)).migrate(engine)
            let older = Array(Self.migrations(runs).prefix(2))
            do {
                try await Migrator(older).migrate(engine)
                Issue.record("an unknown applied migration was ignored")
            } catch let error as MigrationError {
                #expect(error.code == .unknownAppliedMigrations)
                #expect(error.migrations == ["003_index"])
                #expect(error.description.contains("003_index"))
            }
        }
    }
}
