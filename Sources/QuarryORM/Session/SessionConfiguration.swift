public import Logging

/// How a ``Session`` behaves.
///
/// ```swift
/// let session = Session(engine, configuration: .init(repeatedStatementWarningThreshold: 5, logger: logger))
/// ```
public struct SessionConfiguration: Sendable {
    /// When one session runs the same `SELECT` text more than this many times, it logs one warning
    /// (the N+1 pattern) suggesting `including(all:)`. `nil` turns the check off.
    public var repeatedStatementWarningThreshold: Int?
    /// Where statements and warnings are logged; `nil` uses the engine's logger.
    public var logger: Logger?

    /// Creates a configuration.
    public init(repeatedStatementWarningThreshold: Int? = 10, logger: Logger? = nil) {
        self.repeatedStatementWarningThreshold = repeatedStatementWarningThreshold
        self.logger = logger
    }
}
