public import Foundation

/// Runs a call that blocks its thread (waiting for a child process, reading a pipe) on a thread of
/// its own, so that the awaiting task's cooperative thread stays free.
///
/// Swift's cooperative pool has one thread per core: on a two-core machine two tests blocked in
/// `waitUntilExit()` (a `psql` load of Chinook takes seconds) stalled every other test's tasks — a
/// live HTTP server's handlers among them — long enough for its clients' reads to time out. NIO's
/// shared thread pool is no place for it either: the SQLite driver's queries run there.
///
/// ```swift
/// let status = try await BlockingWork.run {
///     try process.run()
///     process.waitUntilExit()
///     return process.terminationStatus
/// }
/// ```
public enum BlockingWork {
    /// Runs `work` on a new thread and returns what it returns (or throws what it throws).
    public static func run<Value: Sendable>(
        _ work: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result(catching: work)) }
            thread.start()
        }
    }

    /// Reads `output` to its end, then waits for `process` to exit, on a thread of its own; returns
    /// the exit status and what was read. Reading first means a child that writes more than a pipe
    /// holds never blocks on it.
    ///
    /// ```swift
    /// let output = Pipe()
    /// process.standardOutput = output
    /// try process.run()
    /// let (status, text) = try await BlockingWork.finish(process, reading: output)
    /// ```
    public static func finish(_ process: Process, reading output: Pipe) async throws -> (status: Int32, output: String)
    {
        let reader = output.fileHandleForReading
        return try await self.run {
            let text = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
    }
}
