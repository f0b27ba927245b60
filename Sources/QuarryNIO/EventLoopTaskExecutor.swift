package import NIOCore

/// Runs a task's jobs on one NIO event loop, for `withTaskExecutorPreference`.
///
/// The PostgreSQL driver writes each request on its connection's event loop with it: code inside
/// the preference — Quarry's and the nonisolated async PostgresNIO calls it makes — runs on the
/// loop, where the channel's state cannot change under it. That makes "is the connection still
/// open?" and PostgresNIO's write of the request one step: PostgresNIO writes requests with no
/// promise, so a request written just after the server closed the channel would otherwise be
/// dropped and its caller would wait forever.
///
/// ```swift
/// let executor = EventLoopTaskExecutor(channel.eventLoop)
/// try await withTaskExecutorPreference(executor) {
///     // runs on channel.eventLoop
/// }
/// ```
package final class EventLoopTaskExecutor: TaskExecutor {
    package let eventLoop: any EventLoop

    package init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
