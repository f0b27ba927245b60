public import Hummingbird
public import Logging

/// One structured log line per request: method, path, status and duration in milliseconds.
///
/// ```swift
/// router.add(middleware: AccessLogMiddleware(level: .info))
/// ```
public struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    /// Logs each request at `level`.
    public init(level: Logger.Level = .info) {
        self.level = level
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // Nothing to time when the line would be dropped.
        guard context.logger.logLevel <= self.level else { return try await next(request, context) }
        let start = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            context.logger.log(
                level: self.level,
                "access",
                metadata: [
                    "http.request.method": "\(request.method)",
                    "url.path": "\(request.uri.path)",
                    "http.response.status_code": "\(status)",
                    "duration_ms": "\((ms * 1000).rounded() / 1000)",
                ]
            )
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}
