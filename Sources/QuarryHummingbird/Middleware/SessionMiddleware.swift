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
/// - when the client goes away mid-request (with a ``ClientDisconnectMonitor`` installed), the
///   handler is cancelled, which cancels the in-flight query on the server and returns its
///   connection clean; keep-alive connections stay open otherwise.
///
/// ```swift
/// let monitor = ClientDisconnectMonitor()
/// let router = Router(context: DatabaseContext.self)
/// router.add(middleware: DatabaseErrorMiddleware())
/// router.add(middleware: SessionMiddleware(engine: engine, disconnectMonitor: monitor))
/// ```
public struct SessionMiddleware<Context: DatabaseRequestContext>: RouterMiddleware {
    let engine: Engine
    let configuration: SessionConfiguration
    let disconnectMonitor: ClientDisconnectMonitor?

    /// - Parameters:
    ///   - engine: The engine sessions run on.
    ///   - configuration: Each session's configuration (its logger defaults to the engine's).
    ///   - disconnectMonitor: Cancels handlers whose client left; install its channel handler in
    ///     the server too. `nil` lets handlers finish.
    public init(
        engine: Engine,
        configuration: SessionConfiguration = .init(),
        disconnectMonitor: ClientDisconnectMonitor? = nil
    ) {
        self.engine = engine
        self.configuration = configuration
        self.disconnectMonitor = disconnectMonitor
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let session = Session(self.engine, configuration: self.configuration)
        var context = context
        context.sessionSlot.session = session
        do {
            let response: Response
            if let monitor = self.disconnectMonitor, let channel = context.connectionChannel,
                let watch = monitor.watch(for: channel)
            {
                let ctx = context
                response = try await runCancellingOnDisconnect(watch) { try await next(request, ctx) }
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
