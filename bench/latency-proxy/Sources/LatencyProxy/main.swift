import NIOCore
import NIOPosix

// Usage: LatencyProxy <listen port> <target port> <delay ms>
//
// Each accepted connection gets its own connection to 127.0.0.1:<target port> on the same event
// loop. A chunk from the client is forwarded when its delay has passed, measured from its arrival
// (NIO's timers are exact to the microsecond; chunks keep their order because their deadlines are
// in arrival order); the server's replies are forwarded at once. So every query round trip takes
// the delay longer, and nothing else does.
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

let arguments = CommandLine.arguments
guard arguments.count == 4, let listenPort = Int(arguments[1]), let targetPort = Int(arguments[2]),
    let delayMS = Double(arguments[3])
else {
    print("usage: LatencyProxy <listen port> <target port> <delay ms>")
    exit(64)
}
let delay = TimeAmount.nanoseconds(Int64(delayMS * 1_000_000))

/// Forwards what one side reads to the other side, after `delay` (client to server) or at once.
final class Forwarder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let delay: TimeAmount
    var peer: (any Channel)?
    var pending: [ByteBuffer] = []

    init(delay: TimeAmount) { self.delay = delay }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = self.unwrapInboundIn(data)
        if self.delay == .zero {
            self.send(buffer)
        } else {
            context.eventLoop.assumeIsolated().scheduleTask(deadline: .now() + self.delay) { self.send(buffer) }
        }
    }

    func send(_ buffer: ByteBuffer) {
        guard let peer = self.peer else {
            self.pending.append(buffer)
            return
        }
        peer.writeAndFlush(buffer, promise: nil)
    }

    func attach(_ peer: any Channel) {
        self.peer = peer
        for buffer in self.pending { peer.write(buffer, promise: nil) }
        self.pending = []
        peer.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Close the other side once the last delayed chunk has gone.
        context.eventLoop.assumeIsolated().scheduleTask(deadline: .now() + self.delay) {
            self.peer?.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

let group = MultiThreadedEventLoopGroup.singleton
let server = try await ServerBootstrap(group: group)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelOption(.autoRead, value: true)
    .childChannelInitializer { inbound in
        // Both channels run on this event loop, so the handlers never cross threads.
        let loop = inbound.eventLoop
        let toServer = Forwarder(delay: delay)
        let toClient = Forwarder(delay: .zero)
        toClient.peer = inbound
        do {
            try inbound.pipeline.syncOperations.addHandler(toServer)
        } catch {
            return loop.makeFailedFuture(error)
        }
        let handlers = NIOLoopBound((toServer: toServer, toClient: toClient), eventLoop: loop)
        return ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { outbound in
                outbound.eventLoop.makeCompletedFuture {
                    try outbound.pipeline.syncOperations.addHandler(handlers.value.toClient)
                }
            }
            .connect(host: "127.0.0.1", port: targetPort)
            .map { outbound in handlers.value.toServer.attach(outbound) }
    }
    .bind(host: "127.0.0.1", port: listenPort)
    .get()
print("latency proxy 127.0.0.1:\(listenPort) -> :\(targetPort), +\(delayMS) ms per request chunk")
try await server.closeFuture.get()
