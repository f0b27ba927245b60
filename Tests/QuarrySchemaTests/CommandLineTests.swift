import Foundation
import Quarry
import QuarryCLI
import QuarryTesting
import Synchronization
import Testing

/// The `quarry` commands as a user runs them: arguments in, lines out, an exit code — against a
/// real database on both backends.
@Suite("quarry command line")
struct CommandLineTests {
    /// What one run printed.
    final class Transcript: Sendable {
        let lines = Mutex<(output: [String], messages: [String])>(([], []))
        var output: [String] { self.lines.withLock { $0.output } }
        var messages: [String] { self.lines.withLock { $0.messages } }
    }

    static func run(_ tool: QuarryTool, _ arguments: [String]) async -> (Int32, Transcript) {
        let transcript = Transcript()
        let code = await tool.run(
            arguments,
            output: { line in transcript.lines.withLock { $0.output.append(line) } },
            messages: { line in transcript.lines.withLock { $0.messages.append(line) } }
        )
        return (code, transcript)
    }

    static let notes = TableDefinition(
        "notes",
        columns: [
            ColumnDefinition("id", type: .integer64, isIdentity: true),
            ColumnDefinition("body", type: .text),
        ],
        primaryKey: ["id"]
    )
    static let first = Migration("001_notes", up: [.createTable(notes)])
    static let second = Migration(
        "002_note_titles",
        up: [.addColumn("notes", ColumnDefinition("title", type: .varchar(80), isNullable: true))]
    )

    @Test(arguments: Backend.allCases)
    func migrateUpStatusHistorySQLAndDown(_ backend: Backend) async throws {
        let database = try await TestDatabase.make(backend)
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            let url = ["--database-url", database.url.connectionString]
            let tool = QuarryTool(migrations: [Self.first, Self.second])

            var (code, transcript) = await Self.run(tool, ["migrate", "status"] + url)
            #expect(code == 0)
            #expect(transcript.output == ["pending  001_notes", "pending  002_note_titles"])

            (code, transcript) = await Self.run(tool, ["sql"] + url)
            #expect(code == 0)
            let sql = transcript.output.joined(separator: "\n")
            #expect(sql.contains("-- 001_notes\nCREATE TABLE \"notes\""))
            #expect(sql.contains("ALTER TABLE \"notes\" ADD COLUMN \"title\" VARCHAR(80);"))
            #expect(try await Migrator.appliedMigrations(on: engine).isEmpty)

            (code, transcript) = await Self.run(tool, ["migrate", "up"] + url)
            #expect(code == 0)
            #expect(transcript.output.count == 2)
            #expect(transcript.output[0].hasPrefix("applied 001_notes (") && transcript.output[0].hasSuffix(" s)"))
            #expect(transcript.output[1].hasPrefix("applied 002_note_titles ("))
            #expect(transcript.messages.first == "Applying 2 migration(s)…")

            (code, transcript) = await Self.run(tool, ["migrate", "history"] + url)
            #expect(code == 0)
            #expect(transcript.output.count == 2)
            #expect(transcript.output[1].contains("002_note_titles"))

            (code, transcript) = await Self.run(tool, ["migrate", "down"] + url)
            #expect(code == 0)
            #expect(transcript.output == ["rolled back 002_note_titles"])
            (code, transcript) = await Self.run(tool, ["migrate", "status"] + url)
            #expect(transcript.output == ["applied  001_notes", "pending  002_note_titles"])
        }
    }

    @Test func aDirtyMigrationStateIsOneLineAndAFailure() async throws {
        let database = try await TestDatabase.make(.sqlite)
        try await database.run(Engine(url: database.url)) { (_: Engine) async throws in
            let url = ["--database-url", database.url.connectionString]
            #expect(await Self.run(QuarryTool(migrations: [Self.first, Self.second]), ["migrate", "up"] + url).0 == 0)

            // The code lost a migration the database has applied.
            var (code, transcript) = await Self.run(QuarryTool(migrations: [Self.first]), ["migrate", "up"] + url)
            #expect(code == 1)
            #expect(transcript.messages.count == 1)
            #expect(transcript.messages[0].hasPrefix("quarry: MigrationError.unknownAppliedMigrations"))
            #expect(transcript.messages[0].contains("002_note_titles"))

            // An applied migration was edited.
            let edited = Migration(
                "002_note_titles",
                up: [.addColumn("notes", ColumnDefinition("title", type: .varchar(120), isNullable: true))]
            )
            (code, transcript) = await Self.run(QuarryTool(migrations: [Self.first, edited]), ["migrate", "up"] + url)
            #expect(code == 1)
            #expect(
                transcript.messages == [
                    "quarry: MigrationError.checksumMismatch: applied migrations were edited since they ran (their checksums differ from the recorded ones): 002_note_titles; add a new migration instead"
                ]
            )
            (code, transcript) = await Self.run(
                QuarryTool(migrations: [Self.first, edited]),
                ["migrate", "status"] + url
            )
            #expect(code == 1)
            #expect(transcript.output == ["applied  001_notes", "edited   002_note_titles"])
        }
    }

    @Test func badURLsAndUnreachableDatabasesAreOneLineWithoutSecrets() async throws {
        var (code, transcript) = await Self.run(QuarryTool(), ["reflect", "mysql://root:hunter2@localhost/app"])
        #expect(code == 64)
        #expect(transcript.messages.count == 1)
        #expect(transcript.messages[0].hasPrefix("quarry: bad database URL"))
        #expect(!transcript.messages[0].contains("hunter2"))

        // Nothing listens on port 1.
        (code, transcript) = await Self.run(QuarryTool(), ["reflect", "postgres://app:hunter2@127.0.0.1:1/app"])
        #expect(code == 1)
        #expect(transcript.messages.count == 1)
        #expect(transcript.messages[0].hasPrefix("quarry: DatabaseError.connectionFailed"))
        #expect(!transcript.messages[0].contains("hunter2"))

        (code, transcript) = await Self.run(
            QuarryTool(),
            ["reflect", "sqlite:///tmp/quarry-no-such-\(UUID().uuidString).db"]
        )
        #expect(code == 1)
        #expect(
            transcript.messages.count == 1 && transcript.messages[0].hasPrefix("quarry: no SQLite database at /tmp/")
        )

        (code, transcript) = await Self.run(QuarryTool(migrations: [Self.first]), ["migrate", "up"])
        #expect(code == 64)
        #expect(transcript.messages == ["quarry: no database: pass --database-url or set DATABASE_URL"])

        (code, transcript) = await Self.run(QuarryTool(), ["migrate", "up", "--database-url", "sqlite:///tmp/x.db"])
        #expect(code == 1)
        #expect(transcript.messages[0].hasPrefix("quarry: no migrations"))

        (code, transcript) = await Self.run(QuarryTool(), ["frobnicate"])
        #expect(code == 64)
        (code, transcript) = await Self.run(QuarryTool(), ["--help"])
        #expect(code == 0)
        #expect(transcript.output.joined().contains("reflect"))
        // Each command's own help, however it is asked for.
        for arguments in [["reflect", "--help"], ["reflect", "-h"], ["help", "reflect"]] {
            (code, transcript) = await Self.run(QuarryTool(), arguments)
            #expect(code == 0, "\(arguments)")
            #expect(transcript.output.joined().contains("USAGE: quarry reflect <url>"), "\(arguments)")
        }
        for arguments in [["migrate", "up", "--help"], ["help", "migrate", "up"]] {
            (code, transcript) = await Self.run(QuarryTool(), arguments)
            #expect(code == 0, "\(arguments)")
            #expect(transcript.output.joined().contains("USAGE: quarry migrate up"), "\(arguments)")
        }
    }

    @Test func reflectPrintsTheGeneratorsModels() async throws {
        let database = try await TestDatabase.make(.sqlite)
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            try await Migrator([Self.first]).migrate(engine)
            let (code, transcript) = await Self.run(QuarryTool(), ["reflect", database.url.connectionString])
            #expect(code == 0)
            #expect(transcript.messages == ["Read 1 table(s) from the sqlite database."])
            let expected = ModelSourceGenerator(schema: try await engine.introspect(), dialect: .sqlite).source()
            #expect(transcript.output == [expected])
            #expect(expected.contains("@Table(\"notes\")\nstruct Notes: Sendable, Equatable {"))
            #expect(expected.contains("@Column(.primaryKey) var id: Int64? = nil"))

            let missing = await Self.run(QuarryTool(), ["reflect", database.url.connectionString, "--tables", "nope"])
            #expect(missing.0 == 1)
            #expect(missing.1.messages == ["quarry: no such table: nope"])
        }
    }

    @Table("cli_users")
    struct User: Sendable, Equatable {
        @Column(.primaryKey) var id: Int64? = nil
        @Column(.unique) var email: String
        var nickname: String?
    }

    @Test(arguments: Backend.allCases)
    func revisionAutogenerateWritesTheStepsAsSwift(_ backend: Backend) async throws {
        let database = try await TestDatabase.make(backend)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-rev-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            let tool = QuarryTool(models: [User.self], migrationsDirectory: directory.path)
            let url = ["--database-url", database.url.connectionString]
            var (code, transcript) = await Self.run(tool, ["revision", "--autogenerate", "-m", "Create users!"] + url)
            #expect(code == 0)
            let path = try #require(transcript.output.first)
            #expect(path.hasPrefix(directory.path) && path.hasSuffix("_create_users.swift"))
            let source = try String(contentsOfFile: path, encoding: .utf8)
            #expect(source.contains("// Generated by `quarry revision`: Create users!"))
            #expect(
                source.contains(".createTable(\n                TableDefinition(\n                    \"cli_users\",")
            )
            #expect(source.contains("down: [\n            .dropTable("))

            // The database created through that migration matches the models: nothing more to write.
            let diff = SchemaDiff(
                from: try await engine.introspect(),
                to: [try TableDefinition(User.self, for: engine.dialect)],
                dialect: engine.dialect
            )
            try await Migrator([Migration("001", up: diff.changes)]).migrate(engine)
            (code, transcript) = await Self.run(
                QuarryTool(migrations: [Migration("001", up: diff.changes)], models: [User.self]),
                ["revision", "--autogenerate", "-m", "again", "--directory", directory.path] + url
            )
            #expect(code == 0)
            #expect(
                transcript.messages.contains {
                    $0.hasPrefix("0 step(s); add .m") && $0.hasSuffix("Again to the app's migrations.")
                }
            )
            let again = try String(contentsOfFile: try #require(transcript.output.first), encoding: .utf8)
            #expect(again.contains("up: [],"))

            (code, transcript) = await Self.run(
                tool,
                ["revision", "--autogenerate", "-m", "x", "--rename", "nope"] + url
            )
            #expect(code == 64)
            #expect(transcript.messages == ["quarry: bad --rename nope: write old:new or table.old:new"])
        }
    }
}
