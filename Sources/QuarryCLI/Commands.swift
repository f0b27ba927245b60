import ArgumentParser
import Foundation
import Quarry

struct QuarryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarry",
        abstract: "Reflect databases into models, write and run migrations.",
        subcommands: [Reflect.self, Migrate.self, Revision.self, PendingSQL.self]
    )

    /// The command `arguments` name, for its help: the subcommands named before the first option
    /// or unknown word, `help` skipped (`help migrate up`, `migrate up --help` → `Migrate.Up`).
    static func helpTarget(_ arguments: [String]) -> any ParsableCommand.Type {
        var target: any ParsableCommand.Type = QuarryCommand.self
        for word in arguments.drop(while: { $0 == "help" }) {
            guard let next = target.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            target = next
        }
        return target
    }
}

/// `--database-url`, or `DATABASE_URL` from the environment.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "The database URL (default: $DATABASE_URL).")
    var url: String?

    func engine() throws -> Engine {
        guard let url = self.url ?? ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw ToolFailure(message: "no database: pass --database-url or set DATABASE_URL", code: 64)
        }
        return try ToolEngine.open(url)
    }
}

enum ToolEngine {
    /// An engine for one command: one connection, a short connect timeout, no pool waiting.
    static func open(_ url: String) throws -> Engine {
        var configuration = EngineConfiguration()
        configuration.poolSize = 1
        configuration.maxOverflow = 0
        configuration.connectTimeout = .seconds(5)
        configuration.poolTimeout = .seconds(10)
        do {
            return try Engine(url, configuration: configuration)
        } catch {
            throw ToolFailure(message: "bad database URL: \(ToolFailure.describe(error))", code: 64)
        }
    }

    /// Runs `body` with an engine for `url`, shutting it down after.
    static func with<R>(_ engine: Engine, _ body: (Engine) async throws -> R) async throws -> R {
        try await engine.shuttingDown(after: body)
    }
}

struct Reflect: ParsableCommand, ToolCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print @Table models for the tables of a live database.",
        discussion: "quarry reflect postgres://localhost/app --tables users,posts > Sources/App/Models.swift"
    )

    @Argument(help: "The database URL.")
    var url: String

    @Option(help: "Only these tables (comma-separated).")
    var tables: String?

    @Option(help: "The PostgreSQL schema to read (default: the connection's current schema).")
    var schema: String?

    @Flag(name: .customLong("public"), help: "Declare the models public.")
    var isPublic = false

    @Option(help: "A prefix for every type name (Chinook → ChinookAlbum).")
    var prefix: String = ""

    func run(_ tool: QuarryTool, _ io: ToolIO) async throws {
        let wanted = self.tables.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        // Reading must not create: opening a missing SQLite file would make an empty database.
        if let url = try? DatabaseURL(self.url), url.dialect == .sqlite, let path = url.path, path != ":memory:",
            !FileManager.default.fileExists(atPath: path)
        {
            throw ToolFailure(message: "no SQLite database at \(path)")
        }
        let engine = try ToolEngine.open(self.url)
        let schema = try await ToolEngine.with(engine) { try await $0.introspect(tables: wanted, schema: self.schema) }
        if let wanted {
            let missing = wanted.filter { schema.table(named: $0) == nil }
            if !missing.isEmpty { throw ToolFailure(message: "no such table: \(missing.joined(separator: ", "))") }
        }
        io.messages("Read \(schema.tables.count) table(s) from the \(engine.dialect.name) database.")
        io.output(
            ModelSourceGenerator(
                schema: schema,
                dialect: engine.dialect,
                isPublic: self.isPublic,
                typeNamePrefix: self.prefix
            ).source()
        )
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply, roll back or list the application's migrations.",
        subcommands: [Up.self, Down.self, Status.self, History.self]
    )

    struct Up: ParsableCommand, ToolCommand {
        static let configuration = CommandConfiguration(abstract: "Apply every pending migration.")
        @OptionGroup var database: DatabaseOptions

        func run(_ tool: QuarryTool, _ io: ToolIO) async throws {
            try requireMigrations(tool)
            let migrator = Migrator(tool.migrations)
            let started = ContinuousClock.now
            let applied = try await ToolEngine.with(try self.database.engine()) { engine in
                let pending = try await migrator.status(engine).filter { !$0.isApplied }
                if !pending.isEmpty { io.messages("Applying \(pending.count) migration(s)…") }
                let applied = try await migrator.migrate(engine) { name, took in
                    io.output("applied \(name) (\(seconds(took)))")
                }
                if applied.isEmpty { io.messages("Up to date.") }
                return applied
            }
            if !applied.isEmpty { io.messages("Done in \(seconds(ContinuousClock.now - started)).") }
        }
    }

    struct Down: ParsableCommand, ToolCommand {
        static let configuration = CommandConfiguration(
            abstract: "Roll back the last N applied migrations (default 1)."
        )
        @Argument(help: "How many migrations to roll back.")
        var count: Int = 1
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard self.count > 0 else { throw ValidationError("count must be at least 1") }
        }

        func run(_ tool: QuarryTool, _ io: ToolIO) async throws {
            try requireMigrations(tool)
            let rolledBack = try await ToolEngine.with(try self.database.engine()) { engine in
                try await Migrator(tool.migrations).rollback(engine, count: self.count)
            }
            if rolledBack.isEmpty { io.messages("Nothing to roll back.") }
            for name in rolledBack { io.output("rolled back \(name)") }
        }
    }

    struct Status: ParsableCommand, ToolCommand {
        static let configuration = CommandConfiguration(abstract: "List every migration: applied, pending or edited.")
        @OptionGroup var database: DatabaseOptions

        func run(_ tool: QuarryTool, _ io: ToolIO) async throws {
            let (states, history) = try await ToolEngine.with(try self.database.engine()) { engine in
                let history = try await Migrator.history(on: engine)
                return (Migrator(tool.migrations).status(given: history), history)
            }
            let known = Set(tool.migrations.map(\.name))
            for state in states {
                let mark = state.isEdited ? "edited " : state.isApplied ? "applied" : "pending"
                io.output("\(mark)  \(state.name)")
            }
            for record in history where !known.contains(record.name) { io.output("unknown  \(record.name)") }
            if states.contains(where: \.isEdited) || history.contains(where: { !known.contains($0.name) }) {
                throw ToolFailure(message: "the database's migration history does not match this code (see above)")
            }
        }
    }

    struct History: ParsableCommand, ToolCommand {
        static let configuration = CommandConfiguration(abstract: "List the applied migrations with their times.")
        @OptionGroup var database: DatabaseOptions

        func run(_ tool: QuarryTool, _ io: ToolIO) async throws {
            let history = try await ToolEngine.with(try self.database.engine()) { try await Migrator.history(on: $0) }
            if history.isEmpty { io.messages("No migrations applied.") }
            let format = ISO8601DateFormatter()
            for record in history {
                io.output("\(format.string(from: record.appliedAt))  \(record.name)  \(record.checksum ?? "-")")
            }
        }
    }
}

struct Revision: ParsableCommand, ToolCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a new migration file; with --autogenerate, the steps from the database to the models."
    )

    @Flag(help: "Compare the database with the models and write the steps.")
    var autogenerate = false

    @Option(name: [.short, .customLong("message")], help: "What the migration does.")
    var message: String

    @Option(name: .customLong("rename"), help: "A rename, never guessed: old:new (table) or table.old:new (column).")
    var renames: [String] = []

    @Option(help: "The directory to write the file into (default: the app's migrations directory).")
    var directory: String?

    @OptionGroup var database: DatabaseOptions

    func run(_ tool: QuarryTool, _ io: ToolIO) async throws {
        let hints = try self.renames.map { hint in
            guard let rename = SchemaDiff.Rename(hint: hint) else {
                throw ToolFailure(message: "bad --rename \(hint): write old:new or table.old:new", code: 64)
            }
            return rename
        }
        let name = Self.stamp() + "_" + Self.slug(self.message)
        let file: MigrationSourceGenerator
        if self.autogenerate {
            guard !tool.models.isEmpty else {
                throw ToolFailure(message: "--autogenerate needs the app's models: run it through the app's QuarryTool")
            }
            let diff = try await ToolEngine.with(try self.database.engine()) { engine in
                let pending = try await Migrator(tool.migrations).status(engine).filter { !$0.isApplied }
                guard pending.isEmpty else {
                    throw ToolFailure(
                        message:
                            "migrations are pending (\(pending.map(\.name).joined(separator: ", "))): run `migrate up` first"
                    )
                }
                let live = try await engine.introspect()
                let wanted = try tool.models.map { try TableDefinition($0, for: engine.dialect) }
                return SchemaDiff(from: live, to: wanted, dialect: engine.dialect, renames: hints)
            }
            for warning in diff.warnings { io.messages("warning: \(warning)") }
            file = MigrationSourceGenerator(name: name, message: self.message, diff: diff)
        } else {
            file = MigrationSourceGenerator(name: name, message: self.message, up: [], down: [])
        }
        let directory = self.directory ?? tool.migrationsDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("\(name).swift")
        try Data(file.source().utf8).write(to: URL(fileURLWithPath: path))
        io.messages("\(file.up.count) step(s); add .\(file.propertyName) to the app's migrations.")
        io.output(path)
    }

    /// `20261129_120000`, UTC: names sort in the order they were written.
    static func stamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd_HHmmss"
        return formatter.string(from: Date())
    }

    static func slug(_ message: String) -> String {
        let words = message.lowercased().split { !($0.isLetter || $0.isNumber) }.prefix(8)
        return words.isEmpty ? "migration" : words.joined(separator: "_")
    }
}

struct PendingSQL: ParsableCommand, ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the SQL of the pending migrations without running it."
    )
    @OptionGroup var database: DatabaseOptions

    func run(_ tool: QuarryTool, _ io: ToolIO) async throws {
        try requireMigrations(tool)
        let pending = try await ToolEngine.with(try self.database.engine()) { engine in
            try await Migrator(tool.migrations).pendingSQL(engine)
        }
        if pending.isEmpty { io.messages("No pending migrations.") }
        for (migration, statements) in pending {
            io.output(
                "-- \(migration)\n" + statements.map { $0.hasPrefix("--") ? $0 : $0 + ";" }.joined(separator: "\n")
            )
        }
    }
}

private func requireMigrations(_ tool: QuarryTool) throws {
    guard !tool.migrations.isEmpty else {
        throw ToolFailure(
            message:
                "no migrations: run this command through the app's own QuarryTool executable (see docs/migrations.md)"
        )
    }
}

private func seconds(_ duration: Duration) -> String {
    let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    return String(format: "%.2f s", ms / 1000)
}
