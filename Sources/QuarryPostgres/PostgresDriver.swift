import Foundation
public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
import PostgresNIO
public import QuarryCore
public import QuarryEngine

/// The PostgreSQL driver: PostgresNIO connections, binary binds, `$n` placeholders, server-side
/// cancellation of a cancelled task's statement.
///
/// ```swift
/// let url = try DatabaseURL("postgresql://app@127.0.0.1:5432/app")
/// let engine = Engine(url: url, driver: try PostgresDriver(url: url, configuration: .init()), configuration: .init())
/// ```
public struct PostgresDriver: Driver {
    let configurations: [PostgresConnection.Configuration]
    let eventLoopGroup: any EventLoopGroup
    let requiresPrimary: Bool
    /// `?pgbouncer=true`: the server behind a connection changes per transaction (PgBouncer's
    /// transaction pooling), so a backend pid means nothing and cancelling by pid could hit
    /// another client's query; a statement is cancelled by closing its connection instead.
    let isBehindPgBouncer: Bool
    /// Names reads for server-side preparation; `nil` when off (behind PgBouncer, or
    /// `?prepared_statement_cache_size=0`).
    let preparedStatements: PreparedStatementCache?

    public var dialect: Dialect { .postgresql }
    public var readerPoolSize: Int { 0 }
    public var maximumPrimaryConnections: Int? { nil }

    /// Creates the driver for `url`.
    /// - Parameters:
    ///   - url: A `postgresql://` URL; `sslmode` (`disable`, `prefer`, `require`, `verify-ca`,
    ///     `verify-full`), `sslrootcert`, `application_name`, `search_path`,
    ///     `target_session_attrs=read-write`, `pgbouncer=true` and `prepared_statement_cache_size`
    ///     (statement shapes prepared on the server, 256 by default, 0 for none; always 0 behind
    ///     PgBouncer) are honoured; several hosts are tried in order.
    ///   - configuration: The engine configuration (statement and connect timeouts).
    ///   - eventLoopGroup: The event loops connections run on. The default is NIO's shared group.
    /// - Throws: ``QuarryCore/DatabaseError`` `unsupportedURL` for a non-PostgreSQL URL or unusable TLS settings.
    public init(
        url: DatabaseURL,
        configuration: EngineConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        guard url.backend == .postgresql else {
            throw DatabaseError(.unsupportedURL, message: "PostgresDriver needs a postgresql:// URL")
        }
        let tls = try Self.tls(for: url)
        var parameters: [(String, String)] = [("application_name", url.query["application_name"] ?? "quarry")]
        // Sessions run in UTC whatever the server's TimeZone is: a `Date` is an instant, and a
        // `timestamp` (without time zone) column holds it as its UTC wall time, so the same rows
        // come back and match whether the server is set to UTC or to Asia/Tokyo.
        parameters.append(("TimeZone", "UTC"))
        if let searchPath = url.query["search_path"] { parameters.append(("search_path", searchPath)) }
        if let timeout = configuration.statementTimeout {
            let (seconds, attoseconds) = timeout.components
            parameters.append(("statement_timeout", "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)"))
        }
        self.configurations = url.hosts.map { host in
            var config = PostgresConnection.Configuration(
                host: host.name,
                port: host.port,
                username: url.username ?? "postgres",
                password: url.password,
                database: url.database,
                tls: tls
            )
            let (seconds, attoseconds) = configuration.connectTimeout.components
            config.options.connectTimeout = .milliseconds(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
            config.options.additionalStartupParameters = parameters
            if case .some(let name) = url.query["sslservername"] { config.options.tlsServerName = name }
            return config
        }
        self.eventLoopGroup = eventLoopGroup
        self.requiresPrimary = url.query["target_session_attrs"] == "read-write"
        self.isBehindPgBouncer = url.query["pgbouncer"] == "true"
        let cacheSize = try Self.preparedStatementCacheSize(url)
        self.preparedStatements =
            cacheSize > 0 && !self.isBehindPgBouncer ? PreparedStatementCache(capacity: cacheSize) : nil
    }

    /// The logger handed to PostgresNIO: never below `.debug`. PostgresNIO's trace output is the
    /// wire protocol itself — server error details such as `Key (email)=(…) already exists` —
    /// which would carry values of sensitive columns into the logs.
    static func wireLogger(_ logger: Logger) -> Logger {
        guard logger.logLevel < .debug else { return logger }
        var clamped = logger
        clamped.logLevel = .debug
        return clamped
    }

    public func connect(role: ConnectionRole, id: Int, logger: Logger) async throws -> any DriverConnection {
        let logger = Self.wireLogger(logger)
        var lastError: DatabaseError?
        for configuration in self.configurations {
            do {
                let connection = try await PostgresConnection.connect(
                    on: self.eventLoopGroup.any(),
                    configuration: configuration,
                    id: id,
                    logger: logger
                )
                do {
                    let rows = try await connection.queryUnlessClosed(
                        "SELECT pg_backend_pid(), pg_is_in_recovery()",
                        logger: logger
                    ).get().rows
                    let (pid, inRecovery) = try rows[0].decode((Int32, Bool).self)
                    if self.requiresPrimary && inRecovery && self.configurations.count > 1 {
                        await connection.closeShieldedFromCancellation()
                        lastError = DatabaseError(
                            .connectionFailed,
                            message: "The server is a standby; target_session_attrs=read-write"
                        )
                        continue
                    }
                    return PostgresDriverConnection(connection: connection, backendPID: pid, driver: self)
                } catch {
                    await connection.closeShieldedFromCancellation()
                    throw error
                }
            } catch {
                lastError = PostgresErrorMapping.map(error)
                if lastError?.code != .connectionFailed { lastError?.code = .connectionFailed }
            }
        }
        throw lastError ?? DatabaseError(.connectionFailed, message: "No PostgreSQL host to connect to")
    }

    public func shutdown() async {}

    /// Asks the server to cancel whatever backend `pid` is running (`pg_cancel_backend`), over a
    /// short-lived side connection.
    func cancelBackend(_ pid: Int32, logger: Logger) async {
        let logger = Self.wireLogger(logger)
        guard let configuration = self.configurations.first else { return }
        do {
            let side = try await PostgresConnection.connect(
                on: self.eventLoopGroup.any(),
                configuration: configuration,
                id: -1,
                logger: logger
            )
            _ = try? await side.queryUnlessClosed("SELECT pg_cancel_backend(\(pid))", logger: logger).get()
            await side.closeShieldedFromCancellation()
        } catch {
            logger.debug("Could not send a cancel request", metadata: [LogKey.errorType: "\(type(of: error))"])
        }
    }

    private static func preparedStatementCacheSize(_ url: DatabaseURL) throws -> Int {
        guard let text = url.query["prepared_statement_cache_size"] else { return 256 }
        guard let size = Int(text), size >= 0 else {
            throw DatabaseError(
                .unsupportedURL,
                message: "prepared_statement_cache_size must be a whole number ≥ 0, not \(text)"
            )
        }
        return size
    }

    private static func tls(for url: DatabaseURL) throws -> PostgresConnection.Configuration.TLS {
        let mode = url.query["sslmode"] ?? "disable"
        if mode == "disable" { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case "allow", "prefer", "require":
            tls.certificateVerification = .none
        case "verify-ca":
            tls.certificateVerification = .noHostnameVerification
        default:
            tls.certificateVerification = .fullVerification
        }
        if let root = url.query["sslrootcert"] {
            tls.trustRoots = .file(root)
        }
        do {
            let context = try NIOSSLContext(configuration: tls)
            return mode == "allow" || mode == "prefer" ? .prefer(context) : .require(context)
        } catch {
            throw DatabaseError(.unsupportedURL, message: "Could not set up TLS for sslmode=\(mode): \(error)")
        }
    }
}
