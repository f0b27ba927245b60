#if QUARRY_THREAD_SANITIZER
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#endif

/// Tells ThreadSanitizer what the Swift runtime leaves unsaid after a continuation resumed from
/// another thread: that the resuming thread's work happens before the awaiting task goes on.
///
/// The runtime (Swift 6.3) marks a resume as a release on the task and the task's next run as the
/// matching acquire, but only when the task had suspended first. When the resume comes before the
/// await (a thread-pool job that finished before its task reached `await`), the await continues
/// without suspending and no acquire is made, so ThreadSanitizer reports everything the job wrote
/// — SQLiteNIO's connection handle, the rows a query delivered — as a race with the task's reads.
/// Calling this after such an await makes the missing acquire. Outside the ThreadSanitizer build
/// (`scripts/test-tsan` passes `-DQUARRY_THREAD_SANITIZER`) it is empty and inlined away.
///
/// ```swift
/// defer { ThreadSanitizerResume.acquire() }
/// try await connection.query(sql, binds) { row in collector.append(row) }
/// ```
@_spi(Locking) public enum ThreadSanitizerResume {
    /// Orders everything done before the current task's last resume before what follows.
    @inlinable public static func acquire() {
        #if QUARRY_THREAD_SANITIZER
        acquireCurrentTask()
        #endif
    }
}

#if QUARRY_THREAD_SANITIZER
/// `__tsan_acquire`, looked up once; `nil` when the process runs without ThreadSanitizer.
private let tsanAcquire: (@convention(c) (UnsafeMutableRawPointer?) -> Void)? = {
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "__tsan_acquire") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self)
}()

/// The runtime releases on the task's address when it resumes a continuation
/// (`resumeTaskAfterContinuation`); acquiring on the same address pairs with it. `UnsafeCurrentTask`
/// holds exactly the task reference.
@usableFromInline func acquireCurrentTask() {
    guard let tsanAcquire else { return }
    withUnsafeCurrentTask { task in
        guard let task else { return }
        tsanAcquire(unsafeBitCast(task, to: UnsafeMutableRawPointer.self))
    }
}
#endif
