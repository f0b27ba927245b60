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
            // The enum's default is the property's initial value: a row built without it holds
            // what the database would have given it.
            let defaulted = try await engine.one(insert(Diary(title: "third", day: today, made: today)).returning())
            #expect(defaulted.mood == .ok)
            written.mood = .ok
            try await engine.execute(update(written))
            let okDays = try await engine.all(select(Diary.self).where(\.mood == Mood.ok).orderBy(\.id))
            #expect(okDays.map(\.id) == [written.id, defaulted.id])
            // A label the type does not have is the server's typed error; nothing changes.
            await #expect(throws: DatabaseError.self) {
                try await engine.execute(SQL("UPDATE diary SET mood = \(DatabaseValue.enumLabel("furious"))"))
            }
            #expect(
                try await engine.scalar(select(count(), from: DiaryMood.self).where(\DiaryMood.mood == Mood.happy)) == 2
            )
            #expect(try await engine.scalar(select(count(), from: Diary.self)) == 5)
        }
    }
}

extension PostgreSQLTypesTests {
    /// Types without a Swift type of their own (full-text vectors, network addresses, money,
    /// ranges, geometry, bit strings, composite types) are `String`s in their text form: read
    /// as the column cast to text, written untyped for the server to parse as the column's type.
    @Test func typesWithoutASwiftTypeTravelAsText() async throws {
        let database = try await TestDatabase.make(.postgres)
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            for statement in [
                "CREATE TYPE address AS (street text, zip text)",
                "CREATE TABLE place (id serial PRIMARY KEY, search tsvector NOT NULL, ip inet, price money, span int4range, spot point, flags bit(4), home address, hosts inet[], payload jsonb, grid integer[][])",
                "INSERT INTO place (search, ip, price, span, spot, flags, home, grid) VALUES (to_tsvector('simple', 'old harbour'), '10.0.0.1', 12.5, '[1,5)', '(1,2)', B'1010', ROW('Main St', '12345'), '{{1,2},{3,4}}')",
            ] {
                try await engine.execute(SQL(unsafeRaw: statement))
            }
            // What `quarry reflect` writes for them (an array of such a type stays bytes).
            let source = ModelSourceGenerator(schema: try await engine.introspect(), dialect: .postgresql).source()
            for line in [
                #"@Column(.type(.sql("tsvector"))) var search: String"#,
                #"@Column(.type(.sql("inet"))) var ip: String? = nil"#,
                #"@Column(.type(.sql("int4range"))) var span: String? = nil"#,
                #"@Column(.type(.sql("address"))) var home: String? = nil"#,
                #"@Column(.type(.sql("inet[]"))) var hosts: [Data]? = nil"#,
                #"@Column(.type(.json)) var payload: Data? = nil"#,
                // An array of arrays, which format_type writes as `integer[]`.
                #"var grid: [[Int32]]? = nil"#,
            ] {
                #expect(source.contains(line), "\(line)")
            }

            let first = try await engine.one(select(Place.self))
            #expect(first.search == "'harbour':2 'old':1")
            #expect(first.ip == "10.0.0.1/32")  // CAST(inet AS TEXT) writes the mask
            #expect(first.price?.contains("12.50") == true)  // formatted by the server's lc_monetary
            #expect(first.span == "[1,5)" && first.spot == "(1,2)" && first.flags == "1010")
            #expect(first.home == #"("Main St",12345)"#)
            #expect(first.grid == [[1, 2], [3, 4]])

            // Written untyped: an insert with RETURNING, an update of the model, a session.
            var second = try await engine.one(
                insert(
                    Place(
                        search: "'new':1",
                        ip: "192.168.0.0/16",
                        price: "3.25",
                        span: "[2,3]",
                        spot: "(0,0)",
                        flags: "0001",
                        home: "(Elm,999)",
                        payload: Data(#"{"floors":  3}"#.utf8),
                        grid: [[5, 6], [7, 8]]
                    )
                )
                .returning()
            )
            #expect(second.span == "[2,4)" && second.ip == "192.168.0.0/16" && second.home == "(Elm,999)")
            #expect(second.price?.contains("3.25") == true)
            #expect(second.payload == Data(#"{"floors": 3}"#.utf8))  // JSONB's own spacing
            #expect(second.grid == [[5, 6], [7, 8]])
            second.search = "'changed':1"
            try await engine.execute(update(second))
            try await engine.withSession { session in
                var place = try #require(try await session.get(Place.self, id: second.id!))
                #expect(place.search == "'changed':1")
                place.flags = "1111"
                try session.update(place)
                try session.add(Place(search: "'third':1"))
                try await session.commit()
            }
            let rows = try await engine.all(select(Place.self).orderBy(\.id))
            #expect(rows.map(\.search) == ["'harbour':2 'old':1", "'changed':1", "'third':1"])
            #expect(rows[1].flags == "1111")

            // Text the type cannot read is the server's typed error, and nothing is written.
            let refused = await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(Place(search: "'x':1", ip: "not an address")))
            }
            #expect(refused?.message.contains("inet") == true)
            #expect(try await engine.scalar(select(count(), from: Place.self)) == 3)
        }
    }
}

/// The model of `place` as `quarry reflect` writes it.
@Table("place")
struct Place: Sendable, Equatable {
    @Column(.primaryKey) var id: Int32? = nil
    @Column(.type(.sql("tsvector"))) var search: String
    @Column(.type(.sql("inet"))) var ip: String? = nil
    @Column(.type(.sql("money"))) var price: String? = nil
    @Column(.type(.sql("int4range"))) var span: String? = nil
    @Column(.type(.sql("point"))) var spot: String? = nil
    @Column(.type(.sql("bit(4)"))) var flags: String? = nil
    @Column(.type(.sql("address"))) var home: String? = nil
    @Column(.type(.sql("inet[]"))) var hosts: [Data]? = nil
    @Column(.type(.json)) var payload: Data? = nil
    var grid: [[Int32]]? = nil
}

@Table("diary")
struct Diary: Sendable, Equatable {
    @Column(.primaryKey) var id: Int32? = nil
    @Column(.defaultSQL("'ok'::mood")) var mood: Mood = .ok
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
            @Column(.defaultSQL("'ok'::mood")) var mood: Mood = .ok
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
