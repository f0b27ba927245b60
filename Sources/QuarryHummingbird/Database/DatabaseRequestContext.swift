public import Hummingbird
public import NIOCore
public import QuarryORM

/// A request context that carries the request's ``QuarryORM/Session`` (FastAPI's
/// `Depends(get_db)`), set by ``SessionMiddleware``.
///
/// ```swift
/// router.get("/user/:id") { request, context in
///     let id = try context.parameters.require("id", as: Int64.self)
///     return try await context.db.get(User.self, id: id)
/// }
/// ```
public protocol DatabaseRequestContext: RequestContext {
    /// Where ``SessionMiddleware`` puts the session.
    var sessionSlot: RequestSessionSlot { get set }
    /// The client connection, for noticing a disconnect (`nil` when there is none, as in router
    /// tests).
    var connectionChannel: (any Channel)? { get }
}

extension DatabaseRequestContext {
    /// The request's session. It opens no connection until the first statement.
    /// - Throws: ``DetailError`` 500 when ``SessionMiddleware`` is not installed.
    public var db: Session {
        get throws {
            guard let session = self.sessionSlot.session else {
                throw DetailError(.internalServerError, "Internal Server Error")
            }
            return session
        }
    }
}

/// Holds the request's session inside a context.
public struct RequestSessionSlot: Sendable {
    var session: Session?
    /// An empty slot.
    public init() {}
}

/// A ready-made context with a session slot.
///
/// ```swift
/// let router = Router(context: DatabaseContext.self)
/// router.add(middleware: SessionMiddleware(engine: engine))
/// ```
public struct DatabaseContext: DatabaseRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var sessionSlot = RequestSessionSlot()
    public let connectionChannel: (any Channel)?
    /// Bodies larger than this are refused with 413 when decoded.
    public var maxUploadSize: Int { 1 << 20 }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.connectionChannel = source.channel
    }
}
