public import HummingbirdCore
import Logging
public import NIOCore
import NIOHTTP1
import QuarryEngine

/// Hummingbird's HTTP/1 channel with ``HTTPServerLimits`` enforced: a connection cap in front of
/// the HTTP codec, the request guard (``HTTP1RequestGuard``) behind it, and the idle timeout.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let cap: ConnectionCap

    var responder: HTTPChannelHandler.Responder { self.base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let cap = self.cap
        return self.base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            try cap.admit(channel)
            // Behind the request decoder and, when present, the pipelining handler (so the guard
            // sees one request at a time and its own answers stay in order); before Hummingbird's
            // conversion to HTTP types, which drops the version and repeated `Host` lines.
            let anchor: any ChannelHandler
            if let pipelining = try? pipeline.handler(type: HTTPServerPipelineHandler.self) {
                anchor = pipelining
            } else {
                anchor = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            }
            try pipeline.addHandler(HTTP1RequestGuard(), position: .after(anchor))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await self.base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// An HTTP/1 server that enforces `limits`: idle and slow connections closed after
    /// ``HTTPServerLimits/idleTimeout``, at most ``HTTPServerLimits/maxConnections`` open (the
    /// excess answered `503` at once), a `400` for a missing or repeated `Host`, and HTTP/1.0 or
    /// `Connection: close` requests closed after their response.
    ///
    /// ```swift
    /// let app = Application(
    ///     router: router,
    ///     server: .quarryHTTP1(limits: HTTPServerLimits(idleTimeout: .seconds(5)))
    /// )
    /// ```
    public static func quarryHTTP1(
        limits: HTTPServerLimits = HTTPServerLimits(),
        additionalChannelHandlers: @autoclosure @escaping @Sendable () -> [any RemovableChannelHandler] = []
    ) -> HTTPServerBuilder {
        let cap = ConnectionCap(limit: limits.maxConnections)
        let idle = TimeAmount.nanoseconds(limits.idleTimeout.nanoseconds)
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                base: HTTP1Channel(
                    responder: responder,
                    configuration: .init(additionalChannelHandlers: additionalChannelHandlers(), idleTimeout: idle)
                ),
                cap: cap
            )
        }
    }
}
