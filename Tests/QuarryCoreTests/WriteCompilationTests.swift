import Foundation
import QuarryCore
import Testing

@Suite("INSERT, UPDATE, DELETE, upsert and raw SQL compilation")
struct WriteCompilationTests {
    let ada = User(name: "Ada", email: "ada@example.com", createdAt: Date(timeIntervalSince1970: 1))

    /// Regression (issue 15, item 5): a key path that is not a stored column fell back to
    /// column 0 (`?? 0`) and silently wrote the primary key.
    @Test func keyPathsThatAreNotColumnsAreCompileErrors() throws {
        let profile = Profile(id: UUID(), settings: JSONColumn(Settings(theme: "dark")))
        let statements: [(String, any Statement)] = [
            ("set value", update(Profile.self).set(\.computed, to: "y").where(\.isActive == true)),
            ("set expression", update(Profile.self).set(\.computed, to: Profile.column(\.computed))),
            ("onConflict", insert(profile).onConflict(\.computed).doNothing()),
            ("doUpdate", insert(profile).onConflict(\.id).doUpdate(\.computed)),
        ]
        for (name, statement) in statements {
            for dialect in [Dialect.postgresql, .sqlite] {
                let error = #expect(throws: CompileError.self, "\(name)") { try statement.compile(for: dialect) }
                #expect(error?.code == .unknownColumn)
                #expect(error?.message.contains("computed") == true, "\(error?.message ?? "")")
            }
        }
        // The valid forms still compile.
        #expect(throws: Never.self) { try update(Profile.self).set(\.isActive, to: false).compile(for: .sqlite) }
    }

    @Test func updateFromAndDeleteUsing() throws {
        let retitle = update(Post.self).from(User.self).set(\.title, to: User.Columns.name)
            .where(Post.Columns.userId == User.Columns.id && User.Columns.name != "x")
        let pg = try retitle.compile(for: .postgresql)
        #expect(
            pg.sql
                == #"UPDATE "posts" SET "title" = "users"."name" FROM "users" WHERE "posts"."user_id" = "users"."id" AND "users"."name" <> $1"#
        )
        #expect(pg.binds == [.text("x")])
        #expect(try retitle.compile(for: .sqlite).sql == pg.sql.replacingOccurrences(of: "$1", with: "?"))

        let purge = delete(from: Post.self).using(User.self)
            .where(Post.Columns.userId == User.Columns.id && User.Columns.name == "spam")
        #expect(
            try purge.compile(for: .postgresql).sql
                == #"DELETE FROM "posts" USING "users" WHERE "posts"."user_id" = "users"."id" AND "users"."name" = $1"#
        )
        #expect(
            try purge.compile(for: .sqlite).sql
                == #"DELETE FROM "posts" WHERE EXISTS (SELECT 1 FROM "users" WHERE "posts"."user_id" = "users"."id" AND "users"."name" = ?)"#
        )
    }

    @Test func bulkInsertIsACopyOnPostgreSQLAndChunkedInsertsOnSQLite() throws {
        let users = (0..<3).map {
            User(name: "u\($0)", email: "u\($0)@example.com", createdAt: Date(timeIntervalSince1970: 0))
        }
        let copy = try #require(try bulkInsert(users).compiledChunks(for: .postgresql))
        #expect(copy.count == 1)
        #expect(copy[0].sql == #"COPY "users" ("name", "email", "created_at") FROM STDIN"#)
        #expect(copy[0].binds.isEmpty && copy[0].bulkCopy?.rows.count == 3)
        let inserts = try #require(try bulkInsert(users).compiledChunks(for: .sqlite))
        #expect(
            inserts.count == 1
                && inserts[0].sql.hasPrefix(#"INSERT INTO "users" ("name", "email", "created_at") VALUES"#)
        )
        #expect(inserts[0].bulkCopy == nil)

        var text = ""
        BulkCopy(
            table: "t",
            columns: ["a", "b", "c"],
            rows: [
                [.text("tab\there\\"), .null, .blob(Data([1, 255]))],
                [.text("line\nend\r"), .bool(true), .date(Date(timeIntervalSince1970: 0))],
            ]
        ).appendText(rows: 0..<2, to: &text)
        #expect(text == "tab\\there\\\\\t\\N\t\\\\x01ff\nline\\nend\\r\ttrue\t1970-01-01 00:00:00.000000+00\n")
    }

    @Test func insertOneOmitsNilAutoIncrementKey() throws {
        try expectSQL(
            insert(ada),
            postgres: #"INSERT INTO "users" ("name", "email", "created_at") VALUES ($1, $2, $3)"#,
            sqlite: #"INSERT INTO "users" ("name", "email", "created_at") VALUES (?, ?, ?)"#,
            binds: [.text("Ada"), .text("ada@example.com"), .date(Date(timeIntervalSince1970: 1))]
        )
    }

    @Test func insertManyWithReturning() throws {
        var bob = ada
        bob.name = "Bob"
        bob.email = "bob@example.com"
        try expectSQL(
            insert([ada, bob]).returning(),
            postgres:
                #"INSERT INTO "users" ("name", "email", "created_at") VALUES ($1, $2, $3), ($4, $5, $6) RETURNING "id", "name", "email", "created_at""#,
            sqlite:
                #"INSERT INTO "users" ("name", "email", "created_at") VALUES (?, ?, ?), (?, ?, ?) RETURNING "id", "name", "email", "created_at""#,
            binds: [
                .text("Ada"), .text("ada@example.com"), .date(Date(timeIntervalSince1970: 1)),
                .text("Bob"), .text("bob@example.com"), .date(Date(timeIntervalSince1970: 1)),
            ]
        )
    }

    @Test func insertWithExplicitKey() throws {
        var withID = ada
        withID.id = 7
        let compiled = try insert(withID).compile(for: .postgresql)
        #expect(compiled.sql == #"INSERT INTO "users" ("id", "name", "email", "created_at") VALUES ($1, $2, $3, $4)"#)
    }

    @Test func emptyInsertThrows() {
        #expect(throws: CompileError.self) { _ = try insert([User]()).compile(for: .sqlite) }
    }

    @Test func upserts() throws {
        try expectSQL(
            insert(ada).onConflict(\.email).doUpdate(\.name, \.createdAt),
            postgres:
                #"INSERT INTO "users" ("name", "email", "created_at") VALUES ($1, $2, $3) ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name", "created_at" = excluded."created_at""#,
            sqlite:
                #"INSERT INTO "users" ("name", "email", "created_at") VALUES (?, ?, ?) ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name", "created_at" = excluded."created_at""#,
            binds: [.text("Ada"), .text("ada@example.com"), .date(Date(timeIntervalSince1970: 1))]
        )
        try expectSQL(
            insert(ada).onConflict(\.email).doNothing(),
            postgres:
                #"INSERT INTO "users" ("name", "email", "created_at") VALUES ($1, $2, $3) ON CONFLICT ("email") DO NOTHING"#,
            sqlite:
                #"INSERT INTO "users" ("name", "email", "created_at") VALUES (?, ?, ?) ON CONFLICT ("email") DO NOTHING"#,
            binds: [.text("Ada"), .text("ada@example.com"), .date(Date(timeIntervalSince1970: 1))]
        )
    }

    @Test func updates() throws {
        try expectSQL(
            update(User.self).set(\.name, to: "Eve").where(\.id == 3),
            postgres: #"UPDATE "users" SET "name" = $1 WHERE "users"."id" = $2"#,
            sqlite: #"UPDATE "users" SET "name" = ? WHERE "users"."id" = ?"#,
            binds: [.text("Eve"), .integer(3)]
        )
        try expectSQL(
            update(Post.self).set(\.userId, to: Post.Columns.userId + 1).where(\.id == 1).returning(),
            postgres:
                #"UPDATE "posts" SET "user_id" = "posts"."user_id" + $1 WHERE "posts"."id" = $2 RETURNING "id", "user_id", "title", "body", "rating""#,
            sqlite:
                #"UPDATE "posts" SET "user_id" = "posts"."user_id" + ? WHERE "posts"."id" = ? RETURNING "id", "user_id", "title", "body", "rating""#,
            binds: [.integer(1), .integer(1)]
        )
        var saved = ada
        saved.id = 9
        try expectSQL(
            update(saved),
            postgres: #"UPDATE "users" SET "name" = $1, "email" = $2, "created_at" = $3 WHERE "id" = $4"#,
            sqlite: #"UPDATE "users" SET "name" = ?, "email" = ?, "created_at" = ? WHERE "id" = ?"#,
            binds: [.text("Ada"), .text("ada@example.com"), .date(Date(timeIntervalSince1970: 1)), .integer(9)]
        )
        #expect(throws: CompileError.self) { _ = try update(User.self).compile(for: .sqlite) }
        #expect(throws: CompileError.self) { _ = try update(ada).compile(for: .sqlite) }  // no key value
    }

    @Test func deletes() throws {
        try expectSQL(
            delete(from: Post.self).where(\.userId == 7).returning(),
            postgres:
                #"DELETE FROM "posts" WHERE "posts"."user_id" = $1 RETURNING "id", "user_id", "title", "body", "rating""#,
            sqlite:
                #"DELETE FROM "posts" WHERE "posts"."user_id" = ? RETURNING "id", "user_id", "title", "body", "rating""#,
            binds: [.integer(7)]
        )
        try expectSQL(delete(from: Post.self), postgres: #"DELETE FROM "posts""#, sqlite: #"DELETE FROM "posts""#)
    }

    @Test func sensitiveColumnValuesAreRedactedForLogs() throws {
        let account = Account(id: 1, login: "ada", password: "hunter2")
        let inserted = try insert(account).compile(for: .postgresql)
        #expect(inserted.binds == [.integer(1), .text("ada"), .text("hunter2")])
        #expect(inserted.bindsForLogs == ["1", "'ada'", "<redacted>"])

        let changed = try update(Account.self).set(\.password, to: "s3cret").set(\.login, to: "eve").where(\.id == 1)
            .compile(for: .sqlite)
        #expect(changed.sensitiveBindIndexes == [0])

        let compared = try select(Account.self)
            .where(Account.Columns.password == "hunter2" && Account.Columns.login == "ada")
            .compile(for: .postgresql)
        #expect(compared.sensitiveBindIndexes == [0])
        let listed = try select(Account.self).where(Account.Columns.password.in(["a", "b"])).compile(for: .sqlite)
        #expect(listed.sensitiveBindIndexes == [0, 1])
        let patterned = try delete(from: Account.self).where(Account.Columns.password.like("hun%")).compile(
            for: .sqlite
        )
        #expect(patterned.sensitiveBindIndexes == [0])
        // A value compared with a subquery's sensitive column, with IN, ALL or ANY (both forms).
        let passwords = select(Account.Columns.password, from: Account.self).where(Account.Columns.login == "ada")
        for dialect in [Dialect.postgresql, .sqlite] {
            let inSubquery = try select(Account.self).where(value("hunter2").in(passwords)).compile(for: dialect)
            #expect(inSubquery.sensitiveBindIndexes == [0])
            #expect(inSubquery.bindsForLogs == ["<redacted>", "'ada'"])
            let quantified = try select(Account.self).where(value("hunter2").compare(.equal, any: passwords))
                .compile(for: dialect)
            #expect(quantified.bindsForLogs.filter { $0 == "<redacted>" }.count == (dialect == .sqlite ? 2 : 1))
            #expect(!quantified.bindsForLogs.contains("'hunter2'"))
        }
        // A table without sensitive columns marks nothing.
        #expect(
            try insert(User(name: "Ada", email: "ada@example.com")).compile(for: .sqlite).sensitiveBindIndexes.isEmpty
        )
    }

    @Test func rawSQLBindsInterpolations() throws {
        let email = "a'b@example.com"
        let limit = 3
        try expectSQL(
            "SELECT id FROM \(identifier: "users") WHERE email = \(email) LIMIT \(limit)" as SQL,
            postgres: #"SELECT id FROM "users" WHERE email = $1 LIMIT $2"#,
            sqlite: #"SELECT id FROM "users" WHERE email = ? LIMIT ?"#,
            binds: [.text(email), .integer(3)]
        )
        try expectSQL(
            "SELECT \(unsafeRaw: "1") WHERE \(User.Columns.id == 5)" as SQL,
            postgres: #"SELECT 1 WHERE "users"."id" = $1"#,
            sqlite: #"SELECT 1 WHERE "users"."id" = ?"#,
            binds: [.integer(5)]
        )
    }

    @Test func createTable() throws {
        try expectSQL(
            QuarryCore.createTable(Post.self, ifNotExists: true),
            postgres:
                #"CREATE TABLE IF NOT EXISTS "posts" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "user_id" BIGINT NOT NULL REFERENCES "users" ("id"), "title" TEXT NOT NULL, "body" TEXT NOT NULL, "rating" DOUBLE PRECISION)"#,
            sqlite:
                #"CREATE TABLE IF NOT EXISTS "posts" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "user_id" INTEGER NOT NULL REFERENCES "users" ("id"), "title" TEXT NOT NULL, "body" TEXT NOT NULL, "rating" REAL)"#
        )
        try expectSQL(
            QuarryCore.createTable(Profile.self),
            postgres:
                #"CREATE TABLE "profiles" ("id" UUID PRIMARY KEY, "settings" JSONB NOT NULL, "is_active" BOOLEAN NOT NULL, "avatar_url" BYTEA)"#,
            sqlite:
                #"CREATE TABLE "profiles" ("id" TEXT PRIMARY KEY, "settings" TEXT NOT NULL, "is_active" BOOLEAN NOT NULL, "avatar_url" BLOB)"#
        )
        let indexes = createIndexes(Post.self, ifNotExists: true)
        #expect(indexes.count == 1)
        try expectSQL(
            indexes[0],
            postgres: #"CREATE INDEX IF NOT EXISTS "ix_posts_user_id" ON "posts" ("user_id")"#,
            sqlite: #"CREATE INDEX IF NOT EXISTS "ix_posts_user_id" ON "posts" ("user_id")"#
        )
    }
}
