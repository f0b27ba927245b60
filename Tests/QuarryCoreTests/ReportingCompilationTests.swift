import Foundation
import QuarryCore
import Testing

/// Golden SQL (text and binds) on both dialects for CASE, window functions, set operations,
/// scalar subqueries and the string functions.
@Suite("Reporting constructs compile")
struct ReportingCompilationTests {
    @Test func caseWhenThenElse() throws {
        let band = when(Post.Columns.score < 2.0, then: "low").when(Post.Columns.score < 4.0, then: "mid").else("high")
        let compiled = try select(Post.Columns.title, band.as("band"), from: Post.self).compile(for: .postgresql)
        #expect(
            compiled.sql
                == #"SELECT "posts"."title", CASE WHEN "posts"."rating" < $1 THEN $2 WHEN "posts"."rating" < $3 THEN $4 ELSE $5 END AS "band" FROM "posts""#
        )
        #expect(compiled.binds == [.double(2), .text("low"), .double(4), .text("mid"), .text("high")])
        let open = try select(when(Post.Columns.userId == 1, then: Post.Columns.title).end, from: Post.self)
            .compile(for: .sqlite)
        #expect(open.sql == #"SELECT CASE WHEN "posts"."user_id" = ? THEN "posts"."title" END FROM "posts""#)
    }

    @Test func dateArithmeticPerDialect() throws {
        let recent = select(User.Columns.name, from: User.self)
            .where(\.createdAt >= now() - Interval(months: 1, days: 2, microseconds: 1_500_000))
        let pg = try recent.compile(for: .postgresql)
        #expect(pg.sql == #"SELECT "users"."name" FROM "users" WHERE "users"."created_at" >= (NOW() + $1)"#)
        #expect(pg.binds == [.interval(Interval(months: -1, days: -2, microseconds: -1_500_000))])
        let lite = try recent.compile(for: .sqlite)
        #expect(
            lite.sql
                == #"SELECT "users"."name" FROM "users" WHERE "users"."created_at" >= STRFTIME('%Y-%m-%d %H:%M:%f000', STRFTIME('%Y-%m-%d %H:%M:%f000', 'now'), '-1 months', '-2 days', '-1.500000 seconds')"#
        )
        #expect(lite.binds.isEmpty)

        let age = select(now() - User.Columns.createdAt, from: User.self)
        #expect(try age.compile(for: .postgresql).sql == #"SELECT (NOW() - "users"."created_at") FROM "users""#)
        #expect(
            try age.compile(for: .sqlite).sql
                == #"SELECT CAST(ROUND((JULIANDAY(STRFTIME('%Y-%m-%d %H:%M:%f000', 'now')) - JULIANDAY("users"."created_at")) * 86400000) AS INTEGER) * 1000 FROM "users""#
        )
        let tomorrow = select(today() + Interval(days: 1))
        #expect(try tomorrow.compile(for: .postgresql).sql == "SELECT CAST((CURRENT_DATE + $1) AS DATE)")
        #expect(try tomorrow.compile(for: .sqlite).sql == "SELECT DATE(DATE('now'), '+1 days')")
        let days = select(today() - CalendarDate(year: 2026, month: 1, day: 1)!)
        #expect(try days.compile(for: .postgresql).sql == "SELECT (CURRENT_DATE - $1)")
        #expect(
            try days.compile(for: .sqlite).sql == "SELECT CAST(ROUND(JULIANDAY(DATE('now')) - JULIANDAY(?)) AS INTEGER)"
        )
    }

    @Test func anyFunctionByName() throws {
        let greatest = function("greatest", Post.Columns.score, value(1.5), as: Double?.self)
        let compiled = try select(greatest, from: Post.self).compile(for: .postgresql)
        #expect(compiled.sql == #"SELECT greatest("posts"."rating", $1) FROM "posts""#)
        #expect(compiled.binds == [.double(1.5)])
        #expect(try select(function("app.score", as: Int64.self)).compile(for: .sqlite).sql == "SELECT app.score()")
        for bad in ["", "1abc", "now(); DROP TABLE posts; --", "a b"] {
            let refused = #expect(throws: CompileError.self) {
                try select(function(bad, as: Int64.self)).compile(for: .postgresql)
            }
            #expect(refused?.code == .invalidValue)
        }
    }

    @Test func derivedTablesAndOuterJoins() throws {
        let perUser = select(Post.Columns.userId, count(), from: Post.self).groupBy(Post.Columns.userId)
        let busy = select(PostCount.self).from(perUser).where(PostCount.Columns.posts > 1)
        let pg = try busy.compile(for: .postgresql)
        #expect(
            pg.sql
                == #"SELECT "post_counts"."user_id", "post_counts"."posts" FROM (SELECT "posts"."user_id" AS "user_id", COUNT(*) AS "posts" FROM "posts" GROUP BY "posts"."user_id") AS "post_counts" WHERE "post_counts"."posts" > $1"#
        )
        #expect(pg.binds == [.integer(1)])
        let everyone = select(User.Columns.name, Post.Columns.title, from: User.self)
            .fullJoin(Post.self, on: Post.Columns.userId == User.Columns.id)
            .rightJoin(Profile.self, on: Profile.Columns.isActive)
        #expect(
            try everyone.compile(for: .sqlite).sql
                == #"SELECT "users"."name", "posts"."title" FROM "users" FULL JOIN "posts" ON "posts"."user_id" = "users"."id" RIGHT JOIN "profiles" ON "profiles"."is_active""#
        )
    }

    @Test func windowFramesRollupAndMoreDateParts() throws {
        let moving = avg(Post.Columns.score).over(
            orderBy: [Post.Columns.id.asc],
            frame: .rows(.preceding(2), .currentRow)
        )
        let rest = sum(Post.Columns.score).over(
            partitionBy: [Post.Columns.userId],
            orderBy: [Post.Columns.id.asc],
            frame: .range(.currentRow, .unboundedFollowing)
        )
        #expect(
            try select(moving, rest, from: Post.self).compile(for: .sqlite).sql
                == #"SELECT AVG("posts"."rating") OVER (ORDER BY "posts"."id" ASC ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), SUM("posts"."rating") OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id" ASC RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM "posts""#
        )
        let totals = select(Post.Columns.userId.nullable, count(), from: Post.self).groupBy(rollup: Post.Columns.userId)
        #expect(
            try totals.compile(for: .postgresql).sql
                == #"SELECT "posts"."user_id", COUNT(*) FROM "posts" GROUP BY ROLLUP ("posts"."user_id")"#
        )
        let refused = #expect(throws: CompileError.self) { try totals.compile(for: .sqlite) }
        #expect(refused?.code == .unsupportedByDialect)
        let parts = select(
            extract(.epoch, from: User.Columns.createdAt),
            extract(.dayOfWeek, from: User.Columns.createdAt),
            from: User.self
        )
        #expect(
            try parts.compile(for: .postgresql).sql
                == #"SELECT CAST(FLOOR(EXTRACT(EPOCH FROM "users"."created_at")) AS BIGINT), CAST(EXTRACT(DOW FROM "users"."created_at") AS INTEGER) FROM "users""#
        )
        #expect(
            try parts.compile(for: .sqlite).sql
                == #"SELECT CAST(STRFTIME('%s', "users"."created_at") AS INTEGER), CAST(STRFTIME('%w', "users"."created_at") AS INTEGER) FROM "users""#
        )
        let noTruncation = #expect(throws: CompileError.self) {
            try select(truncate(User.Columns.createdAt, to: .dayOfWeek)).compile(for: .postgresql)
        }
        #expect(noTruncation?.code == .invalidValue)
    }

    @Test func windowFunctions() throws {
        let ranked = rank().over(partitionBy: Post.Columns.userId, orderBy: Post.Columns.score.desc)
        let running = sum(Post.Columns.score).over(orderBy: Post.Columns.id.asc)
        let previous = lag(Post.Columns.title).over(partitionBy: Post.Columns.userId, orderBy: Post.Columns.id.asc)
        for dialect in [Dialect.postgresql, .sqlite] {
            let compiled = try select(ranked, running, previous, rowNumber().over(), from: Post.self).compile(
                for: dialect
            )
            let one = dialect == .postgresql ? "$1" : "?"
            #expect(
                compiled.sql
                    == #"SELECT RANK() OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."rating" DESC), SUM("posts"."rating") OVER (ORDER BY "posts"."id" ASC), LAG("posts"."title", CAST(\#(one) AS INTEGER)) OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id" ASC), ROW_NUMBER() OVER () FROM "posts""#
            )
            #expect(compiled.binds == [.integer(1)])
        }
    }

    @Test func setOperationsOrderTheWholeByResultColumns() throws {
        let names = select(User.Columns.name, from: User.self).where(\.id > 10)
            .union(select(Post.Columns.title, from: Post.self))
            .orderBy(User.Columns.name.asc)
            .limit(5)
        let postgres = try names.compile(for: .postgresql)
        #expect(
            postgres.sql
                == #"SELECT "users"."name" FROM "users" WHERE "users"."id" > $1 UNION SELECT "posts"."title" FROM "posts" ORDER BY "name" ASC LIMIT $2"#
        )
        #expect(postgres.binds == [.integer(10), .integer(5)])
        for (statement, keyword) in [
            (
                select(User.Columns.name, from: User.self).unionAll(select(Post.Columns.title, from: Post.self)),
                "UNION ALL"
            ),
            (
                select(User.Columns.name, from: User.self).intersect(select(Post.Columns.title, from: Post.self)),
                "INTERSECT"
            ),
            (select(User.Columns.name, from: User.self).except(select(Post.Columns.title, from: Post.self)), "EXCEPT"),
        ] {
            #expect(
                try statement.compile(for: .sqlite).sql
                    == #"SELECT "users"."name" FROM "users" \#(keyword) SELECT "posts"."title" FROM "posts""#
            )
        }
        // A member cannot order or limit itself: refused, never wrong SQL.
        let bad = select(User.Columns.name, from: User.self).union(select(Post.Columns.title, from: Post.self).limit(1))
        #expect(throws: CompileError.self) { try bad.compile(for: .sqlite) }
    }

    @Test func scalarSubqueries() throws {
        let average = select(avg(Post.Columns.score), from: Post.self)
        let compiled = try select(Post.Columns.title, average.asScalar(), from: Post.self)
            .where(Post.Columns.score > average.asScalar())
            .compile(for: .postgresql)
        #expect(
            compiled.sql
                == #"SELECT "posts"."title", (SELECT AVG("posts"."rating") FROM "posts") FROM "posts" WHERE "posts"."rating" > (SELECT AVG("posts"."rating") FROM "posts")"#
        )
    }

    @Test func stringFunctions() throws {
        let compiled = try select(
            length(User.Columns.name),
            substring(User.Columns.name, from: 2, length: 3),
            trim(User.Columns.name),
            replace(User.Columns.email, "@", with: " at "),
            upper(User.Columns.name).concat(" ").concat(User.Columns.email),
            from: User.self
        ).compile(for: .postgresql)
        #expect(
            compiled.sql
                == #"SELECT LENGTH("users"."name"), SUBSTR("users"."name", CAST($1 AS INTEGER), CAST($2 AS INTEGER)), TRIM("users"."name"), REPLACE("users"."email", $3, $4), (UPPER("users"."name") || $5) || "users"."email" FROM "users""#
        )
        #expect(compiled.binds == [.integer(2), .integer(3), .text("@"), .text(" at "), .text(" ")])
    }

    @Test func distinctOnIsPostgreSQLOnly() throws {
        let latest = select(Post.self).distinct(on: Post.Columns.userId).orderBy(
            Post.Columns.userId.asc,
            Post.Columns.id.desc
        )
        #expect(
            try latest.compile(for: .postgresql).sql
                == #"SELECT DISTINCT ON ("posts"."user_id") "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."rating" FROM "posts" ORDER BY "posts"."user_id" ASC, "posts"."id" DESC"#
        )
        #expect {
            try latest.compile(for: .sqlite)
        } throws: { ($0 as? CompileError)?.code == .unsupportedByDialect }
    }

    @Test func datePartsAndTruncation() throws {
        let month = truncate(User.Columns.createdAt, to: .month)
        let year = extract(.year, from: User.Columns.createdAt)
        let statement = select(year, month, count(), from: User.self).groupBy(year, month)
        #expect(
            try statement.compile(for: .postgresql).sql
                == #"SELECT CAST(EXTRACT(YEAR FROM "users"."created_at") AS INTEGER), DATE_TRUNC('month', "users"."created_at"), COUNT(*) FROM "users" GROUP BY CAST(EXTRACT(YEAR FROM "users"."created_at") AS INTEGER), DATE_TRUNC('month', "users"."created_at")"#
        )
        #expect(
            try statement.compile(for: .sqlite).sql
                == #"SELECT CAST(STRFTIME('%Y', "users"."created_at") AS INTEGER), STRFTIME('%Y-%m-01 00:00:00', "users"."created_at"), COUNT(*) FROM "users" GROUP BY CAST(STRFTIME('%Y', "users"."created_at") AS INTEGER), STRFTIME('%Y-%m-01 00:00:00', "users"."created_at")"#
        )
    }

    @Test func insertFromASelect() throws {
        let copy = insert(
            into: User.self,
            columns: \.name,
            \.email,
            from: select(Post.Columns.title, Post.Columns.body, from: Post.self).where(\.userId == 7)
        )
        let compiled = try copy.compile(for: .postgresql)
        #expect(
            compiled.sql
                == #"INSERT INTO "users" ("name", "email") SELECT "posts"."title", "posts"."body" FROM "posts" WHERE "posts"."user_id" = $1"#
        )
        #expect(compiled.kind == .write)
        #expect(throws: CompileError.self) {
            try insert(into: User.self, columns: \.name.count, from: select(Post.Columns.title, from: Post.self))
                .compile(for: .sqlite)
        }
    }

    @Test func commonTableExpressions() throws {
        let totals = select(Post.Columns.userId, count().as("posts"), from: Post.self).groupBy(Post.Columns.userId)
        let busiest = select(PostCount.self).with(PostCount.self, as: totals).where(PostCount.Columns.posts > 10)
        let compiled = try busiest.compile(for: .postgresql)
        #expect(
            compiled.sql
                == #"WITH "post_counts" ("user_id", "posts") AS (SELECT "posts"."user_id", COUNT(*) AS "posts" FROM "posts" GROUP BY "posts"."user_id") SELECT "post_counts"."user_id", "post_counts"."posts" FROM "post_counts" WHERE "post_counts"."posts" > $1"#
        )
        #expect(compiled.binds == [.integer(10)])

        let base = select(User.Columns.id, value(Int64(0)), from: User.self).where(\.id == 1)
        let step = select(Post.Columns.id, PostCount.Columns.posts + 1, from: Post.self)
            .join(PostCount.self, on: Post.Columns.userId == PostCount.Columns.userId)
        let recursive = try select(PostCount.self).with(PostCount.self, recursive: true, as: base.unionAll(step))
            .compile(for: .sqlite)
        #expect(
            recursive.sql
                == #"WITH RECURSIVE "post_counts" ("user_id", "posts") AS (SELECT "users"."id", ? FROM "users" WHERE "users"."id" = ? UNION ALL SELECT "posts"."id", "post_counts"."posts" + ? FROM "posts" JOIN "post_counts" ON "posts"."user_id" = "post_counts"."user_id") SELECT "post_counts"."user_id", "post_counts"."posts" FROM "post_counts""#
        )
    }

    /// `arrayAgg`: PostgreSQL's `ARRAY_AGG` inside `COALESCE(…, '{}')` with its `FILTER` and
    /// `OVER` inside too; SQLite's `JSON_GROUP_ARRAY` as it is; `DISTINCT` sorts by the same
    /// placeholders.
    @Test func arrayAggregatesPerDialect() throws {
        let titles = select(
            arrayAgg(Post.Columns.title, orderBy: Post.Columns.id.desc).filter(where: Post.Columns.score > 2.0),
            arrayAgg(Post.Columns.id).over(partitionBy: Post.Columns.userId, orderBy: Post.Columns.id.asc),
            arrayAgg(distinct: Post.Columns.id % 10),
            from: Post.self
        )
        #expect(
            try titles.compile(for: .postgresql).sql
                == #"SELECT COALESCE(ARRAY_AGG("posts"."title" ORDER BY "posts"."id" DESC) FILTER (WHERE "posts"."rating" > $1), '{}'), COALESCE(ARRAY_AGG("posts"."id") OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id" ASC), '{}'), COALESCE(ARRAY_AGG(DISTINCT "posts"."id" % $2 ORDER BY "posts"."id" % $2 ASC), '{}') FROM "posts""#
        )
        #expect(
            try titles.compile(for: .sqlite).sql
                == #"SELECT JSON_GROUP_ARRAY("posts"."title" ORDER BY "posts"."id" DESC) FILTER (WHERE "posts"."rating" > ?), JSON_GROUP_ARRAY("posts"."id") OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id" ASC), JSON_GROUP_ARRAY(DISTINCT "posts"."id" % ? ORDER BY "posts"."id" % ? ASC) FROM "posts""#
        )
        let windowed = select(
            count(Post.Columns.userId, distinct: true).over(orderBy: Post.Columns.id.asc),
            from: Post.self
        )
        #expect(throws: CompileError.self) { try windowed.compile(for: .postgresql) }
    }

    /// Percentiles: PostgreSQL's ordered-set aggregates, the functions Quarry's SQLite connections
    /// install; a `FILTER` after either.
    @Test func percentilesPerDialect() throws {
        let query = select(
            median(Post.Columns.id).filter(where: Post.Columns.userId == 1),
            percentileDisc(0.25, of: Post.Columns.id),
            from: Post.self
        )
        #expect(
            try query.compile(for: .postgresql).sql
                == #"SELECT PERCENTILE_CONT($1) WITHIN GROUP (ORDER BY CAST("posts"."id" AS DOUBLE PRECISION)) FILTER (WHERE "posts"."user_id" = $2), PERCENTILE_DISC($3) WITHIN GROUP (ORDER BY "posts"."id") FROM "posts""#
        )
        let lite = try query.compile(for: .sqlite)
        #expect(
            lite.sql
                == #"SELECT QUARRY_PERCENTILE_CONT("posts"."id", ?) FILTER (WHERE "posts"."user_id" = ?), QUARRY_PERCENTILE_DISC("posts"."id", ?) FROM "posts""#
        )
        #expect(lite.binds == [.double(0.5), .integer(1), .double(0.25)])
    }

    /// A joined subquery is `JOIN (…) AS name`; `LATERAL` is PostgreSQL's only.
    @Test func derivedAndLateralJoins() throws {
        let counts = select(Post.Columns.userId, count(), from: Post.self).groupBy(Post.Columns.userId)
        let joined = select(User.Columns.name, PostCount.Columns.posts, from: User.self)
            .leftJoin(PostCount.self, as: counts, on: PostCount.Columns.userId == User.Columns.id)
        #expect(
            try joined.compile(for: .sqlite).sql
                == #"SELECT "users"."name", "post_counts"."posts" FROM "users" LEFT JOIN (SELECT "posts"."user_id" AS "user_id", COUNT(*) AS "posts" FROM "posts" GROUP BY "posts"."user_id") AS "post_counts" ON "post_counts"."user_id" = "users"."id""#
        )
        let latest = select(Post.Columns.userId, Post.Columns.id, from: Post.self)
            .where(Post.Columns.userId == User.Columns.id).orderBy(Post.Columns.id.desc).limit(1)
        let lateral = select(User.Columns.name, PostCount.Columns.posts, from: User.self)
            .leftJoinLateral(PostCount.self, as: latest)
        #expect(
            try lateral.compile(for: .postgresql).sql
                == #"SELECT "users"."name", "post_counts"."posts" FROM "users" LEFT JOIN LATERAL (SELECT "posts"."user_id" AS "user_id", "posts"."id" AS "posts" FROM "posts" WHERE "posts"."user_id" = "users"."id" ORDER BY "posts"."id" DESC LIMIT $1) AS "post_counts" ON TRUE"#
        )
        let error = #expect(throws: CompileError.self) { try lateral.compile(for: .sqlite) }
        #expect(error?.code == .unsupportedByDialect)
    }
}

/// The rows of a common table or a derived table: posts per user.
@Table("post_counts")
struct PostCount: Sendable {
    var userId: Int64?
    var posts: Int64
}
