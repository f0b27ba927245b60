import Logging
import QuarryCore

/// Runs compiled statements on one driver connection: echo logging, error context, cancellation.
/// Shared by the engine, connections and transactions so each statement is handled one way.
struct StatementRunner: Sendable {
    let dialect: Dialect
    let configuration: EngineConfiguration

    func run(
        _ compiled: CompiledStatement,
        on connection: any DriverConnection,
        logger: Logger
    ) async throws -> QueryResult {
        let start = ContinuousClock.now
        do {
            let result = try await withTaskCancellationHandler {
                try await connection.run(compiled, logger: logger)
            } onCancel: {
                Task { await connection.cancelRunningStatement() }
            }
            self.echo(compiled, connection: connection, start: start, rows: result.rowsAffected, logger: logger)
            return result
        } catch {
            throw self.contextualize(error, compiled)
        }
    }

    func runDecoding<T: Sendable>(
        _ compiled: CompiledStatement,
        on connection: any DriverConnection,
        logger: Logger,
        _ decode: @escaping @Sendable (Row) throws -> T
    ) async throws -> [T] {
        let start = ContinuousClock.now
        do {
            let result = try await withTaskCancellationHandler {
                try await connection.runDecoding(compiled, logger: logger, decode)
            } onCancel: {
                Task { await connection.cancelRunningStatement() }
            }
            self.echo(compiled, connection: connection, start: start, rows: result.count, logger: logger)
            return result
        } catch {
            throw self.contextualize(error, compiled)
        }
    }

    func stream<R>(
        _ compiled: CompiledStatement,
        on connection: any DriverConnection,
        logger: Logger,
        _ body: (RowCursor) async throws -> R
    ) async throws -> R {
        let start = ContinuousClock.now
        do {
            let result = try await withTaskCancellationHandler {
                try await connection.stream(compiled, logger: logger, body)
            } onCancel: {
                Task { await connection.cancelRunningStatement() }
            }
            self.echo(compiled, connection: connection, start: start, rows: nil, logger: logger)
            return result
        } catch let error as DatabaseError {
            throw self.contextualize(error, compiled)
        }
    }

    private func echo(_ compiled: CompiledStatement, connection: any DriverConnection, start: ContinuousClock.Instant, rows: Int?, logger: Logger) {
        let level: Logger.Level = self.configuration.echo ? .info : .trace
        guard logger.logLevel <= level else { return }
        let elapsed = start.duration(to: .now)
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
                    LogKey.binds: "\(compiled.binds.map(\.renderedForLogs).joined(separator: ", "))",
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
        if self.configuration.showsBoundValuesInErrors { databaseError.boundValues = compiled.binds }
        return databaseError
    }
}

