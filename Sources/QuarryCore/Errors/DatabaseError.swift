import Foundation

/// The one error type of Quarry's database layer: every failure a statement meets once it reaches
/// the engine, normalized across drivers. (A statement that cannot be turned into SQL at all —
/// nothing to insert, more values than the dialect can bind — throws ``CompileError`` before any
/// connection is used; a migration run throws `MigrationError` naming the migration.)
///
/// Switch on ``code`` or pattern-match the static members:
///
/// ```swift
/// do {
///     try await engine.execute(insert(user))
/// } catch let error as DatabaseError where error.code == .uniqueViolation {
///     print("duplicate email", error.constraintName ?? "")
/// } catch DatabaseError.poolTimeout {
///     // the pattern form, when the error itself is not needed
/// }
/// ```
///
/// ``description`` shows the code, the server's message and the SQL text with placeholders; bound
/// values appear only when the engine was configured with `showsBoundValuesInErrors`, and a password
/// never does.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a value a caller can switch on; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case noResult, multipleResults, uniqueViolation, foreignKeyViolation, notNullViolation
            case checkViolation, connectionFailed, poolTimeout, poolClosed, unsupportedURL
            case syncDriverRefused, cancelled, serializationFailure, deadlock, typeMismatch
            case statementTimeout, invalidValue, server, closed
            case transactionRequired, transactionAlreadyOpen, transactionFailed
            case readOnly, resourceExhausted, lockTimeout, staleData
        }
        let base: Base

        /// A query that must return a row returned none.
        public static let noResult = Code(base: .noResult)
        /// A query that must return at most one row returned several.
        public static let multipleResults = Code(base: .multipleResults)
        /// A unique or primary-key constraint was violated (SQLSTATE 23505).
        public static let uniqueViolation = Code(base: .uniqueViolation)
        /// A foreign-key constraint was violated (SQLSTATE 23503).
        public static let foreignKeyViolation = Code(base: .foreignKeyViolation)
        /// A `NOT NULL` constraint was violated (SQLSTATE 23502).
        public static let notNullViolation = Code(base: .notNullViolation)
        /// A `CHECK` constraint was violated (SQLSTATE 23514).
        public static let checkViolation = Code(base: .checkViolation)
        /// The database could not be reached or the connection broke.
        public static let connectionFailed = Code(base: .connectionFailed)
        /// No pooled connection became free within the pool timeout.
        public static let poolTimeout = Code(base: .poolTimeout)
        /// The engine was shut down.
        public static let poolClosed = Code(base: .poolClosed)
        /// The database URL has a scheme Quarry cannot serve.
        public static let unsupportedURL = Code(base: .unsupportedURL)
        /// The URL names a synchronous driver (`postgresql+psycopg2://`), which Quarry refuses.
        public static let syncDriverRefused = Code(base: .syncDriverRefused)
        /// The task was cancelled; the statement was cancelled on the server.
        public static let cancelled = Code(base: .cancelled)
        /// A serializable transaction could not be serialized (SQLSTATE 40001); retrying may succeed.
        public static let serializationFailure = Code(base: .serializationFailure)
        /// A deadlock was detected (SQLSTATE 40P01); retrying may succeed.
        public static let deadlock = Code(base: .deadlock)
        /// A column held a value that does not convert to the requested Swift type.
        public static let typeMismatch = Code(base: .typeMismatch)
        /// The statement ran longer than the statement timeout.
        public static let statementTimeout = Code(base: .statementTimeout)
        /// A value cannot be stored (for example a NUL byte in PostgreSQL text).
        public static let invalidValue = Code(base: .invalidValue)
        /// Any other error reported by the database server.
        public static let server = Code(base: .server)
        /// The connection or session was already closed.
        public static let closed = Code(base: .closed)
        /// Caller misuse: the call needs an open transaction (a savepoint, a locking read).
        public static let transactionRequired = Code(base: .transactionRequired)
        /// Caller misuse: a transaction is already open where a new one was asked for.
        public static let transactionAlreadyOpen = Code(base: .transactionAlreadyOpen)
        /// Caller misuse: the session's transaction failed earlier and must be rolled back first.
        public static let transactionFailed = Code(base: .transactionFailed)

        /// The database accepts no writes now: a hot standby or demoted primary, PostgreSQL's
        /// `default_transaction_read_only`, a read-only SQLite file (SQLSTATE 25006, `SQLITE_READONLY`).
        public static let readOnly = Code(base: .readOnly)
        /// The server ran out of something: disk space, memory, connection slots (SQLSTATE class
        /// 53, `SQLITE_FULL`, `SQLITE_NOMEM`).
        public static let resourceExhausted = Code(base: .resourceExhausted)
        /// A lock could not be had in time (`lock_timeout`, `NOWAIT`: SQLSTATE 55P03).
        public static let lockTimeout = Code(base: .lockTimeout)
        /// An update or delete of a versioned row (``ColumnOption/version``) found another version:
        /// someone changed or deleted the row since it was read. Nothing was written.
        public static let staleData = Code(base: .staleData)

        /// `true` for conditions of the database, not of the statement, that an operator or time
        /// clears: ``readOnly``, ``resourceExhausted``, ``lockTimeout`` and ``statementTimeout``.
        /// Retrying at once rarely helps (the engine does not), but a client may come back later:
        /// the Hummingbird integration answers them `503` with `Retry-After`.
        public var isUnavailable: Bool {
            switch self.base {
            case .readOnly, .resourceExhausted, .lockTimeout, .statementTimeout: true
            default: false
            }
        }

        /// `true` for failures that say nothing about the statement itself and may pass by
        /// themselves — a serialization failure, a deadlock, a pool timeout, a connection that
        /// could not be opened or broke: a retry of the whole transaction, or of the request
        /// later, may succeed. The one definition used by `Engine` transaction retries, the
        /// Hummingbird integration's background work and its HTTP mapping (503 + `Retry-After`).
        public var isTransient: Bool {
            switch self.base {
            case .serializationFailure, .deadlock, .poolTimeout, .connectionFailed: true
            default: false
            }
        }

        /// `true` for mistakes in the calling code (``transactionRequired``,
        /// ``transactionAlreadyOpen``, ``transactionFailed``) rather than the database's answer.
        public var isMisuse: Bool {
            switch self.base {
            case .transactionRequired, .transactionAlreadyOpen, .transactionFailed: true
            default: false
            }
        }

        public var description: String { self.base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation (the server's message, or Quarry's own).
    public var message: String
    /// The SQL text with placeholders, never values.
    public var sql: String?
    /// How many values were bound.
    public var bindCount: Int?
    /// The constraint the server named, for constraint violations.
    public var constraintName: String?
    /// The table involved, when known.
    public var table: String?
    /// The SQLSTATE (PostgreSQL) or extended result code (SQLite), when the server gave one.
    public var serverCode: String?
    /// The bound values, kept only for ``description`` when the engine opted in.
    public var boundValues: [DatabaseValue]?
    /// The driver's own error. Its text may contain bound values; it is not part of ``description``.
    public var underlying: (any Error & Sendable)?
    /// Where the failing call was made.
    public var file: String
    /// Where the failing call was made.
    public var line: Int

    /// Creates an error.
    public init(
        _ code: Code,
        message: String,
        sql: String? = nil,
        bindCount: Int? = nil,
        constraintName: String? = nil,
        table: String? = nil,
        serverCode: String? = nil,
        underlying: (any Error & Sendable)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.sql = sql
        self.bindCount = bindCount
        self.constraintName = constraintName
        self.table = table
        self.serverCode = serverCode
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// `true` for failures that a retry of the whole transaction may cure (`Code.isTransient`).
    public var isTransient: Bool { self.code.isTransient }

    public var description: String {
        var text = "DatabaseError.\(self.code): \(self.message)"
        if let constraintName { text += " (constraint: \(constraintName))" }
        if let serverCode { text += " [\(serverCode)]" }
        if let sql { text += " — SQL: \(sql)" }
        if let bindCount, bindCount > 0 { text += " (\(bindCount) bound values)" }
        if let boundValues { text += " — values: \(boundValues.map(\.renderedForLogs).joined(separator: ", "))" }
        return text
    }

    /// `catch DatabaseError.uniqueViolation { … }`
    public static let uniqueViolation = Code.uniqueViolation
    /// `catch DatabaseError.foreignKeyViolation { … }`
    public static let foreignKeyViolation = Code.foreignKeyViolation
    /// `catch DatabaseError.notNullViolation { … }`
    public static let notNullViolation = Code.notNullViolation
    /// `catch DatabaseError.checkViolation { … }`
    public static let checkViolation = Code.checkViolation
    /// `catch DatabaseError.noResult { … }`
    public static let noResult = Code.noResult
    /// `catch DatabaseError.multipleResults { … }`
    public static let multipleResults = Code.multipleResults
    /// `catch DatabaseError.poolTimeout { … }`
    public static let poolTimeout = Code.poolTimeout
    /// `catch DatabaseError.connectionFailed { … }`
    public static let connectionFailed = Code.connectionFailed
    /// `catch DatabaseError.cancelled { … }`
    public static let cancelled = Code.cancelled
    /// `catch DatabaseError.serializationFailure { … }`
    public static let serializationFailure = Code.serializationFailure
    /// `catch DatabaseError.staleData { … }`
    public static let staleData = Code.staleData
}

extension DatabaseError.Code {
    /// Matches an error against a code: `catch DatabaseError.Code.uniqueViolation`.
    public static func ~= (code: DatabaseError.Code, error: any Error) -> Bool {
        (error as? DatabaseError)?.code == code
    }
}
