public import Foundation
public import Quarry

/// The Chinook sample database (MIT), read from the team's corpus folder — never copied into the
/// repository: `$QUARRY_CHINOOK_DIR`, else `shared/corpora/chinook` beside the repository or one
/// of its parents, else `/work/shared/corpora/chinook`.
///
/// ```swift
/// try await ChinookCorpus.withPostgreSQL { engine in
///     let schema = try await engine.introspect()
/// }
/// ```
public enum ChinookCorpus {
    /// The corpus folder.
    /// - Throws: `DatabaseError` (`connectionFailed`) saying how to point at it when it is missing.
    public static func directory(from file: String = #filePath) throws -> URL {
        if let path = ProcessInfo.processInfo.environment["QUARRY_CHINOOK_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var folder = URL(fileURLWithPath: file)
        while folder.path != "/" {
            folder.deleteLastPathComponent()
            let candidate = folder.appendingPathComponent("shared/corpora/chinook")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("README.md").path) {
                return candidate
            }
        }
        // The team's machines keep it at /work/shared (a clone elsewhere, such as CI's, finds it there).
        let team = URL(fileURLWithPath: "/work/shared/corpora/chinook")
        if FileManager.default.fileExists(atPath: team.appendingPathComponent("README.md").path) { return team }
        throw DatabaseError(
            .connectionFailed,
            message: "The Chinook corpus was not found: set QUARRY_CHINOOK_DIR to its folder (shared/corpora/chinook)"
        )
    }

    /// Runs `body` with an engine on a private copy of the SQLite edition (the corpus file is
    /// read-only and shared), removed afterwards.
    public static func withSQLite(_ body: (Engine) async throws -> Void) async throws {
        let original = try self.directory().appendingPathComponent("Chinook_Sqlite.sqlite")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chinook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("Chinook_Sqlite.sqlite")
        try FileManager.default.copyItem(at: original, to: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy.path)
        try await TestDatabase.run(Engine(url: .sqlite(path: copy.path)), body)
    }

    /// Runs `body` with an engine on a new PostgreSQL database (dropped afterwards) into which
    /// `psql` loaded the PostgreSQL edition.
    public static func withPostgreSQL(_ body: (Engine) async throws -> Void) async throws {
        try await TestDatabase.withOwnPostgreSQLDatabase { url, direct in
            try await self.loadPostgreSQLScript(into: direct)
            try await TestDatabase.run(Engine(url: url), body)
        }
    }

    /// Runs the corpus's PostgreSQL script with `psql` against `url`'s database, leaving out the
    /// lines that drop, create and switch to its own `chinook` database. `psql` is waited for on a
    /// thread of its own (``BlockingWork``), never on a cooperative one.
    public static func loadPostgreSQLScript(into url: DatabaseURL) async throws {
        let script = try String(
            contentsOf: self.directory().appendingPathComponent("Chinook_PostgreSql.sql"),
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
        let (status, text) = try await BlockingWork.finish(process, reading: errors)
        guard status == 0 else {
            throw DatabaseError(.server, message: "psql could not load Chinook: \(text.prefix(500))")
        }
    }
}
