import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PostsAPI
import Quarry
import QuarryHummingbird

/// `posts-api serve | migrate | seed`: the reference users/posts service.
@main
struct PostsAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "posts-api",
        abstract: "The Quarry users/posts reference service.",
        subcommands: [Serve.self, Migrate.self, Seed.self],
        defaultSubcommand: Serve.self
    )
}

/// Options every subcommand shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "Database URL (default: $DATABASE_URL, else sqlite://posts.db).")
    var databaseURL: String?

    @Option(
        name: .customLong("replica-url"),
        help: "A PostgreSQL read replica (repeatable; default: $DATABASE_REPLICA_URLS, comma-separated)."
    )
    var replicaURLs: [String] = []

    @Flag(help: "Log every SQL statement.")
    var echo = false

    @Option(help: "Connection pool size.")
    var poolSize = 10

    @Option(help: "Connections opened beyond the pool size under load (closed again when idle).")
    var maxOverflow = 0

    @Option(help: "Seconds a request waits for a pooled connection before it gets a 503.")
    var poolTimeout: Double = 5

    @Option(help: "Seconds one statement may run before it is stopped and the request gets a 503 (0: no limit).")
    var statementTimeout: Double = 15

    @Option(help: "Log level (trace, debug, info, notice, warning, error).")
    var logLevel: String = "info"

    var resolvedURL: String {
        self.databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "sqlite://posts.db"
    }

    func logger(_ label: String) -> Logger {
        // One event per line, whatever the logged values contain.
        LoggingSystem.bootstrap { label in SingleLineLogHandler(StreamLogHandler.standardError(label: label)) }
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: self.logLevel) ?? .info
        if self.echo, logger.logLevel > .info { logger.logLevel = .info }
        return logger
    }

    func configuration(host: String = "127.0.0.1", port: Int = 8000) -> PostsAPIConfiguration {
        var configuration = PostsAPIConfiguration(
            host: host,
            port: port,
            databaseURL: self.resolvedURL,
            echo: self.echo,
            poolSize: self.poolSize
        )
        configuration.poolTimeout = .milliseconds(Int64(self.poolTimeout * 1000))
        configuration.maxOverflow = self.maxOverflow
        configuration.statementTimeout =
            self.statementTimeout > 0 ? .milliseconds(Int64(self.statementTimeout * 1000)) : nil
        return configuration
    }

    var resolvedReplicaURLs: [String] {
        if !self.replicaURLs.isEmpty { return self.replicaURLs }
        let text = ProcessInfo.processInfo.environment["DATABASE_REPLICA_URLS"] ?? ""
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func engine(logger: Logger, configuration: PostsAPIConfiguration? = nil) throws -> Engine {
        let engineConfiguration = (configuration ?? self.configuration()).engineConfiguration(logger: logger)
        let replicas = self.resolvedReplicaURLs
        if replicas.isEmpty { return try Engine(self.resolvedURL, configuration: engineConfiguration) }
        return try Engine(primary: self.resolvedURL, replicas: replicas, configuration: engineConfiguration)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP service (migrating the database first).")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port).")
    var port = 8000

    @Flag(help: "Let handlers finish when their client disconnects instead of cancelling them.")
    var noCancelOnDisconnect = false

    @Flag(help: "Enable the test-only /debug routes.")
    var debugRoutes = false

    @Option(help: "Seconds a connection may stay idle, or take to send a request head, before it is closed.")
    var idleTimeout: Double = 5

    @Option(help: "Open connections at most; more are answered 503 and closed (default: 3/4 of the open-file limit).")
    var maxConnections: Int?

    @Option(help: "Serve GET /metrics on this port instead of the API's (0 picks a free one).")
    var metricsPort: Int?

    @Flag(help: "Serve no /metrics endpoint.")
    var noMetrics = false

    func run() async throws {
        let logger = self.database.logger("posts-api")
        var configuration = self.database.configuration(host: self.host, port: self.port)
        configuration.cancelsOnClientDisconnect = !self.noCancelOnDisconnect
        configuration.debugRoutes = self.debugRoutes
        configuration.limits.idleTimeout = .milliseconds(Int64(self.idleTimeout * 1000))
        if let maxConnections = self.maxConnections { configuration.limits.maxConnections = maxConnections }
        if self.noMetrics {
            configuration.metrics = .disabled
        } else if let metricsPort = self.metricsPort {
            configuration.metrics = .port(metricsPort)
        }
        let engine = try self.database.engine(logger: logger, configuration: configuration)
        do {
            try await PostsAPI.migrate(engine, logger: logger)
        } catch let error as DatabaseError where PostsAPI.migrationCanWait(for: error) {
            // Serve anyway: /health answers, /ready and the database routes say 503, and the
            // migration is retried in the background until the database appears.
            logger.warning(
                "Database unreachable at start; serving and retrying the migration in the background",
                metadata: ["db.error.code": "\(error.code)", "error.message": "\(error.message)"]
            )
            configuration.migratesInBackground = true
        }
        let api = PostsAPI(engine: engine, configuration: configuration, logger: logger)
        let host = configuration.host
        let app = api.application(configuration: configuration, logger: logger) { port in
            logger.notice(
                "posts-api listening",
                metadata: ["url": "http://\(host):\(port)", "database": "\(engine.url)"]
            )
        }
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations and exit.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = self.database.logger("posts-api")
        let engine = try self.database.engine(logger: logger)
        let applied = try await PostsAPI.migrate(engine, logger: logger)
        print(applied.isEmpty ? "Database is up to date." : "Applied: \(applied.joined(separator: ", "))")
        await engine.shutdown()
    }
}

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fill the database with deterministic demo data.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Users to create.")
    var users = 100

    @Option(help: "Posts per user (user u gets u % (M + 1) posts when --vary is set).")
    var postsPerUser = 5

    @Flag(help: "Give user u exactly u % (posts-per-user + 1) posts, as the benchmark data set does.")
    var vary = false

    func run() async throws {
        let logger = self.database.logger("posts-api")
        let engine = try self.database.engine(logger: logger)
        try await PostsAPI.migrate(engine, logger: logger)
        let start = ContinuousClock.now
        let rows = try await Seeder(users: self.users, postsPerUser: self.postsPerUser, vary: self.vary).run(on: engine)
        { done, total in
            let width = 30
            let filled = total == 0 ? width : done * width / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) users".utf8))
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        FileHandle.standardError.write(Data("\n".utf8))
        print(
            "Seeded \(rows) rows in \(String(format: "%.2f", seconds)) s (\(Int(Double(rows) / max(seconds, 0.001))) rows/s)"
        )
        await engine.shutdown()
    }
}
