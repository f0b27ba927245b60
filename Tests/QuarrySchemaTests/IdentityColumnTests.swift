import Foundation
import Quarry
import QuarryTesting
import Testing

/// Columns the database numbers: identity and serial columns beside the primary key
/// (`@Column(.identity)`), and SQLite's INTEGER PRIMARY KEY, which is its rowid — created,
/// reflected, written through the generated models with the number left to the database, and
/// compared by the diff without a false difference.
@Suite("Identity columns")
struct IdentityColumnTests {
    @Test func postgreSQLNumbersIdentityAndSerialColumnsBesideTheKey() async throws {
        let database = try await TestDatabase.make(.postgres)
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            try await engine.execute(
                SQL(
                    "CREATE TABLE tickets (code text PRIMARY KEY, number bigint GENERATED ALWAYS AS IDENTITY, seq smallserial, title text NOT NULL)"
                )
            )
            let schema = try await engine.introspect()
            let source = ModelSourceGenerator(schema: schema, dialect: .postgresql).source()
            #expect(source.contains("@Column(.identity) var number: Int64? = nil"), "\(source)")
            #expect(source.contains("@Column(.identity) var seq: Int16? = nil"), "\(source)")
            #expect(
                SchemaDiff(from: schema, to: [try TableDefinition(Ticket.self, for: .postgresql)], dialect: .postgresql)
                    .changes.isEmpty
            )

            // Left nil, the numbers are the database's, read back by RETURNING and by a session.
            let first = try await engine.one(insert(Ticket(code: "a", title: "first")).returning())
            #expect(first.number == 1 && first.seq == 1)
            try await engine.withSession { session in
                try session.add(Ticket(code: "b", title: "second"))
                try await session.commit()
            }
            var rows = try await engine.all(select(Ticket.self).orderBy(\.code))
            #expect(rows.map(\.number) == [1, 2] && rows.map(\.seq) == [1, 2])
            // Updates, of a row, by a session and by an upsert, leave the numbers alone
            // (PostgreSQL refuses to update a GENERATED ALWAYS identity).
            rows[0].title = "first, again"
            try await engine.execute(update(rows[0]))
            try await engine.withSession { session in
                var second = try #require(try await session.get(Ticket.self, id: "b"))
                second.title = "second, again"
                try session.update(second)
                try await session.commit()
            }
            try await engine.execute(
                insert(Ticket(code: "a", title: "upserted")).onConflict(\.code).doUpdateAll()
            )
            let updated = try await engine.all(select(Ticket.self).orderBy(\.code))
            #expect(updated.map(\.title) == ["upserted", "second, again"] && updated.map(\.number) == [1, 2])
        }
    }

    /// The model's own DDL makes the same columns, which reflect as identity again.
    @Test func aModelCreatesItsIdentityColumns() async throws {
        let database = try await TestDatabase.make(.postgres)
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            try await engine.createAll(Ticket.self)
            let table = try #require(try await engine.introspect().table(named: "tickets"))
            #expect(table.column(named: "number")?.isIdentity == true)
            #expect(table.column(named: "number")?.isNullable == false)
            #expect(table.column(named: "code")?.isIdentity == false)
            let wanted = try TableDefinition(Ticket.self, for: .postgresql)
            #expect(SchemaDiff(from: try await engine.introspect(), to: [wanted], dialect: .postgresql).changes.isEmpty)
            #expect(try await engine.one(insert(Ticket(code: "x", title: "")).returning()).seq == 1)
        }
    }

    /// An INTEGER PRIMARY KEY is numbered by SQLite, with or without AUTOINCREMENT; an INT key or
    /// a key of a table WITHOUT ROWID is not.
    @Test func sqliteNumbersItsIntegerPrimaryKey() async throws {
        let database = try await TestDatabase.make(.sqlite)
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            for statement in [
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
                "CREATE TABLE pairs (id INT PRIMARY KEY, body TEXT)",
                "CREATE TABLE words (id INTEGER PRIMARY KEY, body TEXT) WITHOUT ROWID",
            ] {
                try await engine.execute(SQL(unsafeRaw: statement))
            }
            let schema = try await engine.introspect()
            #expect(schema.table(named: "notes")?.column(named: "id")?.isIdentity == true)
            #expect(schema.table(named: "pairs")?.column(named: "id")?.isIdentity == false)
            #expect(schema.table(named: "words")?.column(named: "id")?.isIdentity == false)
            let source = ModelSourceGenerator(schema: schema, dialect: .sqlite).source()
            #expect(source.contains("@Column(.primaryKey) var id: Int64? = nil\n    var body: String\n"), "\(source)")

            let note = try await engine.one(insert(RowidNote(body: "hello")).returning())
            #expect(note.id == 1)
            // The model's key would be AUTOINCREMENT if it made the table: no difference to SQLite.
            let wanted = try TableDefinition(RowidNote.self, for: .sqlite)
            let notes = DatabaseSchema(tables: [try #require(schema.table(named: "notes"))])
            #expect(SchemaDiff(from: notes, to: [wanted], dialect: .sqlite).changes.isEmpty)
        }
    }
}

@Table("tickets")
struct Ticket: Sendable, Equatable {
    @Column(.primaryKey) var code: String
    @Column(.identity) var number: Int64? = nil
    @Column(.identity) var seq: Int16? = nil
    var title: String
}

@Table("notes")
struct RowidNote: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var body: String
}
