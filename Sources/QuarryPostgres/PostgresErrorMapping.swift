import PostgresNIO
import QuarryCore
import QuarryEngine

/// Normalizes PostgresNIO errors into ``DatabaseError`` codes (SQLSTATE classes as SQLAlchemy's
/// `DBAPIError` subclasses do).
enum PostgresErrorMapping {
    static func map(_ error: any Error, file: String = #fileID, line: Int = #line) -> DatabaseError {
        if let error = error as? DatabaseError { return error }
        guard let psql = error as? PSQLError else {
            if error is CancellationError { return DatabaseError(.cancelled, message: "The statement was cancelled") }
            return DatabaseError(
                .connectionFailed,
                message: "PostgreSQL connection error: \(type(of: error))",
                underlying: SendableErrorBox(error)
            )
        }
        switch psql.code {
        case .server:
            let info = psql.serverInfo
            let state = info?[.sqlState] ?? ""
            let message = info?[.message] ?? "PostgreSQL reported an error"
            var mapped = DatabaseError(
                self.code(forSQLState: state, message: message),
                message: message,
                constraintName: info?[.constraintName],
                table: info?[.tableName],
                serverCode: state,
                underlying: psql,
                file: file,
                line: line
            )
            if let detail = info?[.detail], mapped.code == .server { mapped.message += " (\(detail))" }
            return mapped
        case .queryCancelled:
            return DatabaseError(.cancelled, message: "The statement was cancelled", underlying: psql)
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .sslUnsupported,
            .failedToAddSSLHandler, .messageDecodingFailure, .unexpectedBackendMessage,
            .receivedUnencryptedDataAfterSSLRequest:
            // Say why (refused, TLS certificate verification, …): the cause is the useful part.
            let cause = psql.underlying.map { ": \(String(describing: $0).prefix(300))" } ?? ""
            return DatabaseError(
                .connectionFailed,
                message: "The PostgreSQL connection failed (\(psql.code))\(cause)",
                underlying: psql
            )
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return DatabaseError(
                .connectionFailed,
                message: "PostgreSQL authentication failed (\(psql.code))",
                underlying: psql
            )
        case .tooManyParameters:
            return DatabaseError(
                .invalidValue,
                message: "Too many bound values for one PostgreSQL statement",
                underlying: psql
            )
        default:
            return DatabaseError(.server, message: "PostgreSQL error (\(psql.code))", underlying: psql)
        }
    }

    static func code(forSQLState state: String, message: String) -> DatabaseError.Code {
        switch state {
        case "23505": .uniqueViolation
        case "23503": .foreignKeyViolation
        case "23502": .notNullViolation
        case "23514": .checkViolation
        case "40001": .serializationFailure
        case "40P01": .deadlock
        case "57014": message.contains("statement timeout") ? .statementTimeout : .cancelled
        case "25006": .readOnly
        case "55P03": .lockTimeout
        case "53100", "53200", "53400": .resourceExhausted
        case "22021", "22P05", "22003", "22P02", "22007", "22008", "2201E", "2201F", "2201B": .invalidValue
        case "28P01", "28000", "3D000", "57P01", "57P02", "57P03", "53300": .connectionFailed
        default: state.hasPrefix("08") ? .connectionFailed : .server
        }
    }
}
