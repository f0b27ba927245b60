import Foundation
import Quarry
import QuarryTesting
import Testing

@Table("users")
struct User: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    @Column(.unique) var email: String
}

/// How the engine reports a database that cannot take work: a deleted SQLite file, a read-only
/// PostgreSQL, locked rows. (Statement timeouts are a conformance check, for every driver.)
@Suite("Database conditions")
struct DatabaseConditionTests {
    /// Regression (issue 14, item 9): writes kept answering into the unlinked file, and new
    /// connections created an empty database where the deleted one was.
    @Test func aDeletedSQLiteFileIsRefusedNotRecreated() async throws {
        let database = try await TestDatabase.make(.sqlite)
        let path = try #require(database.url.path)
        try await database.run(Engine(url: database.url, configuration: .init(poolSize: 2))) { engine in
            try await engine.createAll(User.self)
            try await engine.execute(insert(User(name: "Ada", email: "ada@example.com")))
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }

            let error = await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(User(name: "Eve", email: "eve@example.com")))
            }
            #expect(error?.code == .connectionFailed)
            #expect(error?.message.contains("deleted or replaced") == true, "\(error?.message ?? "")")
            #expect(!FileManager.default.fileExists(atPath: path), "no empty database takes the old one's place")
            // Reads are refused too: the readers' file is gone as well.
            await #expect(throws: DatabaseError.self) { try await engine.all(select(User.self)) }
        }
    }

    /// A file replaced under the engine (restored from a backup, say) is not silently adopted.
    @Test func aReplacedSQLiteFileIsRefused() async throws {
        let database = try await TestDatabase.make(.sqlite)
        let path = try #require(database.url.path)
        try await database.run(Engine(url: database.url, configuration: .init(poolSize: 2))) { engine in
            try await engine.createAll(User.self)
            let copy = path + ".copy"
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: copy, toPath: path)
            let error = await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(User(name: "Eve", email: "eve@example.com")))
            }
            #expect(error?.code == .connectionFailed)
        }
    }

    /// Regression (issue 14, item 5): an SQLite database locked by another process answered 500
    /// "database is locked"; it is a transient error (503 in the service) after the busy timeout.
    @Test func aDatabaseLockedByAnotherWriterIsTransient() async throws {
        let database = try await TestDatabase.make(.sqlite)
        var configuration = EngineConfiguration(poolSize: 1)
        configuration.busyTimeout = .milliseconds(200)
        try await database.run(Engine(url: database.url, configuration: configuration)) { engine in
            try await engine.createAll(User.self)
            let other = try Engine(url: database.url, configuration: configuration)
            try await other.withTransaction { holder in
                // BEGIN … a write: the other engine now holds SQLite's write lock.
                try await holder.execute(insert(User(name: "Lock", email: "lock@example.com")))
                let start = ContinuousClock.now
                let error = await #expect(throws: DatabaseError.self) {
                    try await engine.execute(insert(User(name: "Ada", email: "ada@example.com")))
                }
                #expect(error?.code.isTransient == true, "\(String(describing: error))")
                #expect(start.duration(to: .now) < .seconds(5))
            }
            await other.shutdown()
            try await engine.execute(insert(User(name: "Ada", email: "ada@example.com")))
        }
    }

    /// Regression (issue 14, item 5): a read-only PostgreSQL (a demoted primary) gave `.server`,
    /// so the service answered 500.
    @Test func aReadOnlyPostgreSQLIsTypedUnavailable() async throws {
        let database = try await TestDatabase.make(.postgres)
        try await database.run(Engine(url: database.url)) { engine in
            try await engine.createAll(User.self)
            let error = await #expect(throws: DatabaseError.self) {
                try await engine.withTransaction { connection in
                    try await connection.execute("SET TRANSACTION READ ONLY" as SQL)
                    try await connection.execute(insert(User(name: "Ada", email: "ada@example.com")))
                }
            }
            #expect(error?.code == .readOnly)
            #expect(error?.code.isUnavailable == true)
            #expect(error?.serverCode == "25006")
        }
    }

    /// `FOR UPDATE SKIP LOCKED` (a job queue) and `NOWAIT` against a row another transaction holds.
    @Test func lockedRowsAreSkippedOrRefusedAtOnce() async throws {
        // PostgreSQL only (SQLite has no row locks), so not counted per backend by scripts/test.
        let database = try await TestDatabase.make(.postgres)
        try await database.run(Engine(url: database.url, configuration: .init(poolSize: 3))) { engine in
            try await engine.createAll(User.self)
            try await engine.execute(
                insert([User(name: "A", email: "a@example.com"), User(name: "B", email: "b@example.com")])
            )
            let oldest = select(User.self).orderBy(User.Columns.id.asc).limit(1)
            try await engine.withTransaction { first in
                let held = try await first.one(oldest.forUpdate(.skipLocked))
                #expect(held.name == "A")
                try await engine.withTransaction { second in
                    let next = try await second.one(oldest.forUpdate(.skipLocked))
                    #expect(next.name == "B", "the row the first transaction holds is skipped")
                }
                let refused = await #expect(throws: DatabaseError.self) {
                    try await engine.withTransaction { other in
                        _ = try await other.all(select(User.self).where(\.name == "A").forUpdate(.noWait))
                    }
                }
                #expect(refused?.code == .lockTimeout)
            }
            // Outside a transaction a lock would end with its own statement: refused.
            let outside = await #expect(throws: DatabaseError.self) { try await engine.all(oldest.forUpdate()) }
            #expect(outside?.code == .transactionRequired)
        }
    }
}
