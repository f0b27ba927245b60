import Foundation
import QuarryCore
@_spi(Locking) import QuarryEngine
import SQLiteNIO

/// A bounded hand-off from a thread-pool thread running an SQLite statement to the async task
/// reading its rows. The producer blocks (on its thread-pool thread) while the buffer is full; the
/// consumer suspends while it is empty.
///
/// `@unchecked Sendable`: every stored property is read and written only while `condition` is
/// locked.
final class BlockingRowChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var buffer: [Row] = []
    private var head = 0
    private var finished = false
    private var failure: DatabaseError?
    private var isCancelled = false
    private var waiter: CheckedContinuation<Row?, any Error>?
    private var columnNames: ColumnNames?

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The shared column names, made from the first row.
    func columns(for row: SQLiteRow) -> ColumnNames {
        self.condition.lock()
        defer { self.condition.unlock() }
        if let names = self.columnNames { return names }
        let names = ColumnNames(row.columns.map(\.name))
        self.columnNames = names
        return names
    }

    /// Called on the producer's thread: waits while the buffer is full.
    func push(_ row: Row) {
        self.condition.lock()
        while self.buffer.count - self.head >= self.capacity && !self.isCancelled {
            self.condition.wait()
        }
        if self.isCancelled {
            self.condition.unlock()
            return
        }
        if let waiter = self.waiter {
            self.waiter = nil
            self.condition.unlock()
            waiter.resume(returning: row)
            return
        }
        self.buffer.append(row)
        self.condition.unlock()
    }

    /// The producer is done; `failure` ends the stream with an error.
    func finish(_ failure: DatabaseError?) {
        self.condition.lock()
        self.finished = true
        self.failure = failure
        let waiter = self.waiter
        self.waiter = nil
        self.condition.unlock()
        if let waiter {
            if let failure { waiter.resume(throwing: failure) } else { waiter.resume(returning: nil) }
        }
    }

    /// The consumer stops reading: the producer drops the remaining rows without blocking.
    func cancel() {
        self.condition.lock()
        self.isCancelled = true
        self.buffer.removeAll()
        self.head = 0
        self.condition.broadcast()
        self.condition.unlock()
    }

    /// Called by the consumer task.
    func next() async throws -> Row? {
        // The producer's row, handed over by the resume.
        defer { ThreadSanitizerResume.acquire() }
        return try await withCheckedThrowingContinuation { continuation in
            self.condition.lock()
            if self.head < self.buffer.count {
                let row = self.buffer[self.head]
                self.head += 1
                if self.head > 1024 && self.head * 2 > self.buffer.count {
                    self.buffer.removeFirst(self.head)
                    self.head = 0
                }
                self.condition.signal()
                self.condition.unlock()
                continuation.resume(returning: row)
            } else if self.finished {
                let failure = self.failure
                self.condition.unlock()
                if let failure { continuation.resume(throwing: failure) } else { continuation.resume(returning: nil) }
            } else {
                self.waiter = continuation
                self.condition.unlock()
            }
        }
    }
}
