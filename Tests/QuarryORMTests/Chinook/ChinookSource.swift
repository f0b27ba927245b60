import Foundation
import Quarry
import QuarryTesting
import Testing

/// The Chinook corpus, loaded into a database of its own: on SQLite the shared
/// `Chinook_Sqlite.sqlite` copied table by table into the models' schema (the file's names are
/// PascalCase, its column order is the models'); on PostgreSQL `Chinook_PostgreSql.sql` run by
/// `psql` into a fresh database.
enum ChinookSource {
    static let tables: [any Table.Type] = [
        Artist.self, Album.self, Employee.self, Customer.self, Genre.self, Invoice.self, MediaType.self,
        Playlist.self, Track.self, InvoiceLine.self, PlaylistTrack.self,
    ]

    /// The SQLite edition's name of each table.
    static let sqliteNames: [String: String] = [
        "artist": "Artist", "album": "Album", "employee": "Employee", "customer": "Customer", "genre": "Genre",
        "invoice": "Invoice", "media_type": "MediaType", "playlist": "Playlist", "track": "Track",
        "invoice_line": "InvoiceLine", "playlist_track": "PlaylistTrack",
    ]

    static func withLoaded(_ backend: Backend, _ body: (Engine) async throws -> Void) async throws {
        switch backend {
        case .sqlite: try await self.withSQLite(body)
        case .postgres: try await self.withPostgreSQL(body)
        }
    }

    private static func withSQLite(_ body: (Engine) async throws -> Void) async throws {
        let original = try ChinookCorpus.directory().appendingPathComponent("Chinook_Sqlite.sqlite")
        // Like the PostgreSQL source, not a test of its own in scripts/test's per-backend count.
        let database = try await TestDatabase.make(.sqlite)
        try await database.run(Engine(url: database.url)) { engine in
            try await engine.createAll(self.tables)
            // The corpus file is read-only and shared: a copy is attached, on the one connection
            // that then copies every table.
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("chinook-\(UUID().uuidString).db")
            try FileManager.default.copyItem(at: original, to: copy)
            defer { try? FileManager.default.removeItem(at: copy) }
            try await engine.withConnection { connection in
                try await connection.execute(SQL(unsafeRaw: "ATTACH DATABASE '\(copy.path)' AS chinook"))
                for table in self.tables {
                    let name = table.schema.name
                    try await connection.execute(
                        SQL(unsafeRaw: "INSERT INTO \"\(name)\" SELECT * FROM chinook.\"\(self.sqliteNames[name]!)\"")
                    )
                }
                try await connection.execute(SQL(unsafeRaw: "DETACH DATABASE chinook"))
            }
            try await body(engine)
        }
    }

    private static func withPostgreSQL(_ body: (Engine) async throws -> Void) async throws {
        try await ChinookCorpus.withPostgreSQL(body)
    }
}
