import Foundation
import QuarryCore
import QuarryEngine
import SQLiteNIO

/// Normalizes SQLiteNIO errors into ``DatabaseError`` codes by their result code and message.
enum SQLiteErrorMapping {
    /// A statement whose task was cancelled before SQLite ran it (it never started, so nothing to
    /// roll back in it).
    static func cancelledBeforeStart() -> DatabaseError {
        DatabaseError(.cancelled, message: "The statement was cancelled before it started")
    }

    static func map(_ error: any Error) -> DatabaseError {
        if let error = error as? DatabaseError { return error }
        // NIO's thread pool throws this when the task is cancelled while its statement still waits
        // for a thread: the statement never ran.
        if error is CancellationError {
            return self.cancelledBeforeStart()
        }
        guard let sqlite = error as? SQLiteError else {
            return DatabaseError(
                .server,
                message: "SQLite error: \(type(of: error))",
                underlying: SendableErrorBox(error)
            )
        }
        let message = sqlite.message
        let code: DatabaseError.Code
        var constraint: String?
        switch sqlite.reason {
        case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed, .constraintForeignKeyFailed,
            .constraintNotNullFailed, .constraintCheckFailed:
            if message.hasPrefix("UNIQUE") || message.hasPrefix("PRIMARY KEY") {
                code = .uniqueViolation
            } else if message.hasPrefix("FOREIGN KEY") {
                code = .foreignKeyViolation
            } else if message.hasPrefix("NOT NULL") {
                code = .notNullViolation
            } else if message.hasPrefix("CHECK") {
                code = .checkViolation
            } else {
                code = .server
            }
            if let colon = message.range(of: "failed: ") {
                constraint = String(message[colon.upperBound...])
            } else if code == .foreignKeyViolation {
                constraint = "FOREIGN KEY"
            }
        case .busy, .locked:
            code = .serializationFailure
        case .interrupt:
            code = .cancelled
        case .readOnly:
            code = .readOnly
        case .full, .noMemory:
            code = .resourceExhausted
        case .cantOpen, .notADatabase, .ioError, .corrupt, .permission:
            code = .connectionFailed
        case .tooBig, .mismatch, .range:
            code = .invalidValue
        case _ where SQLiteFunctions.isDomainError(message):
            code = .invalidValue
        default:
            code = .server
        }
        return DatabaseError(
            code,
            message: message,
            constraintName: constraint,
            serverCode: "\(sqlite.reason)",
            underlying: SendableErrorBox(sqlite)
        )
    }
}
