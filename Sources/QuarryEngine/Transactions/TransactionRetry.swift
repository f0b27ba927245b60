import QuarryCore

/// Runs a whole transaction again after a transient failure, with jittered exponential backoff:
/// the one retry loop behind `Engine.withTransaction(retries:)` and `Session.withTransaction(retries:)`.
package enum TransactionRetry {
    /// Runs `attempt`, and again up to `retries` more times while it fails with a transient
    /// `DatabaseError` (`DatabaseError.Code.isTransient`), pausing 2.5–7.5 ms before the first
    /// retry and doubling that (up to 256×) for each one after.
    /// - Throws: The first error that is not transient, or the last one once retries run out;
    ///   `CancellationError` when cancelled during a pause.
    package static func run<R>(retries: Int, _ attempt: () async throws -> R) async throws -> R {
        var retried = 0
        while true {
            do {
                return try await attempt()
            } catch let error as DatabaseError where retried < retries && error.isTransient {
                retried += 1
                let base = 0.005 * Double(1 << min(retried, 8))
                try await Task.sleep(for: .seconds(Double.random(in: base / 2...base * 1.5)))
            }
        }
    }
}
