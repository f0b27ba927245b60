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
                "CREATE TABLE diary (id serial PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok', title short_text, tags text[], took interval, day date NOT NULL DEFAULT CURRENT_DATE, note xml, year year, made date NOT NULL DEFAULT ('now'::text)::date, moods mood[])",
                "CREATE INDEX diary_title_lower ON diary (lower(title), year)",
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
            #expect(diary.column(named: "tags")?.type == .array(.text))
            #expect(diary.column(named: "took")?.type == .interval)
            #expect(diary.column(named: "day")?.type == .date)

            // Enum labels and xml read as text (their binary form is their text); a date as a
            // CalendarDate, or as midnight UTC into a Date.
            #expect(try await engine.all(SQLQuery<String>("SELECT mood FROM diary ORDER BY id")) == ["happy", "sad"])
            #expect(try await engine.scalar(SQLQuery<String>("SELECT note FROM diary WHERE id = 1")) == "<p>hi</p>")
            #expect(try await engine.scalar(SQLQuery<Date>("SELECT day FROM diary WHERE id = 1")) <= Date())
            let today = try await engine.scalar(SQLQuery<CalendarDate>("SELECT day FROM diary WHERE id = 1"))
            #expect(try await engine.scalar(SQLQuery<CalendarDate>("SELECT CURRENT_DATE")) == today)
            // PostgreSQL's 24:00:00 is no TimeOfDay: a typed error, never a quiet nil.
            let endOfDay = await #expect(throws: DatabaseError.self) {
                try await engine.scalar(SQLQuery<TimeOfDay?>("SELECT '24:00:00'::time"))
            }
            #expect(endOfDay?.code == .typeMismatch)

            // The generated model (its text is below, verbatim) reads every row; the enum type
            // it uses becomes a Swift enum (`Mood` below is that text too).
            let source = ModelSourceGenerator(schema: schema, dialect: .postgresql).source()
            #expect(source.hasSuffix(Self.generated))
            #expect(source.contains(Self.generatedEnum))
            // The expression index as the generated model declares it is the one in the database.
            let wanted = try TableDefinition(Diary.self, for: .postgresql)
            #expect(SchemaDiff.same(try #require(wanted.indexes.first), try #require(diary.indexes.first)))
            let rows = try await engine.all(select(Diary.self).orderBy(\.id))
            #expect(rows.map(\.mood) == [.happy, .sad])
            #expect(rows[0].title == "first" && rows[1].title == nil)
            // Arrays and intervals read as Swift arrays and Intervals.
            #expect(rows[0].tags == ["a", "b"])
            #expect(rows[0].took == Interval(microseconds: 3_600_000_000))
            #expect(rows[1].tags == nil)
            #expect(rows[0].made == rows[0].day)
            #expect(rows[0].note == "<p>hi</p>")
            #expect(rows.map(\.year) == [2024, nil])  // a domain reads as its base type

            // The generated enum writes and compares labels of the native enum type, through the
            // generated model too.
            var entry = try await engine.one(insert(DiaryMood(mood: .ok, moods: [.sad, .happy])).returning())
            #expect(entry.mood == .ok && entry.moods == [.sad, .happy])
            entry.mood = .happy
            try await engine.execute(update(DiaryMood.self).set(\.mood, to: .happy).where(\.id == entry.id!))
            let happy = try await engine.all(select(DiaryMood.self).where(\.mood == Mood.happy).orderBy(\.id))
            #expect(happy.map(\.id) == [1, entry.id])
            var written = try await engine.one(
                insert(Diary(mood: .sad, title: "second", day: today, made: today, moods: [.ok])).returning()
            )
            #expect(written.mood == .sad && written.moods == [.ok])
            written.mood = .ok
            try await engine.execute(update(written))
            let okDays = try await engine.all(select(Diary.self).where(\.mood == Mood.ok))
            #expect(okDays.map(\.id) == [written.id])
            // A label the type does not have is the server's typed error; nothing changes.
            await #expect(throws: DatabaseError.self) {
                try await engine.execute(SQL("UPDATE diary SET mood = \(DatabaseValue.enumLabel("furious"))"))
            }
            #expect(try await engine.scalar(select(count(), from: DiaryMood.self).where(\.mood == Mood.happy)) == 2)
            #expect(try await engine.scalar(select(count(), from: Diary.self)) == 4)
        }
    }
}

@Table("diary")
struct Diary: Sendable, Equatable {
    @Column(.primaryKey) var id: Int32? = nil
    @Column(.defaultSQL("'ok'::mood")) var mood: Mood
    @Column(.type(.sql("short_text"))) var title: String? = nil
    var tags: [String]? = nil
    var took: Interval? = nil
    @Column(.defaultSQL("CURRENT_DATE")) var day: CalendarDate
    @Column(.type(.sql("xml"))) var note: String? = nil
    @Column(.type(.sql("year"))) var year: Int32? = nil
    @Column(.defaultSQL("('now'::text)::date")) var made: CalendarDate
    @Column(.type(.sql("mood[]"))) var moods: [Mood]? = nil
}

extension Diary: ConstrainedTable {
    static let constraints: [TableConstraint<Diary>] = [
        .index(sql: "lower(title::text)", "\"year\"", name: "diary_title_lower")
    ]
}

/// The native PostgreSQL enum as the generator writes it.
enum Mood: String, Codable, Sendable, DatabaseEnum {
    case sad = "sad"
    case ok = "ok"
    case happy = "happy"

    static let enumTypeName = "mood"
}

@Table("diary")
struct DiaryMood: Sendable, Equatable {
    @Column(.primaryKey) var id: Int32? = nil
    var mood: Mood
    @Column(.type(.sql("mood[]"))) var moods: [Mood]? = nil
}

extension PostgreSQLTypesTests {
    static let generatedEnum = """
        enum Mood: String, Codable, Sendable, DatabaseEnum {
            case sad = "sad"
            case ok = "ok"
            case happy = "happy"

            static let enumTypeName = "mood"
        }

        """

    static let generated = """
        @Table("diary")
        struct Diary: Sendable, Equatable {
            @Column(.primaryKey) var id: Int32? = nil
            @Column(.defaultSQL("'ok'::mood")) var mood: Mood
            @Column(.type(.sql("short_text"))) var title: String? = nil
            var tags: [String]? = nil
            var took: Interval? = nil
            @Column(.defaultSQL("CURRENT_DATE")) var day: CalendarDate
            @Column(.type(.sql("xml"))) var note: String? = nil
            @Column(.type(.sql("year"))) var year: Int32? = nil
            @Column(.defaultSQL("('now'::text)::date")) var made: CalendarDate
            @Column(.type(.sql("mood[]"))) var moods: [Mood]? = nil
        }

        extension Diary: ConstrainedTable {
            static let constraints: [TableConstraint<Diary>] = [
                .index(sql: "lower(title::text)", "\\"year\\"", name: "diary_title_lower")
            ]
        }

        """
}
