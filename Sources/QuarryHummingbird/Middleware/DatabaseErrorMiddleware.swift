public import Hummingbird
import Logging
import NIOHTTP1
import QuarryCore

/// Turns every error a handler throws into a FastAPI-shaped response, and logs it:
///
/// | error | status | body |
/// |---|---|---|
/// | ``DetailError`` / other `HTTPResponseError` | its own | its own |
/// | a request body the HTTP parser rejects (malformed chunks) | 400 + `Connection: close` | `{"detail":"Invalid HTTP request received."}` |
/// | `DatabaseError` `noResult` | 404 | `{"detail":"Not Found"}` |
/// | constraint violations (unique, foreign key, not null, check), stale versioned writes | 409 | `{"detail":"Conflict"}` |
/// | transient (`DatabaseError.Code.isTransient`: serialization failure, deadlock, pool timeout, connection failed), unavailable (`isUnavailable`: read-only, disk full or out of connections, lock or statement timeout), `poolClosed`, `closed` | 503 + `Retry-After: 1` | `{"detail":"Service Unavailable"}` |
/// | `invalidValue` (a NUL byte in PostgreSQL text, …) | 422 | `{"detail":"A value cannot be stored by the database"}` |
/// | anything else | 500 | `{"detail":"Internal Server Error"}` |
/// | the request was cancelled (its client disconnected) | 499, logged at `info` | — |
///
/// Details (SQL, constraint, error type) go only to the log, never values or passwords, and never
/// to the client.
///
/// ```swift
/// router.add(middleware: DatabaseErrorMiddleware())
/// ```
///
/// A router that also adds ``SessionMiddleware`` can instead create that with `mapsErrors: true`:
/// the same mapping in one layer, which saves each request an async call.
public struct DatabaseErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.response(for: error, to: request, context: context)
        }
    }

    /// The response for a request whose handler threw `error` (mapped as the table above says),
    /// after logging it. ``SessionMiddleware`` calls it when created with `mapsErrors: true`.
    static func response(for error: any Error, to request: Request, context: Context) throws -> Response {
        // A client that left cancels its request: not a server error, and no one reads the
        // answer. Logged as nginx's 499 at info, so disconnects cannot inflate 5xx alerts.
        let mapped = Self.isCancellation(error) ? Self.clientClosed : Self.map(error)
        let level: Logger.Level =
            mapped.status == Self.clientClosed.status ? .info : mapped.status.code >= 500 ? .error : .debug
        context.logger.log(
            level: level,
            "Request failed",
            metadata: Self.metadata(for: error, status: mapped.status.code)
        )
        return try mapped.response(from: request, context: context)
    }

    /// The HTTP answer for `error`.
    public static func map(_ error: any Error) -> DetailError {
        switch error {
        case let error as DetailError:
            return error
        case is HTTPParserError:
            // A body the HTTP parser rejected (a malformed chunk, an unknown transfer coding): the
            // client's fault, and the connection cannot carry another request.
            return DetailError(.badRequest, "Invalid HTTP request received.", headers: [.connection: "close"])
        case let error as any HTTPResponseError:
            let message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            return DetailError(error.status, message)
        case let error as DatabaseError:
            switch error.code {
            case .noResult:
                return DetailError(.notFound, "Not Found")
            case .uniqueViolation, .foreignKeyViolation, .notNullViolation, .checkViolation, .staleData:
                return DetailError(.conflict, "Conflict")
            case _ where error.isTransient || error.code.isUnavailable, .poolClosed, .closed:
                return DetailError(.serviceUnavailable, "Service Unavailable", headers: [.retryAfter: "1"])
            case .invalidValue:
                return DetailError(.unprocessableContent, "A value cannot be stored by the database")
            default:
                return DetailError(.internalServerError, "Internal Server Error")
            }
        default:
            return DetailError(.internalServerError, "Internal Server Error")
        }
    }

    /// 499 Client Closed Request (nginx's status for a client that left before the answer).
    static var clientClosed: DetailError {
        DetailError(HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request"), "Client Closed Request")
    }

    /// Whether `error` is the request's own cancellation (its client disconnected).
    static func isCancellation(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let error = error as? DatabaseError, error.code == .cancelled { return true }
        return Task.isCancelled
    }

    static func metadata(for error: any Error, status: Int) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["http.response.status_code": "\(status)", "error.type": "\(type(of: error))"]
        if let error = error as? DatabaseError {
            metadata["db.error.code"] = "\(error.code)"
            metadata["error.message"] = "\(error.message)"
            if let sql = error.sql { metadata["db.query.text"] = "\(sql)" }
            if let constraint = error.constraintName { metadata["db.constraint"] = "\(constraint)" }
        } else if !(error is any HTTPResponseError) {
            metadata["error.message"] = "\(String(describing: error).prefix(500))"
        }
        return metadata
    }
}
