import Foundation
import Quarry
import QuarryTesting
import Testing

/// Reads on PostgreSQL run as server-side prepared statements, one per statement shape and
/// connection; behind PgBouncer (transaction pooling) they never do. PostgreSQL-only by nature
/// (SQLite has no server to prepare on), so, like the replica tests, these build their own
/// engines rather than go through `withTestEngine`, whose tally checks that each test runs on both
/// backends.
@Suite("Prepared statements (PostgreSQL)")
struct PreparedStatementTests {
    /// A one-connection engine on a fresh PostgreSQL schema, with `query` added to its URL.
    func withEngine(query: [String: String] = [:], _ body: (Engine) async throws -> Void) async throws {
        let database = try await TestDatabase.make(.postgres)
        var url = database.url
        for (key, value) in query { url.query[key] = value }
        try await database.run(Engine(url: url, configuration: .init(poolSize: 1, maxOverflow: 0)), body)
    }

    /// `true` when the suite runs through PgBouncer, where the driver must not prepare anything.
    static var behindPgBouncer: Bool { (try? TestDatabase.postgresBaseURL().query["pgbouncer"]) == "true" }

    static let preparedByQuarry = SQLQuery<String>(
        "SELECT statement FROM pg_prepared_statements WHERE name LIKE 'quarry\\_%' ORDER BY name"
    )

    @Test func aRepeatedReadIsPreparedOnceAndReused() async throws {
        try await withEngine { engine in
            try await engine.createAll(Person.self)
            try await engine.execute(insert(Person(name: "Ada", email: "ada@example.com")))
            let read = select(Person.self).where(\.name == "Ada")
            let sql = try read.compile(for: .postgresql).sql
            try await engine.withConnection { connection in
                for _ in 0..<3 {
                    let users = try await connection.all(read)
                    #expect(users.map(\.email) == ["ada@example.com"])
                }
                let prepared = try await connection.all(Self.preparedByQuarry)
                if Self.behindPgBouncer {
                    #expect(prepared.isEmpty, "nothing is prepared behind PgBouncer")
                } else {
                    #expect(prepared.filter { $0 == sql }.count == 1, "\(prepared)")
                    let plans = try await connection.scalar(
                        SQLQuery<Int64>(
                            "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement = \(sql)"
                        )
                    )
                    #expect(plans == 3, "three executions of the one prepared statement")
                }
            }
        }
    }

    /// PostgresNIO remembers a failed preparation on its connection; Quarry must not let that
    /// failure outlive its cause.
    @Test func aReadThatFailedToPrepareWorksOnceItsTableExists() async throws {
        try await withEngine { engine in
            let read = select(Person.self).orderBy(\.id)
            let error = await #expect(throws: DatabaseError.self) { _ = try await engine.all(read) }
            #expect(error?.code == .server, "\(String(describing: error))")
            try await engine.createAll(Person.self)
            try await engine.execute(insert(Person(name: "Ada", email: "ada@example.com")))
            for _ in 0..<3 {
                let users = try await engine.all(read)
                #expect(users.map(\.name) == ["Ada"])
            }
        }
    }

    /// The same SQL with binds of different types is two shapes: one prepared for a text
    /// parameter must not receive an integer's binary form.
    @Test func theSameSQLWithOtherBindTypesIsAnotherStatement() async throws {
        try await withEngine { engine in
            try await engine.withConnection { connection in
                let fromText = try await connection.scalar(SQLQuery<String>("SELECT CAST(\("42") AS TEXT)"))
                let fromInteger = try await connection.scalar(SQLQuery<String>("SELECT CAST(\(Int64(42)) AS TEXT)"))
                let fromDouble = try await connection.scalar(SQLQuery<String>("SELECT CAST(\(42.5) AS TEXT)"))
                #expect([fromText, fromInteger, fromDouble] == ["42", "42", "42.5"])
            }
        }
    }

    @Test func theCacheSizeComesFromTheURL() async throws {
        for (size, expected) in [("0", 0), ("1", 1)] {
            try await withEngine(query: ["prepared_statement_cache_size": size]) { engine in
                try await engine.withConnection { connection in
                    let one = try await connection.scalar(select(value(Int64(1))))
                    let two = try await connection.scalar(SQLQuery<Int64>("SELECT \(Int64(1)) + 1"))
                    #expect(one == 1 && two == 2)
                    // This read is a third shape: past a full cache it runs unnamed.
                    let prepared = try await connection.all(Self.preparedByQuarry)
                    #expect(prepared.count == (Self.behindPgBouncer ? 0 : expected), "size \(size): \(prepared)")
                }
            }
        }
    }

    @Test func aBadCacheSizeIsRefusedWithItsName() throws {
        let error = #expect(throws: DatabaseError.self) {
            _ = try Engine("postgresql://app@127.0.0.1:5432/app?prepared_statement_cache_size=lots")
        }
        #expect(error?.code == .unsupportedURL)
        #expect(error?.message.contains("prepared_statement_cache_size") == true)
    }
}

/// A table of the prepared-statement tests' own.
@Table("people")
struct Person: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    var email: String
}
