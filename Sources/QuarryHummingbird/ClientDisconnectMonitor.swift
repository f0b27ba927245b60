public import NIOCore
import Synchronization

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
    private let watches = Mutex<[ObjectIdentifier: ConnectionWatch]>([:])

    /// Creates a monitor.
    public init() {}

    /// A new handler for one connection's pipeline (call once per connection).
    public func channelHandler() -> any RemovableChannelHandler {
        DisconnectHandler(monitor: self)
    }

    /// The watch of `channel`'s connection, or `nil` when the handler is not installed.
    func watch(for channel: any Channel) -> ConnectionWatch? {
        self.watches.withLock { $0[ObjectIdentifier(channel)] }
    }

    fileprivate func register(_ watch: ConnectionWatch, for channel: any Channel) {
        self.watches.withLock { $0[ObjectIdentifier(channel)] = watch }
    }

    fileprivate func unregister(_ channel: any Channel) {
        self.watches.withLock { $0[ObjectIdentifier(channel)] = nil }
    }

    /// Connections currently watched (for tests: 0 once every connection closed).
    public var watchedConnectionCount: Int { self.watches.withLock { $0.count } }
}

/// Whether one connection's client has gone, and who waits to hear it.
final class ConnectionWatch: Sendable {
    private struct State {
        var isClosed = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    func markClosed() {
        let waiters = self.state.withLock { state in
            state.isClosed = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when the client is gone, or when the calling task is cancelled.
    func waitForClose() async {
        let id = self.state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = self.state.withLock { state in
                    if state.isClosed || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
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

/// Runs `operation` in a child task that is cancelled if `watch` reports the client gone.
func runCancellingOnDisconnect<T: Sendable>(_ watch: ConnectionWatch, _ operation: () async throws -> T) async throws -> T {
    try await withoutActuallyEscaping(operation) { operation in
        let work = ScopedOperation(operation)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work.run() }
            group.addTask {
                await watch.waitForClose()
                return nil
            }
            while let result = try await group.next() {
                if let value = result {
                    group.cancelAll()
                    return value
                }
                // The client left: cancel the handler and wait for it to unwind (its session
                // rolls back and the cancelled query's connection is returned or discarded).
                group.cancelAll()
            }
            throw CancellationError()
        }
    }
}

/// Carries a non-escaping operation into the child task of `runCancellingOnDisconnect`.
/// `@unchecked Sendable` is safe because of one invariant: the child task that calls it runs
/// inside the task group of `runCancellingOnDisconnect`, which finishes before
/// `withoutActuallyEscaping` returns, so the closure never outlives its scope and is called once.
private struct ScopedOperation<T>: @unchecked Sendable {
    let run: () async throws -> T
    init(_ run: @escaping () async throws -> T) { self.run = run }
}
