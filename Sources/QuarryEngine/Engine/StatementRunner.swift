import CoreMetrics
import Logging
import Metrics
import QuarryCore
import Tracing

/// Runs compiled statements on one driver connection: echo logging, error context, cancellation.
/// Shared by the engine, connections and transactions so each statement is handled one way.
/// A class: every connection and transaction holds the engine's one runner, and passing it on
/// costs one reference count instead of copying the whole configuration.
final class StatementRunner: Sendable {
    let dialect: Dialect
    let configuration: EngineConfiguration
    let metrics: EngineMetrics
    let tracer: any Tracer
    /// `false` when no tracer is installed: statements then skip the span and its context lookup.
    let tracesStatements: Bool
    /// Times statements (see ``MonotonicClock`` for why not `ContinuousClock.now`).
    private let clock = MonotonicClock()

    init(dialect: Dialect, configuration: EngineConfiguration) {
        self.dialect = dialect
        self.configuration = configuration
        self.metrics = EngineMetrics(
            factory: configuration.metricsFactory ?? MetricsSystem.factory,
            system: dialect.name
        )
        self.tracer = configuration.tracer ?? InstrumentationSystem.tracer
        self.tracesStatements = !(self.tracer is NoOpTracer)
    }

    /// Runs `compiled` on `connection`, reading its rows with `reader`: every statement the
    /// engine runs passes here, once. One statement: a client span (OpenTelemetry database
    /// attributes, never values), the duration and error metrics, cancellation forwarded to the
    /// server, echo, and errors given their SQL context.
    func execute<R>(
        _ compiled: CompiledStatement,
        on connection: any DriverConnection,
        logger: Logger,
        _ reader: RowReader<R>
    ) async throws -> R {
        let start = self.clock.now()
        let operation = compiled.operationName
        let deadline = self.configuration.statementTimeout.map { connection.armStatementDeadline(for: $0) }
        do {
            let result: R = try await withTaskCancellationHandler {
                guard self.tracesStatements else { return try await reader.read(connection, compiled, logger) }
                return try await Self.withSpan(self.tracer, operation) { span in
                    span.attributes[LogKey.system] = self.dialect.name
                    span.attributes[LogKey.operation] = operation
                    span.attributes[LogKey.queryText] = compiled.sql
                    return try await reader.read(connection, compiled, logger)
                }
            } onCancel: {
                // Unstructured on purpose: a cancellation handler is synchronous, and the cancel
                // request is a round trip of its own; the statement it cancels is awaited right
                // here, so the request cannot outlive the statement by more than its own round trip.
                Task { await connection.cancelRunningStatement() }
            }
            _ = deadline?.disarm()
            let elapsed = self.clock.now() - start
            self.metrics.recordStatement(operation, duration: elapsed)
            self.echo(
                compiled,
                connection: connection,
                elapsed: elapsed,
                rows: reader.rowCount(result),
                logger: logger
            )
            return result
        } catch {
            var error = error
            if deadline?.disarm() == true, let timeout = self.configuration.statementTimeout {
                error = DatabaseError(
                    .statementTimeout,
                    message: "The statement did not finish within \(timeout) (statementTimeout) and was stopped",
                    underlying: (error as? DatabaseError).map { $0 as any Error & Sendable }
                )
            }
            let contextualized = self.contextualize(error, compiled)
            self.metrics.recordError((contextualized as? DatabaseError)?.code.description ?? "other")
            throw contextualized
        }
    }

    private static func withSpan<Tr: Tracer, R>(
        _ tracer: Tr,
        _ name: String,
        _ body: (any Span) async throws -> R
    ) async throws -> R {
        try await tracer.withSpan(name, ofKind: .client) { span in try await body(span) }
    }

    /// Runs a statement that ends a transaction (`ROLLBACK`, `ROLLBACK TO SAVEPOINT`) in an
    /// unstructured task, so even a cancelled request leaves nothing behind.
    /// - Returns: `false` (after logging why) when it failed: the connection's state is unknown.
    static func runShieldedFromCancellation(
        _ sql: String,
        logger: Logger,
        _ run: @escaping @Sendable () async throws -> Void
    ) async -> Bool {
        do {
            // Unstructured on purpose, and awaited: a task of its own does not inherit the
            // caller's cancellation, so the rollback runs to the end even for a cancelled request.
            try await Task { try await run() }.value
            return true
        } catch {
            logger.error(
                "Rollback failed; the connection will be discarded",
                metadata: [LogKey.queryText: "\(sql)", LogKey.errorType: "\(type(of: error))"]
            )
            return false
        }
    }

    private func echo(
        _ compiled: CompiledStatement,
        connection: any DriverConnection,
        elapsed: Duration,
        rows: Int?,
        logger: Logger
    ) {
        let level: Logger.Level = self.configuration.echo ? .info : .trace
        guard logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            LogKey.system: "\(self.dialect.name)",
            LogKey.queryText: "\(compiled.sql)",
            LogKey.connectionID: "\(connection.id)",
            LogKey.duration: "\(Self.milliseconds(elapsed))",
        ]
        if let rows { metadata[LogKey.rows] = "\(rows)" }
        logger.log(level: level, "SQL", metadata: metadata)
        if self.configuration.echo, !compiled.binds.isEmpty, logger.logLevel <= .debug {
            logger.debug(
                "SQL binds",
                metadata: [
                    LogKey.queryText: "\(compiled.sql)",
                    LogKey.binds: "\(compiled.bindsForLogs.joined(separator: ", "))",
                ]
            )
        }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return String(Double(Int(ms * 1000)) / 1000)
    }

    /// Adds the SQL (never the values, unless configured) to an error as it passes through.
    func contextualize(_ error: any Error, _ compiled: CompiledStatement) -> any Error {
        var databaseError: DatabaseError
        if let error = error as? DatabaseError {
            databaseError = error
        } else if error is CancellationError {
            databaseError = DatabaseError(.cancelled, message: "The statement was cancelled")
        } else {
            return error
        }
        if databaseError.sql == nil {
            databaseError.sql = compiled.sql
            databaseError.bindCount = compiled.binds.count
        }
        if self.configuration.showsBoundValuesInErrors {
            databaseError.boundValues = compiled.binds.indices.map {
                compiled.sensitiveBindIndexes.contains($0) ? .text("<redacted>") : compiled.binds[$0]
            }
        }
        return databaseError
    }
}
