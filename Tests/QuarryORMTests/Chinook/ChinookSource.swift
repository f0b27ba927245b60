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

    /// The corpus folder: `$QUARRY_CHINOOK_DIR`, else `shared/corpora/chinook` beside the
    /// repository or one of its parents (the team's layout, `../shared/corpora/chinook`).
    static func corpus() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["QUARRY_CHINOOK_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var folder = URL(fileURLWithPath: #filePath)
        while folder.path != "/" {
            folder.deleteLastPathComponent()
            let candidate = folder.appendingPathComponent("shared/corpora/chinook")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("README.md").path) {
                return candidate
            }
        }
        let team = URL(fileURLWithPath: "/work/shared/corpora/chinook")
        if FileManager.default.fileExists(atPath: team.path) { return team }
        throw DatabaseError(
            .connectionFailed,
            message: "The Chinook corpus was not found: set QUARRY_CHINOOK_DIR to its folder (shared/corpora/chinook)"
        )
    }

    static func withLoaded(_ backend: Backend, _ body: (Engine) async throws -> Void) async throws {
        switch backend {
        case .sqlite: try await self.withSQLite(body)
        case .postgres: try await self.withPostgreSQL(body)
        }
    }

    private static func withSQLite(_ body: (Engine) async throws -> Void) async throws {
        let original = try self.corpus().appendingPathComponent("Chinook_Sqlite.sqlite")
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
        try await TestDatabase.withOwnPostgreSQLDatabase { url, direct in
            try self.runScript(on: direct)
            try await TestDatabase.run(Engine(url: url), body)
        }
    }

    /// Runs the corpus's PostgreSQL script with `psql` against `url`'s database, leaving out the
    /// lines that drop, create and switch to its own `chinook` database.
    private static func runScript(on url: DatabaseURL) throws {
        let script = try String(
            contentsOf: self.corpus().appendingPathComponent("Chinook_PostgreSql.sql"),
            encoding: .utf8
        )
        let kept = script.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            !(line.hasPrefix("DROP DATABASE") || line.hasPrefix("CREATE DATABASE") || line.hasPrefix("\\c "))
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chinook-\(UUID().uuidString).sql")
        try kept.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", url.hosts.first?.name ?? "127.0.0.1", "-p",
            "\(url.hosts.first?.port ?? 5432)", "-U", url.username ?? "postgres", "-d", url.database ?? "postgres",
            "-f",
            file.path,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw DatabaseError(.server, message: "psql could not load Chinook: \(text.prefix(500))")
        }
    }
}
