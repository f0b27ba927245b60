import Foundation
import QuarryCore
import Testing

@Suite("SELECT compilation")
struct SelectCompilationTests {
    let userColumns = #""users"."id", "users"."name", "users"."email", "users"."created_at""#

    @Test func wholeModel() throws {
        try expectSQL(
            select(User.self),
            postgres: "SELECT \(userColumns) FROM \"users\"",
            sqlite: "SELECT \(userColumns) FROM \"users\""
        )
    }

    @Test func keywordPropertiesAreColumnsOfTheirBareName() throws {
        // `class` and `default` need backticks in Swift, not in SQL.
        try expectSQL(
            select(Lesson.self).where(\.`class` == "5b"),
            postgres:
                #"SELECT "lessons"."id", "lessons"."class", "lessons"."default" FROM "lessons" WHERE "lessons"."class" = $1"#,
            sqlite:
                #"SELECT "lessons"."id", "lessons"."class", "lessons"."default" FROM "lessons" WHERE "lessons"."class" = ?"#,
            binds: [.text("5b")]
        )
    }

    /// Columns that read and write their text form (`ColumnDescriptor.travelsAsText`).
    @Test func typesWithoutASwiftTypeAreSelectedAsText() throws {
        try expectSQL(
            insert(Landmark(name: "Harbour", search: "'harbour':1")).returning(),
            postgres:
                #"INSERT INTO "landmarks" ("name", "search", "details") VALUES ($1, $2, $3) RETURNING "id", "name", CAST("search" AS TEXT) AS "search", "details""#,
            sqlite:
                #"INSERT INTO "landmarks" ("name", "search", "details") VALUES (?, ?, ?) RETURNING "id", "name", CAST("search" AS TEXT) AS "search", "details""#,
            binds: [.text("Harbour"), .enumLabel("'harbour':1"), .null]
        )
        #expect(Landmark.schema.columns.map(\.travelsAsText) == [false, false, true, false])
        // Bytes declared JSON are written as the JSON document they hold.
        let json = Data(#"{"a":1}"#.utf8)
        let written = try insert(Landmark(name: "Pier", search: "", details: json)).compile(for: .postgresql)
        #expect(written.binds.last == .json(json))
    }

    @Test func keyPathPredicate() throws {
        try expectSQL(
            select(User.self).where(\.id == 42),
            postgres: "SELECT \(userColumns) FROM \"users\" WHERE \"users\".\"id\" = $1",
            sqlite: "SELECT \(userColumns) FROM \"users\" WHERE \"users\".\"id\" = ?",
            binds: [.integer(42)]
        )
    }

    @Test func rowLocksCompileOnPostgreSQLAndAreRefusedBySQLite() throws {
        let queued = select(User.self).where(\.id == 1)
        let cases: [(Select<User, User>, String)] = [
            (queued.forUpdate(), " FOR UPDATE"),
            (queued.forUpdate(.noWait), " FOR UPDATE NOWAIT"),
            (queued.forUpdate(.skipLocked), " FOR UPDATE SKIP LOCKED"),
            (queued.forShare(), " FOR SHARE"),
            (queued.locking(RowLock(.noKeyUpdate, .skipLocked)), " FOR NO KEY UPDATE SKIP LOCKED"),
            (queued.locking(RowLock(.keyShare)), " FOR KEY SHARE"),
        ]
        for (statement, clause) in cases {
            let compiled = try statement.compile(for: .postgresql)
            #expect(compiled.sql == "SELECT \(userColumns) FROM \"users\" WHERE \"users\".\"id\" = $1\(clause)")
            #expect(compiled.kind == .lockingRead)
            let error = #expect(throws: CompileError.self) { try statement.compile(for: .sqlite) }
            #expect(error?.code == .unsupportedByDialect)
        }
        // The clause follows LIMIT and OFFSET, as PostgreSQL requires.
        let page = try select(User.self).limit(1).offset(2).forUpdate(.skipLocked).compile(for: .postgresql)
        #expect(page.sql.hasSuffix("LIMIT $1 OFFSET $2 FOR UPDATE SKIP LOCKED"))
        #expect(try queued.compile(for: .sqlite).kind == .read)
    }

    @Test func nilComparisonIsNull() throws {
        try expectSQL(
            select(Post.Columns.id, from: Post.self).where(\Post.score == nil),
            postgres: #"SELECT "posts"."id" FROM "posts" WHERE "posts"."rating" IS NULL"#,
            sqlite: #"SELECT "posts"."id" FROM "posts" WHERE "posts"."rating" IS NULL"#
        )
        try expectSQL(
            select(Post.Columns.id, from: Post.self).where(\Post.score != nil),
            postgres: #"SELECT "posts"."id" FROM "posts" WHERE "posts"."rating" IS NOT NULL"#,
            sqlite: #"SELECT "posts"."id" FROM "posts" WHERE "posts"."rating" IS NOT NULL"#
        )
    }

    @Test func booleanAndPrecedence() throws {
        let predicate = (Post.Columns.userId == 1 || Post.Columns.userId == 2) && !(Post.Columns.title == "x")
        try expectSQL(
            select(Post.Columns.id, from: Post.self).where(predicate),
            postgres:
                #"SELECT "posts"."id" FROM "posts" WHERE ("posts"."user_id" = $1 OR "posts"."user_id" = $2) AND NOT ("posts"."title" = $3)"#,
            sqlite:
                #"SELECT "posts"."id" FROM "posts" WHERE ("posts"."user_id" = ? OR "posts"."user_id" = ?) AND NOT ("posts"."title" = ?)"#,
            binds: [.integer(1), .integer(2), .text("x")]
        )
    }

    @Test func comparisonsAndArithmetic() throws {
        let e =
            (Post.Columns.userId + 1) * 2 > 10 && Post.Columns.userId - Post.Columns.userId <= 0
            && Post.Columns.userId < 5 && Post.Columns.userId >= 1 && Post.Columns.userId != 3
        try expectSQL(
            select(Post.Columns.id, from: Post.self).where(e),
            postgres:
                #"SELECT "posts"."id" FROM "posts" WHERE ("posts"."user_id" + $1) * $2 > $3 AND "posts"."user_id" - "posts"."user_id" <= $4 AND "posts"."user_id" < $5 AND "posts"."user_id" >= $6 AND "posts"."user_id" <> $7"#,
            sqlite:
                #"SELECT "posts"."id" FROM "posts" WHERE ("posts"."user_id" + ?) * ? > ? AND "posts"."user_id" - "posts"."user_id" <= ? AND "posts"."user_id" < ? AND "posts"."user_id" >= ? AND "posts"."user_id" <> ?"#,
            binds: [.integer(1), .integer(2), .integer(10), .integer(0), .integer(5), .integer(1), .integer(3)]
        )
    }

    @Test func inAndNotIn() throws {
        try expectSQL(
            select(User.Columns.id, from: User.self).where(User.Columns.name.in(["a", "b"])),
            postgres: #"SELECT "users"."id" FROM "users" WHERE "users"."name" IN ($1, $2)"#,
            sqlite: #"SELECT "users"."id" FROM "users" WHERE "users"."name" IN (?, ?)"#,
            binds: [.text("a"), .text("b")]
        )
        try expectSQL(
            select(User.Columns.id, from: User.self).where(User.Columns.name.notIn(["a"])),
            postgres: #"SELECT "users"."id" FROM "users" WHERE "users"."name" NOT IN ($1)"#,
            sqlite: #"SELECT "users"."id" FROM "users" WHERE "users"."name" NOT IN (?)"#,
            binds: [.text("a")]
        )
    }

    @Test func emptyInListsAreConstant() throws {
        try expectSQL(
            select(User.Columns.id, from: User.self).where(User.Columns.name.in([String]())),
            postgres: #"SELECT "users"."id" FROM "users" WHERE 1 = 0"#,
            sqlite: #"SELECT "users"."id" FROM "users" WHERE 1 = 0"#
        )
        try expectSQL(
            select(User.Columns.id, from: User.self).where(User.Columns.name.notIn([String]())),
            postgres: #"SELECT "users"."id" FROM "users" WHERE 1 = 1"#,
            sqlite: #"SELECT "users"."id" FROM "users" WHERE 1 = 1"#
        )
    }

    @Test func likeIlikeBetweenNull() throws {
        let e =
            User.Columns.name.like("A%") && User.Columns.email.ilike("%@X.com")
            && User.Columns.id.between(1, and: 9) && Post.Columns.score.isNull && Post.Columns.score.isNotNull
        try expectSQL(
            select(User.Columns.id, from: User.self).where(e),
            postgres:
                #"SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE $1 AND "users"."email" ILIKE $2 AND "users"."id" BETWEEN $3 AND $4 AND "posts"."rating" IS NULL AND "posts"."rating" IS NOT NULL"#,
            sqlite:
                #"SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE ? AND LOWER("users"."email") LIKE LOWER(?) AND "users"."id" BETWEEN ? AND ? AND "posts"."rating" IS NULL AND "posts"."rating" IS NOT NULL"#,
            binds: [.text("A%"), .text("%@X.com"), .integer(1), .integer(9)]
        )
    }

    @Test func aggregatesAndFunctions() throws {
        try expectSQL(
            select(count(), from: Post.self),
            postgres: #"SELECT COUNT(*) FROM "posts""#,
            sqlite: #"SELECT COUNT(*) FROM "posts""#
        )
        try expectSQL(
            select(
                count(Post.Columns.userId, distinct: true),
                sum(Post.Columns.userId),
                avg(Post.Columns.score),
                min(Post.Columns.title),
                max(Post.Columns.title),
                from: Post.self
            ),
            postgres:
                #"SELECT COUNT(DISTINCT "posts"."user_id"), SUM("posts"."user_id"), AVG("posts"."rating"), MIN("posts"."title"), MAX("posts"."title") FROM "posts""#,
            sqlite:
                #"SELECT COUNT(DISTINCT "posts"."user_id"), SUM("posts"."user_id"), AVG("posts"."rating"), MIN("posts"."title"), MAX("posts"."title") FROM "posts""#
        )
        try expectSQL(
            select(
                lower(User.Columns.name),
                upper(User.Columns.email),
                coalesce(Post.Columns.score, 0.5).as("s"),
                from: User.self
            ),
            postgres:
                #"SELECT LOWER("users"."name"), UPPER("users"."email"), COALESCE("posts"."rating", $1) AS "s" FROM "users""#,
            sqlite:
                #"SELECT LOWER("users"."name"), UPPER("users"."email"), COALESCE("posts"."rating", ?) AS "s" FROM "users""#,
            binds: [.double(0.5)]
        )
    }

    @Test func orderLimitOffsetDistinct() throws {
        try expectSQL(
            select(Post.Columns.title, from: Post.self).distinct()
                .orderBy(Post.Columns.score.desc.nullsLast, Post.Columns.id.asc.nullsFirst)
                .limit(20).offset(40),
            postgres:
                #"SELECT DISTINCT "posts"."title" FROM "posts" ORDER BY "posts"."rating" DESC NULLS LAST, "posts"."id" ASC NULLS FIRST LIMIT $1 OFFSET $2"#,
            sqlite:
                #"SELECT DISTINCT "posts"."title" FROM "posts" ORDER BY "posts"."rating" DESC NULLS LAST, "posts"."id" ASC NULLS FIRST LIMIT ? OFFSET ?"#,
            binds: [.integer(20), .integer(40)]
        )
        try expectSQL(
            select(Post.Columns.id, from: Post.self).orderBy(\Post.id).offset(5),
            postgres: #"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."id" ASC OFFSET $1"#,
            sqlite: #"SELECT "posts"."id" FROM "posts" ORDER BY "posts"."id" ASC LIMIT -1 OFFSET ?"#,
            binds: [.integer(5)]
        )
    }

    @Test func joinsGroupByHaving() throws {
        try expectSQL(
            select(User.Columns.name, count(Post.Columns.id), from: User.self)
                .leftJoin(Post.self, on: Post.Columns.userId == User.Columns.id)
                .join(Profile.self, on: Profile.Columns.isActive == true)
                .groupBy(User.Columns.name)
                .having(count(Post.Columns.id) > 2),
            postgres:
                #"SELECT "users"."name", COUNT("posts"."id") FROM "users" LEFT JOIN "posts" ON "posts"."user_id" = "users"."id" JOIN "profiles" ON "profiles"."is_active" = $1 GROUP BY "users"."name" HAVING COUNT("posts"."id") > $2"#,
            sqlite:
                #"SELECT "users"."name", COUNT("posts"."id") FROM "users" LEFT JOIN "posts" ON "posts"."user_id" = "users"."id" JOIN "profiles" ON "profiles"."is_active" = ? GROUP BY "users"."name" HAVING COUNT("posts"."id") > ?"#,
            binds: [.bool(true), .integer(2)]
        )
    }

    @Test func subqueries() throws {
        let authors = select(Post.Columns.userId, from: Post.self).where(Post.Columns.title == "t")
        try expectSQL(
            select(User.Columns.id, from: User.self).where(User.Columns.id.in(authors)),
            postgres:
                #"SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "posts"."user_id" FROM "posts" WHERE "posts"."title" = $1)"#,
            sqlite:
                #"SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "posts"."user_id" FROM "posts" WHERE "posts"."title" = ?)"#,
            binds: [.text("t")]
        )
        let hasPosts = select(Post.Columns.id, from: Post.self).where(Post.Columns.userId == User.Columns.id)
        try expectSQL(
            select(User.Columns.id, from: User.self).where(exists(hasPosts) && notExists(hasPosts)),
            postgres:
                #"SELECT "users"."id" FROM "users" WHERE EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."user_id" = "users"."id") AND NOT EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."user_id" = "users"."id")"#,
            sqlite:
                #"SELECT "users"."id" FROM "users" WHERE EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."user_id" = "users"."id") AND NOT EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."user_id" = "users"."id")"#
        )
    }

    @Test func identifiersAreQuotedAndValuesNeverSpliced() throws {
        let evil = "x'); DROP TABLE users; --"
        let compiled = try select(User.self).where(\.name == evil).compile(for: .postgresql)
        #expect(!compiled.sql.contains("DROP"))
        #expect(compiled.binds == [.text(evil)])
    }

    @Test func unknownKeyPathThrows() {
        #expect(throws: CompileError.self) {
            _ = try select(Profile.self).where(Profile.column(\.computed) == "x").compile(for: .sqlite)
        }
    }

    @Test func keyPathsOfJoinedTables() throws {
        // The spelling of a single-table filter, in a join: the key path names its table.
        try expectSQL(
            select(Post.Columns.title, from: Post.self)
                .join(User.self, on: \User.id == \Post.userId)
                .where(\User.name == "Ada" && \User.email != "x")
                .where(\Post.title < \User.name)
                .orderBy(descending: \User.name)
                .orderBy(\Post.title),
            postgres:
                #"SELECT "posts"."title" FROM "posts" JOIN "users" ON "users"."id" = "posts"."user_id" WHERE "users"."name" = $1 AND "users"."email" <> $2 AND "posts"."title" < "users"."name" ORDER BY "users"."name" DESC, "posts"."title" ASC"#,
            sqlite:
                #"SELECT "posts"."title" FROM "posts" JOIN "users" ON "users"."id" = "posts"."user_id" WHERE "users"."name" = ? AND "users"."email" <> ? AND "posts"."title" < "users"."name" ORDER BY "users"."name" DESC, "posts"."title" ASC"#,
            binds: [.text("Ada"), .text("x")]
        )
        // A key path that is no stored column is still the unknownColumn error, in a join too.
        #expect(throws: CompileError.self) {
            _ = try select(Post.self).join(Profile.self, on: \Profile.computed == \Post.title).compile(for: .sqlite)
        }
    }
}
