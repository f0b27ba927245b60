#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What one HTTP/1 server lets its clients hold: how long a connection may sit idle (or dribble a
/// request head a byte at a time), and how many connections may be open at once.
///
/// Defaults follow uvicorn and nginx: a keep-alive connection idle for 5 s is closed, a client
/// that has not sent a complete request head within that time is closed too (slowloris), and
/// connections beyond the cap are answered `503` and closed at once instead of queueing in the
/// kernel until descriptors run out.
///
/// ```swift
/// var limits = HTTPServerLimits()
/// limits.idleTimeout = .seconds(10)
/// limits.maxConnections = 2_000
/// let server: HTTPServerBuilder = .quarryHTTP1(limits: limits)
/// ```
public struct HTTPServerLimits: Sendable, Hashable {
    /// How long a connection may go without a complete request part (head, body chunk or end)
    /// while no request of it is running. Covers idle keep-alive connections and request heads
    /// sent too slowly.
    public var idleTimeout: Duration
    /// Connections open at once; the next one gets a `503` and is closed.
    public var maxConnections: Int

    /// Creates limits; `maxConnections` defaults to ``defaultMaxConnections``.
    public init(idleTimeout: Duration = .seconds(5), maxConnections: Int = Self.defaultMaxConnections) {
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    /// Three quarters of the process's open-file limit (at least 16, at most 65,536), so database
    /// connections, log files and the listening socket keep descriptors when clients take the rest.
    public static var defaultMaxConnections: Int {
        var limit = rlimit()
        #if os(Linux)
        let status = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
        let status = getrlimit(RLIMIT_NOFILE, &limit)
        #endif
        guard status == 0 else { return 1_024 }
        // RLIM_INFINITY is all ones; clamping makes it (and any huge limit) Int.max.
        let soft = Int(clamping: limit.rlim_cur)
        return min(65_536, max(16, soft / 4 * 3))
    }
}
