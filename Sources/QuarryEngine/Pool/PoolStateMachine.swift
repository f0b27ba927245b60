/// The pool's bookkeeping as a pure value: every call returns what to do, and the pool does it
/// outside the lock. Testable without connections or clocks.
struct PoolStateMachine<Connection: Sendable>: Sendable {
    struct Entry: Sendable {
        var connection: Connection
        /// When the connection was opened, on the pool's clock, since the pool was created: a
        /// `Duration` rather than the clock's instant, for the reason ``MonotonicClock`` gives
        /// (every async function holding an entry or a lease would allocate room for the instant).
        var openedAt: Duration
    }

    /// What a waiting lease is handed.
    enum Handoff: Sendable {
        case connection(Entry)
        case open
    }

    typealias Waiter = CheckedContinuation<Handoff, any Error>

    enum LeaseAction {
        case use(Entry)
        case open
        case wait
        case fail(DatabaseErrorKind)
    }

    enum ReleaseAction {
        case none
        case close(Connection)
        case handOff(Waiter, Handoff)
        case closeAndGrantOpen(Connection, Waiter)
        case grantOpen(Waiter)
    }

    enum DatabaseErrorKind: Sendable { case closed }

    let size: Int
    let maxOverflow: Int
    private(set) var idle: [Entry] = []
    /// Connections handed out, or being opened for a lease.
    private(set) var leased = 0
    private var waiters: [(id: Int, continuation: Waiter)] = []
    private(set) var isClosed = false

    init(size: Int, maxOverflow: Int) {
        self.size = max(1, size)
        self.maxOverflow = max(0, maxOverflow)
    }

    var capacity: Int { self.size + self.maxOverflow }
    var waitingCount: Int { self.waiters.count }

    /// A lease that must not wait: take an idle connection, or a free slot to open one.
    mutating func lease() -> LeaseAction {
        if self.isClosed { return .fail(.closed) }
        if let entry = self.idle.popLast() {
            self.leased += 1
            return .use(entry)
        }
        if self.leased + self.idle.count < self.capacity {
            self.leased += 1
            return .open
        }
        return .wait
    }

    /// A lease that may wait: like ``lease()``, but queues `continuation` when nothing is free.
    mutating func leaseOrEnqueue(id: Int, _ continuation: Waiter) -> LeaseAction {
        let action = self.lease()
        if case .wait = action { self.waiters.append((id, continuation)) }
        return action
    }

    /// Removes a waiter that timed out or was cancelled; `nil` when it was already served.
    mutating func removeWaiter(id: Int) -> Waiter? {
        guard let index = self.waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return self.waiters.remove(at: index).continuation
    }

    /// A leased connection comes back, healthy (`entry`) or broken (`discard`).
    mutating func release(_ entry: Entry, discard: Bool) -> ReleaseAction {
        if discard || self.isClosed {
            if !self.isClosed, !self.waiters.isEmpty {
                // The slot passes to the next waiter, who opens a fresh connection.
                return .closeAndGrantOpen(entry.connection, self.waiters.removeFirst().continuation)
            }
            self.leased -= 1
            return .close(entry.connection)
        }
        if !self.waiters.isEmpty {
            return .handOff(self.waiters.removeFirst().continuation, .connection(entry))
        }
        self.leased -= 1
        if self.idle.count >= self.size {
            return .close(entry.connection)  // overflow connections are not kept
        }
        self.idle.append(entry)
        return .none
    }

    /// Opening a connection for a lease failed: its slot is freed (or passed to the next waiter).
    mutating func openFailed() -> ReleaseAction {
        if !self.isClosed, !self.waiters.isEmpty {
            return .grantOpen(self.waiters.removeFirst().continuation)
        }
        self.leased -= 1
        return .none
    }

    /// Closes the pool: returns the idle connections to close and the waiters to fail.
    mutating func close() -> (idle: [Connection], waiters: [Waiter]) {
        self.isClosed = true
        let idle = self.idle.map(\.connection)
        self.idle.removeAll()
        let waiters = self.waiters.map(\.continuation)
        self.waiters.removeAll()
        return (idle, waiters)
    }
}
