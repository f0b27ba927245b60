import Foundation
import NIOCore
import NIOHTTP1

/// Checks each HTTP/1 request head before Hummingbird converts it, where the protocol version and
/// every `Host` line are still visible:
///
/// - a request without exactly one `Host` header (HTTP/1.1), or with more than one (HTTP/1.0), is
///   answered `400` and the connection closed, as uvicorn (h11) and nginx do;
/// - a request that does not keep the connection alive (HTTP/1.0 without `keep-alive`, or
///   `Connection: close`) gets `Connection: close` on its response, and the connection is closed
///   once that response is written; so does a response the application marked `Connection: close`.
final class HTTP1RequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case open
        /// The current request asked for the connection to end with its response.
        case closingAfterResponse
        /// A request was refused; everything else the client sends is dropped.
        case rejected
    }

    private var state = State.open

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.state {
        case .rejected:
            return
        case .open, .closingAfterResponse:
            guard case .head(var head) = self.unwrapInboundIn(data) else {
                context.fireChannelRead(data)
                return
            }
            guard Self.hasValidHost(head) else {
                self.reject(context: context)
                return
            }
            if !head.isKeepAlive {
                self.state = .closingAfterResponse
                // Hummingbird ends its request loop after a request that says `close`.
                head.headers.replaceOrAdd(name: "connection", value: "close")
                context.fireChannelRead(self.wrapInboundOut(.head(head)))
                return
            }
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = self.unwrapOutboundIn(data)
        if case .open = self.state, case .head(let head) = part, Self.asksToClose(head.headers) {
            // The application ended the connection (a request it could not fully read).
            self.state = .closingAfterResponse
        }
        guard case .closingAfterResponse = self.state else {
            context.write(data, promise: promise)
            return
        }
        switch part {
        case .head(var head):
            head.headers.replaceOrAdd(name: "connection", value: "close")
            context.write(self.wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            let written = promise ?? context.eventLoop.makePromise()
            context.writeAndFlush(data, promise: written)
            let channel = context.channel
            written.futureResult.whenComplete { _ in lingeringClose(channel) }
        case .body:
            context.write(data, promise: promise)
        }
    }

    /// Whether a `Connection` header lists `close`. A plain scan: every response head passes here,
    /// and almost none has a `Connection` header at all.
    static func asksToClose(_ headers: HTTPHeaders) -> Bool {
        for header in headers where header.name.utf8.count == 10 && header.name.lowercased() == "connection" {
            let tokens = header.value.split(separator: ",")
            if tokens.contains(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == "close" }) {
                return true
            }
        }
        return false
    }

    /// HTTP/1.1 requires exactly one `Host` (RFC 9112 §3.2); HTTP/1.0 allows none, never two.
    static func hasValidHost(_ head: HTTPRequestHead) -> Bool {
        var count = 0
        for header in head.headers where header.name.utf8.count == 4 && header.name.lowercased() == "host" {
            count += 1
        }
        return head.version.major == 1 && head.version.minor == 0 ? count <= 1 : count == 1
    }

    private func reject(context: ChannelHandlerContext) {
        self.state = .rejected
        let body = "Invalid HTTP request received."
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        headers.add(name: "content-length", value: "\(body.utf8.count)")
        headers.add(name: "connection", value: "close")
        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))),
            promise: nil
        )
        context.write(
            self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))),
            promise: nil
        )
        let channel = context.channel
        context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in lingeringClose(channel) }
    }
}
