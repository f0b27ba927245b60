import Foundation
import Quarry
import QuarryTesting
import Testing

/// The test sandbox: one connection in a transaction rolled back at the end, shared by everything
/// the engine does, concurrent requests included.
@Suite("Test sandbox")
struct SandboxTests {
    @Test(arguments: Backend.allCases)
    func aSandboxLeavesTheDatabaseAsItFoundItAndSharesItsConnection(_ backend: Backend) async throws {
        let database = try await TestDatabase.make(backend)
        TestTally.record(backend)
        try await database.run(Engine(url: database.url)) { real in
            for run in 1...2 {
                // The same statements twice: the first run's tables and rows are gone.
                try await withSandboxEngine(url: database.url) { engine in
                    try await engine.createAll(User.self, Post.self, Document.self)
                    let ada = try await engine.one(insert(User(name: "Ada", email: "ada@example.com")).returning())
                    #expect(ada.id == 1, "run \(run)")

                    // A unique violation fails alone, as with autocommit; the next statement works.
                    await #expect(throws: DatabaseError.self) {
                        try await engine.execute(insert(User(name: "Ada 2", email: "ada@example.com")))
                    }
                    // A transaction that throws is undone, and only it.
                    await #expect(throws: CancellationError.self) {
                        try await engine.withTransaction { tx in
                            try await tx.execute(insert(Post(userId: ada.id!, title: "undone")))
                            throw CancellationError()
                        }
                    }
                    // Sessions commit into the sandbox; concurrent requests share its connection.
                    try await engine.withSession { session in
                        try session.add(Post(userId: ada.id!, title: "kept"))
                        try await session.commit()
                    }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for n in 0..<20 {
                            group.addTask {
                                if n % 2 == 0 {
                                    try await engine.execute(insert(Post(userId: ada.id!, title: "c\(n)")))
                                } else {
                                    _ = try await engine.all(select(Post.self).where(\.userId == ada.id!))
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                    #expect(try await engine.scalar(select(count(), from: Post.self)) == 11)
                    #expect(try await engine.scalar(select(count(), from: Post.self).where(\.title == "undone")) == 0)

                    // Transactions of concurrent tasks take turns, so each is whole.
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for n in 0..<5 {
                            group.addTask {
                                try await engine.withSession { session in
                                    let id = try await session.one(insert(Document(title: "d\(n)")).returning()).id!
                                    try await session.modify(Document.self, id: id) { $0.title = "done \(n)" }
                                    try await session.commit()
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                    let titles = try await engine.all(select(Document.Columns.title, from: Document.self))
                    #expect(titles.sorted() == (0..<5).map { "done \($0)" })
                }
                // Outside the sandbox nothing happened.
                #expect(try await real.introspect().tables.isEmpty, "run \(run)")
            }
        }
    }

    /// A transaction opened while the same task holds another would wait for itself: it fails
    /// with `poolTimeout` once the pool timeout passes, instead of hanging.
    @Test(arguments: Backend.allCases)
    func aTransactionInsideAnotherOfTheSameTaskFailsInsteadOfHanging(_ backend: Backend) async throws {
        let database = try await TestDatabase.make(backend)
        TestTally.record(backend)
        try await database.run(Engine(url: database.url)) { _ in
            try await withSandboxEngine(url: database.url, configure: { $0.poolTimeout = .milliseconds(200) }) {
                engine in
                try await engine.createAll(Document.self)
                try await engine.withSession { outer in
                    try outer.add(Document(title: "outer"))
                    try await outer.flush()
                    do {
                        try await engine.withSession { inner in
                            try inner.add(Document(title: "inner"))
                            try await inner.commit()
                        }
                        Issue.record("the inner transaction ran inside the outer one")
                    } catch let error as DatabaseError {
                        #expect(error.code == .poolTimeout)
                        #expect(error.message.contains("take turns"))
                    }
                    try await outer.commit()
                }
                #expect(try await engine.all(select(Document.Columns.title, from: Document.self)) == ["outer"])
            }
        }
    }
}
