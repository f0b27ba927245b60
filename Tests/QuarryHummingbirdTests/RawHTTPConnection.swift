import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP connection that sends exactly the bytes it is given, for requests no HTTP client would
/// send (no `Host`, HTTP/1.0, broken chunking, nothing at all). Blocking calls run on a thread pool
/// of the tests' own, never on Swift's cooperative threads.
final class RawHTTPConnection: Sendable {
    /// The threads the blocking calls wait on. Not NIO's shared pool: it has a thread per core, and
    /// a read that waits out a server's timeout held one of them, so on two cores two
    /// such reads stalled every other test's calls — and the SQLite driver's queries, which use
    /// that pool too — long enough for a 1 s idle timeout to close a connection before its request
    /// was sent.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 32)
        pool.start()
        return pool
    }()

    private let socket: Int32

    /// Connects to `127.0.0.1:port`; every read gives up after `readTimeout` seconds (a bound for a
    /// server that never answers, far above what a loaded two-core machine takes to answer).
    init(port: Int, readTimeout: Int = 30) throws {
        #if canImport(Glibc)
        let kind = Int32(SOCK_STREAM.rawValue)
        #else
        let kind = SOCK_STREAM
        #endif
        let descriptor = Glibc.socket(AF_INET, kind, 0)
        guard descriptor >= 0 else { throw RawHTTPError.system("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw RawHTTPError.system("connect", code)
        }
        var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.socket = descriptor
    }

    deinit { close(self.socket) }

    /// Sends `text`; `false` when the server had already closed the connection.
    @discardableResult
    func send(_ text: String) async throws -> Bool {
        let socket = self.socket
        return try await Self.threads.runIfActive {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBytes { buffer in
                Glibc.send(socket, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) == buffer.count
            }
        }
    }

    /// Everything the server sends until it closes the connection (`closed`), or until a read
    /// times out (`closed == false`).
    func readUntilClosed() async throws -> (text: String, closed: Bool) {
        let socket = self.socket
        return try await Self.threads.runIfActive {
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    received += chunk[..<count]
                    continue
                }
                // 0: orderly close; ECONNRESET: closed with unread input; EAGAIN: the read timed out.
                let closed = count == 0 || errno == ECONNRESET
                return (String(decoding: received, as: UTF8.self), closed)
            }
        }
    }

    /// Reads one complete response of a keep-alive exchange (head and `content-length` body).
    func readResponse() async throws -> String {
        let socket = self.socket
        return try await Self.threads.runIfActive {
            var received: [UInt8] = []
            var byte: UInt8 = 0
            while !received.ends(with: Array("\r\n\r\n".utf8)) {
                guard recv(socket, &byte, 1, 0) == 1 else { throw RawHTTPError.system("recv", errno) }
                received.append(byte)
            }
            let head = String(decoding: received, as: UTF8.self)
            let length =
                head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            var body = [UInt8](repeating: 0, count: length)
            var filled = 0
            while filled < length {
                let count = body[filled...].withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { throw RawHTTPError.system("recv", errno) }
                filled += count
            }
            return head + String(decoding: body, as: UTF8.self)
        }
    }
}

enum RawHTTPError: Error {
    case system(String, Int32)
}

extension Array where Element: Equatable {
    fileprivate func ends(with suffix: [Element]) -> Bool {
        self.count >= suffix.count && Array(self[(self.count - suffix.count)...]) == suffix
    }
}
