public import NIOCore
@_spi(Locking) import QuarryEngine

/// Notices clients that go away mid-request, without closing keep-alive connections.
///
/// Install its channel handler in the HTTP/1 server and pass the monitor to
/// ``SessionMiddleware``: when a client closes its side (or resets the connection) while its
/// request runs, the handler is cancelled, which cancels the in-flight query on the server and
/// returns its connection clean.
///
/// ```swift
/// let monitor = ClientDisconnectMonitor()
/// router.add(middleware: SessionMiddleware(engine: engine, disconnectMonitor: monitor))
/// let app = Application(router: router, server: .http1(configuration: .init(additionalChannelHandlers: [monitor.channelHandler()])))
/// ```
public final class ClientDisconnectMonitor: Sendable {
    private let watches = Locked<[ObjectIdentifier: ConnectionWatch]>([:])

    /// Creates a monitor.
    public init() {}

    /// A new handler for one connection's pipeline (call once per connection).
    public func channelHandler() -> any RemovableChannelHandler {
        DisconnectHandler(monitor: self)
    }

    /// The watch of `channel`'s connection, or `nil` when the handler is not installed.
    func watch(for channel: any Channel) -> ConnectionWatch? {
        self.watches.withLockedValue { $0[ObjectIdentifier(channel)] }
    }

    fileprivate func register(_ watch: ConnectionWatch, for channel: any Channel) {
        self.watches.withLockedValue { $0[ObjectIdentifier(channel)] = watch }
    }

    fileprivate func unregister(_ channel: any Channel) {
        self.watches.withLockedValue { $0[ObjectIdentifier(channel)] = nil }
    }

    /// Connections currently watched (for tests: 0 once every connection closed).
    public var watchedConnectionCount: Int { self.watches.withLockedValue { $0.count } }
}

/// Whether one connection's client has gone, and which request task to cancel when it goes.
final class ConnectionWatch: Sendable {
    private struct State {
        var isClosed = false
        var nextID = 0
        var tasks: [Int: RunningRequest] = [:]
    }

    private let state = Locked(State())

    /// Records that the client left and cancels the request tasks running for it. `cancel()` runs
    /// under the lock: see ``RunningRequest``.
    func markClosed() {
        self.state.withLockedValue { state in
            state.isClosed = true
            for request in state.tasks.values { request.task.cancel() }
            state.tasks.removeAll()
        }
    }

    /// Registers the task running this call to be cancelled when the client leaves (at once if it
    /// already has), without a child task per request (docs/benchmarks.md has the profile that
    /// chose this). The caller passes the result to ``unregister(_:)`` before it returns.
    func registerCurrentTask() -> Int? {
        withUnsafeCurrentTask { task in task.flatMap { self.register(RunningRequest(task: $0)) } }
    }

    private func register(_ request: RunningRequest) -> Int? {
        self.state.withLockedValue { state in
            if state.isClosed {
                request.task.cancel()
                return nil
            }
            state.nextID += 1
            state.tasks[state.nextID] = request
            return state.nextID
        }
    }

    func unregister(_ id: Int?) {
        guard let id else { return }
        _ = self.state.withLockedValue { $0.tasks.removeValue(forKey: id) }
    }
}

/// The task running a request, to be cancelled from the connection's event loop when the client
/// leaves.
///
/// `@unchecked Sendable`: an `UnsafeCurrentTask` must only be used while its task is alive.
/// ``ConnectionWatch`` calls `cancel()` only under its lock and only on a registered entry, and
/// whoever called ``ConnectionWatch/registerCurrentTask()`` (``SessionMiddleware``) unregisters the
/// entry under that same lock before it returns — inside the task. So whenever `cancel()` runs,
/// the task is still inside that call.
/// (Cancelling a task from another thread is itself safe: it is what `Task.cancel()` does.)
struct RunningRequest: @unchecked Sendable {
    let task: UnsafeCurrentTask
}

/// Sits in each connection's pipeline and reports the client closing its side or the connection
/// dropping. It passes everything through untouched.
final class DisconnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private let monitor: ClientDisconnectMonitor
    private let watch = ConnectionWatch()

    init(monitor: ClientDisconnectMonitor) { self.monitor = monitor }

    func handlerAdded(context: ChannelHandlerContext) {
        self.monitor.register(self.watch, for: context.channel)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.monitor.unregister(context.channel)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { self.watch.markClosed() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.watch.markClosed()
        self.monitor.unregister(context.channel)
        context.fireChannelInactive()
    }
}
