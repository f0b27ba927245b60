#if QUARRY_THREAD_SANITIZER
public import NIOConcurrencyHelpers
#else
public import Synchronization
#endif

/// A value behind a lock: Quarry's one lock type for shared state (pool state machines, session
/// state, caches). Normal builds use `Synchronization.Mutex` (a futex that spins before it parks:
/// under the contention of `/user/{id}/combined`, pthread mutexes cost 9–12 % of its throughput in
/// an A/B on the benchmark machine). The ThreadSanitizer build (`scripts/test-tsan` passes
/// `-DQUARRY_THREAD_SANITIZER`) uses a pthread mutex instead, because ThreadSanitizer cannot see
/// the standard library's prebuilt Mutex and reports every access it protects as a race.
///
/// ```swift
/// let counter = Locked(0)
/// counter.withLockedValue { $0 += 1 }
/// ```
///
/// Public as SPI (`@_spi(Locking) import QuarryEngine`) and inlinable, so a caller in another module
/// (the session, the HTTP layer) gets the lock inlined for its value type. A `package` declaration
/// is not inlined into another module (Swift 6.3 without package CMO): every lock then ran the
/// unspecialized body, looking up `Mutex<Value>`'s generic metadata and copying the value through
/// its witness table — 15 metadata lookups per `/user/{id}` request.
@_spi(Locking) public final class Locked<Value: Sendable>: Sendable {
    #if QUARRY_THREAD_SANITIZER
    @usableFromInline let box: NIOLockedValueBox<Value>

    /// A lock around `value`.
    @inlinable public init(_ value: Value) { self.box = NIOLockedValueBox(value) }

    /// Runs `body` with the value, holding the lock.
    @inlinable public func withLockedValue<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try self.box.withLockedValue(body)
    }
    #else
    @usableFromInline let mutex: Mutex<Value>

    /// A lock around `value`.
    @inlinable public init(_ value: Value) { self.mutex = Mutex(value) }

    /// Runs `body` with the value, holding the lock.
    @inlinable public func withLockedValue<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try self.mutex.withLock { value in try body(&value) }
    }
    #endif
}
