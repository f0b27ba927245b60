import NIOCore
import Synchronization

/// Counts a server's open connections and refuses those beyond its cap: the refused client gets a
/// complete `503` with `Connection: close` at once, and its socket is closed as soon as the client
/// closes its side, within a second at most.
final class ConnectionCap: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) { self.limit = max(1, limit) }

    /// Connections open now.
    var openConnections: Int { self.open.load(ordering: .relaxed) }

    /// Counts a new connection in, or returns `false` when the cap is reached.
    func admit() -> Bool {
        var current = self.open.load(ordering: .relaxed)
        while current < self.limit {
            let (exchanged, original) = self.open.compareExchange(
                expected: current,
                desired: current + 1,
                ordering: .relaxed
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release() { self.open.subtract(1, ordering: .relaxed) }

    /// Counts `channel` in until it closes, or, when the cap is reached, puts the handler that
    /// refuses it at the start of its pipeline. An admitted connection gets no handler: its reads
    /// and writes pass no extra step.
    func admit(_ channel: any Channel) throws {
        guard self.admit() else {
            try channel.pipeline.syncOperations.addHandler(ConnectionRefusal(), position: .first)
            return
        }
        channel.closeFuture.whenComplete { _ in self.release() }
    }
}

/// The first handler of a connection beyond the cap: answers `503` and closes it.
final class ConnectionRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let refusal: String = {
        let body = #"{"detail":"Too many connections"}"#
        let head = [
            "HTTP/1.1 503 Service Unavailable", "content-type: application/json", "retry-after: 1",
            "connection: close", "content-length: \(body.utf8.count)",
        ]
        return head.joined(separator: "\r\n") + "\r\n\r\n" + body
    }()

    func handlerAdded(context: ChannelHandlerContext) {
        let body = context.channel.allocator.buffer(string: Self.refusal)
        let channel = context.channel
        // A lingering close, as nginx does: closing at once while the client's request is still
        // arriving would make the kernel answer it with a reset, which can destroy the 503 before
        // the client reads it. So only the sending side closes now; the connection ends when the
        // client closes its side (its bytes are dropped meanwhile), or after a second at most.
        context.writeAndFlush(self.wrapOutboundOut(body)).whenComplete { _ in lingeringClose(channel) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A refused connection's bytes go nowhere: it is closing.
    }
}

/// Ends a connection whose last response was just written without destroying that response: only
/// the sending side closes now (the client reads the response, then end of stream), and the
/// connection closes fully when the client closes its side or after a second. Closing at once
/// while the client is still sending — a large body answered 413, a request after a refused
/// one — would make the kernel answer with a reset, which can discard the response unread.
func lingeringClose(_ channel: any Channel) {
    channel.close(mode: .output, promise: nil)
    channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
}
