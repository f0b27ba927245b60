import Foundation
import Quarry
import QuarryTesting
import Testing

/// The typed language's basics against real databases (issue 17): what compiles also runs.
@Suite("Query language on the database")
struct QueryLanguageTests {
    @Test(arguments: Backend.allCases)
    func distinctOrderedByAnExpressionWithAConstantRuns(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self)
            try await engine.execute(
                insert([
                    User(name: "Bo", email: "bo@example.com"), User(name: "Al", email: "al@example.com"),
                    User(name: "Bo", email: "bo2@example.com"),
                ])
            )
            // 42P10 on PostgreSQL when the constant was bound twice.
            let label = User.Columns.name.concat(value(" "))
            let names = try await engine.all(select(label, from: User.self).distinct().orderBy(label.desc))
            #expect(names == ["Bo ", "Al "])
        }
    }

    /// Dates moved by intervals and differences of dates and timestamps give the same answers on
    /// both backends.
    @Test(arguments: Backend.allCases)
    func dateArithmeticRuns(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(Stay.self)
            let start = Date(timeIntervalSince1970: 1_700_000_000.25)  // 2023-11-14 22:13:20.25 UTC
            let day = CalendarDate(year: 2024, month: 1, day: 31)!
            try await engine.execute(
                insert([
                    Stay(arrival: start, departure: start.addingTimeInterval(90_061.5), day: day),
                    Stay(arrival: start.addingTimeInterval(-86_400 * 40), departure: start, day: day),
                ])
            )
            let moved = try await engine.all(
                select(
                    Stay.Columns.arrival + Interval(months: 1, days: 1, microseconds: 3_600_000_000),
                    from: Stay.self
                )
                .orderBy(Stay.Columns.id.asc)
            )
            #expect(moved.first == Date(timeIntervalSince1970: 1_702_682_000.25))  // 2023-12-15 23:13:20.25
            let lengths = try await engine.all(
                select(Stay.Columns.departure - Stay.Columns.arrival, from: Stay.self).orderBy(Stay.Columns.id.asc)
            )
            #expect(lengths == [.milliseconds(90_061_500), .seconds(86_400 * 40)])
            // A month after January 31st: PostgreSQL clamps to the end of February, SQLite
            // normalises February 31st to March 2nd (documented in docs/queries.md).
            let nextMonth = try await engine.scalar(
                select(Stay.Columns.day + Interval(months: 1), from: Stay.self).limit(1)
            )
            let expected =
                backend == .postgres
                ? CalendarDate(year: 2024, month: 2, day: 29) : CalendarDate(year: 2024, month: 3, day: 2)
            #expect(nextMonth == expected)
            let days = try await engine.scalar(
                select(Stay.Columns.day - CalendarDate(year: 2023, month: 12, day: 25)!, from: Stay.self).limit(1)
            )
            #expect(days == 37)
            let recent = try await engine.scalar(
                select(count(), from: Stay.self).where(\.arrival >= Stay.Columns.departure - Interval(days: 2))
            )
            #expect(recent == 1)
            let stillFuture = try await engine.scalar(select(count(), from: Stay.self).where(\.arrival > now()))
            #expect(stillFuture == 0)
        }
    }

    /// `UPDATE … FROM` and `DELETE … USING` (an `EXISTS` on SQLite) change the same rows on both.
    @Test(arguments: Backend.allCases)
    func updateFromAndDeleteUsingRun(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self, Post.self)
            let users = try await engine.all(
                insert([User(name: "Ada", email: "ada@example.com"), User(name: "spam", email: "spam@example.com")])
                    .returning()
            )
            try await engine.execute(
                insert([
                    Post(userId: users[0].id!, title: "a", body: ""), Post(userId: users[1].id!, title: "b", body: ""),
                    Post(userId: users[1].id!, title: "c", body: ""),
                ])
            )
            let renamed = try await engine.execute(
                update(Post.self).from(User.self).set(\.body, to: User.Columns.name)
                    .where(Post.Columns.userId == User.Columns.id && User.Columns.name == "Ada")
            )
            #expect(renamed == 1)
            let deleted = try await engine.all(
                delete(from: Post.self).using(User.self)
                    .where(Post.Columns.userId == User.Columns.id && User.Columns.name == "spam").returning()
            )
            #expect(Set(deleted.map(\.title)) == ["b", "c"])
            let left = try await engine.all(select(Post.self))
            #expect(left.map(\.title) == ["a"] && left.map(\.body) == ["Ada"])
        }
    }

    /// A derived table (a grouped subquery in FROM) and a FULL JOIN give the same rows on both.
    @Test(arguments: Backend.allCases)
    func derivedTablesAndFullJoinsRun(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self, Post.self)
            let users = try await engine.all(
                insert([
                    User(name: "Ada", email: "ada@example.com"), User(name: "Bo", email: "bo@example.com"),
                    User(name: "Cy", email: "cy@example.com"),
                ]).returning()
            )
            try await engine.execute(
                insert([
                    Post(userId: users[0].id!, title: "a"), Post(userId: users[0].id!, title: "b"),
                    Post(userId: users[1].id!, title: "c"),
                ])
            )
            let perUser = select(Post.Columns.userId, count(), from: Post.self).groupBy(Post.Columns.userId)
            let busy = try await engine.all(select(PostCount.self).from(perUser).where(PostCount.Columns.posts > 1))
            #expect(busy == [PostCount(userId: users[0].id!, posts: 2)])
            let pairs = try await engine.all(
                select(User.Columns.name.nullable, Post.Columns.title.nullable, from: User.self)
                    .fullJoin(Post.self, on: Post.Columns.userId == User.Columns.id)
                    .orderBy(User.Columns.name.asc, Post.Columns.title.asc)
            )
            #expect(pairs.map(\.0) == ["Ada", "Ada", "Bo", "Cy"])
            #expect(pairs.map(\.1) == ["a", "b", "c", nil])
        }
    }

    /// A moving average over a frame of rows, and date parts down to the second, agree on both;
    /// ROLLUP runs on PostgreSQL.
    @Test(arguments: Backend.allCases)
    func windowFramesAndDatePartsRun(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(Stay.self)
            let start = Date(timeIntervalSince1970: 1_700_000_000.75)  // a Tuesday, 22:13:20.75 UTC
            for n in 0..<4 {
                try await engine.execute(
                    insert(
                        Stay(
                            arrival: start,
                            departure: start.addingTimeInterval(Double(n * 3_600)),
                            day: CalendarDate(start)
                        )
                    )
                )
            }
            let hours = extract(.hour, from: Stay.Columns.departure)
            let moving = try await engine.all(
                select(
                    avg(hours).over(orderBy: [Stay.Columns.id.asc], frame: .rows(.preceding(1), .currentRow)),
                    from: Stay.self
                ).orderBy(Stay.Columns.id.asc)
            )
            // Departure hours 22, 23, 0, 1: each with the one before.
            #expect(moving == [22, 22.5, 11.5, 0.5])
            let parts = try await engine.all(
                select(
                    extract(.second, from: Stay.Columns.arrival),
                    extract(.dayOfWeek, from: Stay.Columns.arrival),
                    extract(.epoch, from: Stay.Columns.arrival),
                    from: Stay.self
                ).limit(1)
            )
            #expect(parts.map { [$0.0, $0.1, $0.2] } == [[20, 2, 1_700_000_000]])
            if backend == .postgres {
                let totals = try await engine.all(
                    select(extract(.hour, from: Stay.Columns.departure).nullable, count(), from: Stay.self)
                        .groupBy(rollup: extract(.hour, from: Stay.Columns.departure))
                        .orderBy(extract(.hour, from: Stay.Columns.departure).asc)
                )
                #expect(totals.map(\.1) == [1, 1, 1, 1, 4])
                #expect(totals.last?.0 == nil)
            }
        }
    }

    /// `bulkInsert`: PostgreSQL's COPY and SQLite's chunked inserts write the same 20,000 rows,
    /// text that needs escaping included, and a row that violates a constraint writes nothing.
    @Test(arguments: Backend.allCases)
    func bulkInsertWritesEveryRowOrNone(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self, Post.self)
            let author = try await engine.one(insert(User(name: "Ada", email: "ada@example.com")).returning())
            let awkward = [
                "tab\there", "line\nbreak", "back\\slash \\N", "carriage\rreturn", "Grüße 🌍", "", "\"quoted\"",
            ]
            let posts = (0..<20_000).map { n in
                Post(userId: author.id!, title: "post \(n)", body: awkward[n % awkward.count])
            }
            #expect(try await engine.execute(bulkInsert(posts)) == 20_000)
            let stored = try await engine.all(select(Post.self).orderBy(\.id))
            #expect(stored.count == 20_000)
            #expect(stored.map(\.title) == posts.map(\.title))
            #expect(stored.map(\.body) == posts.map(\.body))
            #expect(Set(stored.compactMap(\.id)).count == 20_000)

            // One row with an author that does not exist: a foreign-key violation, and none of the
            // other 999 rows is written.
            var broken = Array(posts.prefix(1_000))
            broken[500].userId = 999_999
            let refused = await #expect(throws: DatabaseError.self) { try await engine.execute(bulkInsert(broken)) }
            #expect(refused?.code == .foreignKeyViolation)
            #expect(try await engine.scalar(select(count(), from: Post.self)) == 20_000)
        }
    }

    /// 17,000 users bind 68,000 values: more than either dialect allows in one statement, so the
    /// insert runs as several in one transaction — all rows, or none when one of them fails.
    @Test(arguments: Backend.allCases)
    func aLargeInsertIsSplitUnderTheBindLimitAndStaysAtomic(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self)
            let users = (0..<17_000).map { User(name: "u\($0)", email: "u\($0)@example.com") }
            #expect(try insert(users).compiledChunks(for: engine.dialect)?.count == (backend == .sqlite ? 3 : 2))
            #expect(try await engine.execute(insert(users)) == 17_000)
            #expect(try await engine.scalar(select(count(), from: User.self)) == 17_000)

            // The last row repeats an email already inserted: the whole insert is rolled back.
            let more =
                (0..<17_000).map { User(name: "v\($0)", email: "v\($0)@example.com") }
                + [User(name: "dup", email: "u1@example.com")]
            await #expect(throws: DatabaseError.self) { try await engine.execute(insert(more)) }
            #expect(try await engine.scalar(select(count(), from: User.self)) == 17_000)

            // RETURNING through the parts: every id, in order.
            let returned = try await engine.all(insert(more.dropLast().map { $0 }).returning())
            #expect(returned.count == 17_000)
            #expect(returned.first?.name == "v0" && returned.last?.name == "v16999")
        }
    }

    @Test(arguments: Backend.allCases)
    func mixedArithmeticRoundingAndComparisonsRun(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self, Post.self)
            let user = try await engine.one(insert(User(name: "A", email: "a@example.com")).returning())
            try await engine.execute(insert(Post(userId: user.id!, title: "t", body: "b")))
            let id = user.id!
            let row = try await engine.one(
                select(
                    Post.Columns.userId * value(1.5),
                    round(value(2.0) / value(3.0), 2),
                    from: Post.self
                ).where(Post.Columns.id <= Post.Columns.userId * value(Int64(10)))
            )
            #expect(row.0 == Double(id) * 1.5)
            #expect(row.1 == 0.67)
        }
    }
}

extension QueryLanguageTests {
    /// Regression: a self-join compiled but failed on the server ("table name "employee"
    /// specified more than once", 42712); an alias names the second use.
    @Test(arguments: Backend.allCases)
    func aSelfJoinThroughAnAliasRuns(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(Employee.self)
            try await engine.execute(
                insert([
                    Employee(employeeId: 1, lastName: "Adams", firstName: "Andrew"),
                    Employee(employeeId: 2, lastName: "Edwards", firstName: "Nancy", reportsTo: 1),
                    Employee(employeeId: 3, lastName: "Peacock", firstName: "Jane", reportsTo: 2),
                ])
            )
            let manager = TableAlias(Employee.self, "manager")
            let pairs = try await engine.all(
                select(Employee.Columns.lastName, manager[\.lastName], from: Employee.self)
                    .join(manager, on: Employee.Columns.reportsTo == manager[\.employeeId])
                    .orderBy(Employee.Columns.employeeId.asc)
            )
            #expect(pairs.map { [$0.0, $0.1] } == [["Edwards", "Adams"], ["Peacock", "Edwards"]])
            let withoutManager = try await engine.all(
                select(Employee.Columns.lastName, from: Employee.self)
                    .leftJoin(manager, on: Employee.Columns.reportsTo == manager[\.employeeId])
                    .where(manager[\.employeeId].isNull)
            )
            #expect(withoutManager == ["Adams"])
        }
    }
}

@Table("stays")
struct Stay: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var arrival: Date
    var departure: Date
    var day: CalendarDate
}

/// The rows of a derived table: posts per user.
@Table("post_counts")
struct PostCount: Sendable, Equatable {
    var userId: Int64
    var posts: Int64
}
