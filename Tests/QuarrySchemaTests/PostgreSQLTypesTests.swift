import Foundation
import Quarry
import QuarryTesting
import Testing

/// Types a real PostgreSQL schema has beyond Quarry's own: enums, domains, arrays, intervals —
/// introspected and read back, and what `quarry reflect` writes for them.
@Suite("PostgreSQL types in reflection")
struct PostgreSQLTypesTests {
    @Test func enumsDomainsAndOtherTypesAreReflectedAndRead() async throws {
        let database = try await TestDatabase.make(.postgres)
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            for statement in [
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE DOMAIN short_text AS varchar(20)",
                "CREATE DOMAIN year AS integer CHECK (VALUE BETWEEN 1901 AND 2155)",
                "CREATE TABLE diary (id serial PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok', title short_text, tags text[], took interval, day date NOT NULL DEFAULT CURRENT_DATE, note xml, year year, made date NOT NULL DEFAULT ('now'::text)::date)",
                "INSERT INTO diary (mood, title, tags, took, note, year) VALUES ('happy', 'first', '{a,b}', '1 hour', '<p>hi</p>', 2024), ('sad', NULL, NULL, NULL, NULL, NULL)",
            ] {
                try await engine.execute(SQL(unsafeRaw: statement))
            }
            let schema = try await engine.introspect()
            #expect(schema.enumTypes["mood"] == ["sad", "ok", "happy"])
            let diary = try #require(schema.table(named: "diary"))
            #expect(diary.column(named: "id")?.isIdentity == true)  // serial
            #expect(diary.column(named: "mood")?.type == .sql("mood"))
            #expect(diary.column(named: "mood")?.defaultValue == .expression("'ok'::mood"))
            #expect(diary.column(named: "tags")?.type == .sql("text[]"))
            #expect(diary.column(named: "day")?.type == .sql("date"))

            // Enum labels and xml read as text (their binary form is their text); a date as a Date.
            #expect(try await engine.all(SQLQuery<String>("SELECT mood FROM diary ORDER BY id")) == ["happy", "sad"])
            #expect(try await engine.scalar(SQLQuery<String>("SELECT note FROM diary WHERE id = 1")) == "<p>hi</p>")
            #expect(try await engine.scalar(SQLQuery<Date>("SELECT day FROM diary WHERE id = 1")) <= Date())

            // The generated model (its text is below, verbatim) reads every row.
            let source = ModelSourceGenerator(schema: schema, dialect: .postgresql).source()
            #expect(source.hasSuffix(Self.generated))
            let rows = try await engine.all(select(Diary.self).orderBy(\.id))
            #expect(rows.map(\.mood) == ["happy", "sad"])
            #expect(rows[0].title == "first" && rows[1].title == nil)
            // Arrays and intervals come as PostgreSQL's binary form: bytes, never garbled text.
            #expect(rows[0].tags?.count ?? 0 > 20)
            #expect(rows[0].took?.count == 16)
            #expect(rows[1].tags == nil)
            #expect(rows[0].note == "<p>hi</p>")
            #expect(rows.map(\.year) == [2024, nil])  // a domain reads as its base type
        }
    }
}

@Table("diary")
struct Diary: Sendable, Equatable {
    @Column(.primaryKey) var id: Int32? = nil
    @Column(.type(.sql("mood")), .defaultSQL("'ok'::mood")) var mood: String
    @Column(.type(.sql("short_text"))) var title: String? = nil
    @Column(.type(.sql("text[]"))) var tags: Data? = nil
    @Column(.type(.sql("interval"))) var took: Data? = nil
    @Column(.type(.sql("date")), .defaultSQL("CURRENT_DATE")) var day: Date
    @Column(.type(.sql("xml"))) var note: String? = nil
    @Column(.type(.sql("year"))) var year: Int32? = nil
    @Column(.type(.sql("date")), .defaultSQL("('now'::text)::date")) var made: Date
}

extension PostgreSQLTypesTests {
    static let generated = """
        @Table("diary")
        struct Diary: Sendable, Equatable {
            @Column(.primaryKey) var id: Int32? = nil
            @Column(.type(.sql("mood")), .defaultSQL("'ok'::mood")) var mood: String
            @Column(.type(.sql("short_text"))) var title: String? = nil
            @Column(.type(.sql("text[]"))) var tags: Data? = nil
            @Column(.type(.sql("interval"))) var took: Data? = nil
            @Column(.type(.sql("date")), .defaultSQL("CURRENT_DATE")) var day: Date
            @Column(.type(.sql("xml"))) var note: String? = nil
            @Column(.type(.sql("year"))) var year: Int32? = nil
            @Column(.type(.sql("date")), .defaultSQL("('now'::text)::date")) var made: Date
        }

        """
}
