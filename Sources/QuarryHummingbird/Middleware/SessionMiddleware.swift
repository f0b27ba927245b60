public import Hummingbird
public import QuarryEngine
public import QuarryORM

/// Gives each request a lazy ``QuarryORM/Session`` and cleans up after it:
///
/// - no connection is taken unless the handler queries;
/// - when the handler returns, whatever it did not commit is rolled back and the connection is
///   back in the pool *before* the response is sent, so work a handler committed is visible to
///   any client that has its response;
/// - when it throws, the session is rolled back and the error is passed on to be mapped by a
///   ``DatabaseErrorMiddleware`` added before it or, with `mapsErrors: true`, mapped here the same
///   way (one layer fewer on every request);
/// - when the client goes away mid-request (with a ``ClientDisconnectMonitor`` installed), the
///   handler is cancelled, which cancels the in-flight query on the server and returns its
///   connection clean; keep-alive connections stay open otherwise.
///
/// ```swift
/// let monitor = ClientDisconnectMonitor()
/// let router = Router(context: DatabaseContext.self)
/// router.add(middleware: SessionMiddleware(engine: engine, disconnectMonitor: monitor, mapsErrors: true))
/// ```
public struct SessionMiddleware<Context: DatabaseRequestContext>: RouterMiddleware {
    let engine: Engine
    let configuration: SessionConfiguration
    let disconnectMonitor: ClientDisconnectMonitor?
    let mapsErrors: Bool

    /// - Parameters:
    ///   - engine: The engine sessions run on.
    ///   - configuration: Each session's configuration (its logger defaults to the engine's).
    ///   - disconnectMonitor: Cancels handlers whose client left; install its channel handler in
    ///     the server too. `nil` lets handlers finish.
    ///   - mapsErrors: Whether an error from the handler (or from middleware added after this one)
    ///     becomes its response here, logged and mapped as ``DatabaseErrorMiddleware`` does, instead
    ///     of being thrown on.
    public init(
        engine: Engine,
        configuration: SessionConfiguration = .init(),
        disconnectMonitor: ClientDisconnectMonitor? = nil,
        mapsErrors: Bool = false
    ) {
        self.engine = engine
        self.configuration = configuration
        self.disconnectMonitor = disconnectMonitor
        self.mapsErrors = mapsErrors
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let session = Session(self.engine, configuration: self.configuration)
        var context = context
        context.sessionSlot.session = session
        let watch = context.connectionChannel.flatMap { channel in self.disconnectMonitor?.watch(for: channel) }
        do {
            let response: Response
            do {
                // This task is cancelled if the client leaves while the handler runs.
                let registration = watch?.registerCurrentTask()
                defer { watch?.unregister(registration) }
                response = try await next(request, context)
            }
            await session.close()
            return response
        } catch {
            await session.close()
            guard self.mapsErrors else { throw error }
            return try DatabaseErrorMiddleware<Context>.response(for: error, to: request, context: context)
        }
    }
}
