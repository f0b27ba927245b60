public import Logging
@_spi(Locking) import QuarryEngine

/// A log handler that keeps every message with its metadata, for tests that assert on logs
/// (echoed SQL, warnings, and that secrets never appear).
///
/// ```swift
/// let recorder = LogRecorder()
/// var configuration = EngineConfiguration(echo: true, logger: recorder.logger)
/// …
/// #expect(recorder.entries.contains { $0.message == "SQL" })
/// ```
public final class LogRecorder: Sendable {
    /// One log call.
    public struct Entry: Sendable {
        /// The level.
        public var level: Logger.Level
        /// The message.
        public var message: String
        /// The metadata, rendered as strings.
        public var metadata: [String: String]

        /// The message and metadata as one string, for "never contains" checks.
        public var fullText: String {
            ([self.message] + self.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(
                separator: " "
            )
        }
    }

    private let storage = Locked<[Entry]>([])

    /// Creates an empty recorder.
    public init() {}

    /// Everything logged so far.
    public var entries: [Entry] { self.storage.withLockedValue { $0 } }

    /// A logger at `level` that records into this recorder.
    public func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "quarry.test", factory: { _ in Handler(recorder: self) })
        logger.logLevel = level
        return logger
    }

    /// A handler that records into this recorder, to wrap in another handler under test.
    public func handler() -> any LogHandler { Handler(recorder: self) }

    func append(_ entry: Entry) { self.storage.withLockedValue { $0.append(entry) } }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = self.metadata
            if let extra = event.metadata { merged.merge(extra) { $1 } }
            self.recorder.append(
                Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" })
            )
        }
    }
}
