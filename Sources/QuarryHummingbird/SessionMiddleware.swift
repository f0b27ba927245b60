public import Hummingbird
public import QuarryEngine
public import QuarryORM

/// Gives each request a lazy ``QuarryORM/Session`` and cleans up after it:
///
/// - no connection is taken unless the handler queries;
/// - when the handler returns, whatever it did not commit is rolled back and the connection is
///   back in the pool *before* the response is sent, so work a handler committed is visible to
///   any client that has its response;
/// - when it throws, the session is rolled back and the error is passed on (map it with
///   ``DatabaseErrorMiddleware``);
/// - when the client goes away mid-request (and `cancelsOnClientDisconnect`), the handler is
///   cancelled, which cancels the in-flight query on the server and returns its connection clean.
///
/// ```swift
/// let router = Router(context: DatabaseContext.self)
/// router.add(middleware: DatabaseErrorMiddleware())
/// router.add(middleware: SessionMiddleware(engine: engine))
/// ```
public struct SessionMiddleware<Context: DatabaseRequestContext>: RouterMiddleware {
    let engine: Engine
    let configuration: SessionConfiguration
    let cancelsOnClientDisconnect: Bool

    /// - Parameters:
    ///   - engine: The engine sessions run on.
    ///   - configuration: Each session's configuration (its logger defaults to the engine's).
    ///   - cancelsOnClientDisconnect: Cancel the handler when the client closes its side. Hummingbird
    ///     then closes the connection after the response instead of keeping it alive.
    public init(engine: Engine, configuration: SessionConfiguration = .init(), cancelsOnClientDisconnect: Bool = true) {
        self.engine = engine
        self.configuration = configuration
        self.cancelsOnClientDisconnect = cancelsOnClientDisconnect
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let session = Session(self.engine, configuration: self.configuration)
        var context = context
        context.sessionSlot.session = session
        do {
            let response: Response
            if self.cancelsOnClientDisconnect {
                let ctx = context
                response = try await request.body.consumeWithCancellationOnInboundClose { body in
                    var request = request
                    request.body = body
                    return try await next(request, ctx)
                }
            } else {
                response = try await next(request, context)
            }
            await session.close()
            return response
        } catch {
            await session.close()
            throw error
        }
    }
}
