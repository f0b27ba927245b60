import Foundation
import Quarry
import QuarryTesting
import Testing

@Suite("Session unit of work")
struct UnitOfWorkTests {
    /// 10,000 `add`s flush as multi-row `INSERT`s under the bind limit (one on PostgreSQL, two
    /// on SQLite), interleaved tables still parents first; at a commit, which clears the identity
    /// map, they return no rows.
    @Test(arguments: Backend.allCases)
    func addsOfOneTableFlushAsMultiRowInserts(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self, Post.self)
            let before = recorder.statements.count
            try await engine.withSession { session in
                for i in 0..<10_000 { try session.add(User(name: "u\(i)", email: "u\(i)@example.com")) }
                // A parent with an explicit key, its child added first, and a row whose key is given.
                try session.add(Post(id: 1, userId: 20_000, title: "t", body: "b"))
                try session.add(User(id: 20_000, name: "parent", email: "parent@example.com"))
                try await session.commit()
            }
            let inserts = recorder.statements[before...].filter { $0.hasPrefix("INSERT") }
            #expect(inserts.count == (backend == .sqlite ? 4 : 3), "\(inserts.map { $0.prefix(40) })")
            #expect(inserts.last?.hasPrefix("INSERT INTO \"posts\"") == true)
            #expect(inserts.allSatisfy { !$0.contains("RETURNING") })
            #expect(try await engine.scalar(select(count(), from: User.self)) == 10_001)
            try await engine.withSession { session in
                let known = try await session.all(select(User.self).where(User.Columns.email == "u9999@example.com"))
                #expect(known.first?.id != nil)
            }
        }
    }

    /// A flush before the commit returns the inserted rows and records them with their assigned
    /// keys: `get` answers from memory.
    @Test(arguments: Backend.allCases)
    func aFlushRecordsAddedRowsWithTheirKeys(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self)
            try await engine.withSession { session in
                for i in 1...3 { try session.add(User(name: "u\(i)", email: "u\(i)@example.com")) }
                let before = recorder.statements.count
                try await session.flush()
                let flushed = recorder.statements[before...].filter { $0.hasPrefix("INSERT") }
                #expect(flushed.count == 1 && flushed[0].contains("RETURNING"))
                let afterFlush = recorder.statements.count
                let third = try await session.get(User.self, id: Int64(3))
                #expect(third?.email == "u3@example.com")
                #expect(recorder.statements.count == afterFlush, "answered from the identity map")
                try await session.commit()
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func identityMapAnswersRepeatedGets(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self)
            let ada = try await engine.one(insert(User(name: "Ada", email: "ada@example.com")).returning())
            try await engine.withSession { session in
                let before = recorder.statements.count
                let first = try await session.get(User.self, id: ada.id!)
                let second = try await session.get(User.self, id: ada.id!)
                #expect(first == ada)
                #expect(second == ada)
                #expect(recorder.statements.count == before + 1)
                #expect(try await session.get(User.self, id: Int64(999)) == nil)
            }
        }
    }

    /// A get reuses its table's compiled statement with each new key (StatementTemplates): every
    /// session's get finds its own row, and a key of the wrong size still fails to compile.
    @Test(arguments: Backend.allCases)
    func getsOfOneTableReuseOneStatementWithTheirOwnKeys(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self)
            let ada = try await engine.one(insert(User(name: "Ada", email: "ada@example.com")).returning())
            let bob = try await engine.one(insert(User(name: "Bob", email: "bob@example.com")).returning())
            let before = recorder.statements.count
            for (key, expected) in [(ada.id!, ada), (bob.id!, bob), (ada.id!, ada)] {
                let found = try await engine.withSession { try await $0.get(User.self, id: key) }
                #expect(found == expected)
            }
            let gets = recorder.statements[before...]
            #expect(gets.count == 3)
            #expect(Set(gets).count == 1, "one SQL text for every key")
            await #expect(throws: CompileError.self) {
                try await engine.withSession { try await $0.get(User.self, key: ada.id!, bob.id!) }
            }
            #expect(try await engine.withSession { try await $0.get(User.self, id: Int64(999)) } == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func updateWritesOnlyChangedColumns(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self)
            let ada = try await engine.one(insert(User(name: "Ada", email: "ada@example.com")).returning())
            try await engine.withSession { session in
                var user = try #require(try await session.get(User.self, id: ada.id!))
                try session.update(user)
                #expect(session.pendingWriteCount == 0, "an unchanged row queues nothing")
                user.name = "Ada Lovelace"
                try session.update(user)
                try await session.commit()
            }
            let update = try #require(recorder.statements.last { $0.hasPrefix("UPDATE") })
            #expect(update.contains("\"name\""))
            #expect(!update.contains("\"email\""))
            #expect(!update.contains("\"created_at\""))
            let stored = try await engine.one(select(User.self).where(\.id == ada.id))
            #expect(stored.name == "Ada Lovelace")
            #expect(stored.email == "ada@example.com")
        }
    }

    @Test(arguments: Backend.allCases)
    func insertFillsKeyAndFlushOrdersParentsFirst(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self, Post.self, Comment.self)
            try await engine.withSession { session in
                var eve = User(name: "Eve", email: "eve@example.com")
                try await session.insert(&eve)
                #expect(eve.id != nil)
                // Added children first: the flush must still insert users, then posts, then comments.
                try session.add(Comment(id: 100, postId: 10, text: "first!"))
                try session.add(Post(id: 10, userId: 7, title: "Hello"))
                try session.add(User(id: 7, name: "Parent", email: "parent@example.com"))
                try await session.commit()
            }
            let inserts = recorder.statements.filter { $0.hasPrefix("INSERT") }.suffix(3).map {
                $0.split(separator: " ")[2]
            }
            #expect(inserts == ["\"users\"", "\"posts\"", "\"comments\""])
            #expect(try await engine.scalar(select(count(), from: Comment.self)) == 1)

            // Deletes go the other way: children before parents.
            try await engine.withSession { session in
                let user = try #require(try await session.get(User.self, id: Int64(7)))
                let post = try #require(try await session.get(Post.self, id: Int64(10)))
                let comment = try #require(try await session.get(Comment.self, id: Int64(100)))
                try session.delete(user)
                try session.delete(post)
                try session.delete(comment)
                try await session.commit()
            }
            let deletes = recorder.statements.filter { $0.hasPrefix("DELETE") }.map { $0.split(separator: " ")[2] }
            #expect(deletes == ["\"comments\"", "\"posts\"", "\"users\""])
            #expect(try await engine.scalar(select(count(), from: User.self)) == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func rollbackDiscardsEverything(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self, Post.self)
            try await engine.withSession { session in
                var user = User(name: "Ada", email: "ada@example.com")
                try await session.insert(&user)
                try session.add(Post(userId: user.id!, title: "draft"))
                try await session.flush()
                #expect(
                    try await session.scalar(select(count(), from: Post.self)) == 1,
                    "the session sees its own flushed writes"
                )
                await session.rollback()
                #expect(!session.isInTransaction)
                #expect(try await session.scalar(select(count(), from: Post.self)) == 0)
            }
            #expect(try await engine.scalar(select(count(), from: User.self)) == 0)
            #expect(engine.poolStatistics.leased == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func uniqueViolationMidFlushLeavesNothingAndSessionRecovers(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self)
            try await engine.execute(insert(User(name: "Existing", email: "taken@example.com")))
            try await engine.withSession { session in
                try session.add(User(name: "New 1", email: "new1@example.com"))
                try session.add(User(name: "Duplicate", email: "taken@example.com"))
                try session.add(User(name: "New 2", email: "new2@example.com"))
                let error = await #expect(throws: DatabaseError.self) { try await session.commit() }
                #expect(error?.code == .uniqueViolation)
                // Until rolled back, the session says clearly why it refuses.
                let refused = await #expect(throws: DatabaseError.self) {
                    try await session.scalar(select(count(), from: User.self))
                }
                #expect(refused?.message.contains("rollback()") == true)
                await session.rollback()
                #expect(try await session.scalar(select(count(), from: User.self)) == 1)
                var ok = User(name: "After", email: "after@example.com")
                try await session.insert(&ok)
                try await session.commit()
            }
            let emails = try await engine.all(select(User.Columns.email, from: User.self).orderBy(\.id))
            #expect(emails == ["taken@example.com", "after@example.com"])
        }
    }

    @Test(arguments: Backend.allCases)
    func refreshAndStaleUpdate(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self)
            var user = try await engine.one(insert(User(name: "Ada", email: "ada@example.com")).returning())
            try await engine.execute(update(User.self).set(\.name, to: "Changed elsewhere").where(\.id == user.id))
            try await engine.withSession { session in
                try await session.refresh(&user)
                #expect(user.name == "Changed elsewhere")
                try await engine.execute(delete(from: User.self).where(\.id == user.id))
                user.name = "Too late"
                try session.update(user)
                let error = await #expect(throws: DatabaseError.self) { try await session.flush() }
                #expect(error?.code == .noResult)
                await session.rollback()
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func transactionAndSavepoints(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self)
            let session = Session(engine)
            try await session.withTransaction {
                var kept = User(name: "Kept", email: "kept@example.com")
                try await session.insert(&kept)
                // A failing savepoint undoes only its own work; the transaction goes on.
                await #expect(throws: DatabaseError.self) {
                    try await session.withSavepoint {
                        var dup = User(name: "Dup", email: "kept@example.com")
                        try await session.insert(&dup)
                    }
                }
                try await session.withSavepoint {
                    var inner = User(name: "Inner", email: "inner@example.com")
                    try await session.insert(&inner)
                }
            }
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await session.withTransaction {
                    var lost = User(name: "Lost", email: "lost@example.com")
                    try await session.insert(&lost)
                    throw Boom()
                }
            }
            await session.close()
            let names = try await engine.all(select(User.Columns.name, from: User.self).orderBy(\.id))
            #expect(names == ["Kept", "Inner"])
            #expect(engine.poolStatistics.leased == 0)
            await #expect(throws: DatabaseError.self) { try await session.get(User.self, id: Int64(1)) }
        }
    }

    @Test(arguments: Backend.allCases)
    func schemaCreationIsIdempotentAndOrdered(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            // Children listed first: created parents first, dropped children first.
            try await engine.createAll(Comment.self, Post.self, User.self)
            try await engine.createAll(Comment.self, Post.self, User.self)
            var user = User(name: "Ada", email: "ada@example.com")
            try await engine.withSession { session in
                try await session.insert(&user)
                try await session.commit()
            }
            await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(Post(userId: 999, title: "orphan")))
            }
            try await engine.dropAll(User.self, Comment.self, Post.self)
            try await engine.createAll(User.self, Post.self, Comment.self)
            #expect(try await engine.scalar(select(count(), from: User.self)) == 0)
        }
    }
}
