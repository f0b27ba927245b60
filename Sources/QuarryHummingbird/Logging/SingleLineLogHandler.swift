public import Logging

/// Wraps a line-oriented log handler (`StreamLogHandler`, a file, syslog) so that no logged value
/// can start a new line: line breaks and other control characters in the message and in every
/// metadata value are written as escapes (`\n`, `\r`, `\t`, `\u{1B}`). A client-chosen name with
/// a newline in it cannot forge a log line. A logged error is written as the metadata values
/// `error.message` and `error.type`, escaped too.
///
/// ```swift
/// LoggingSystem.bootstrap { label in SingleLineLogHandler(StreamLogHandler.standardError(label: label)) }
/// ```
public struct SingleLineLogHandler: LogHandler {
    /// The handler that writes the escaped event. It is given every value of ``metadata`` (and
    /// of its metadata provider's) as the event's own, escaped; its own metadata stays empty.
    public var base: any LogHandler

    /// The handler's metadata. Kept here, not in `base`: a server sets a value on each request's
    /// logger (Hummingbird's request id), and setting it in `base` copied the wrapped handler and
    /// had a `StreamLogHandler` render all its metadata again, for a line that is rarely logged.
    public var metadata: Logger.Metadata

    /// Wraps `base`, taking over the metadata it has.
    public init(_ base: any LogHandler) {
        var base = base
        self.metadata = base.metadata
        base.metadata = [:]
        self.base = base
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { self.base.metadataProvider }
        set { self.base.metadataProvider = newValue }
    }

    public var logLevel: Logger.Level {
        get { self.base.logLevel }
        set { self.base.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: Self.escaped(event.message.description))
        // Merged as `StreamLogHandler` merges them: the event's values over the provider's over
        // the handler's.
        var metadata = self.metadata
        var base = self.base
        if let provider = base.metadataProvider {
            metadata.merge(provider.get()) { _, provided in provided }
            base.metadataProvider = nil
        }
        if let explicit = event.metadata { metadata.merge(explicit) { _, explicit in explicit } }
        // A logged error becomes the two values `StreamLogHandler` writes for it, escaped: its
        // description can carry client input (a value that did not decode).
        if let error = event.error {
            metadata["error.message"] = "\(error)"
            metadata["error.type"] = "\(String(reflecting: type(of: error)))"
            event.error = nil
        }
        event.metadata = metadata.isEmpty ? nil : Self.escaped(metadata)
        base.log(event: event)
    }

    static func escaped(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.mapValues(Self.escaped)
    }

    static func escaped(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(Self.escaped(text))
        case .stringConvertible(let convertible): .string(Self.escaped(convertible.description))
        case .array(let values): .array(values.map(Self.escaped))
        case .dictionary(let values): .dictionary(values.mapValues(Self.escaped))
        }
    }

    /// `text` with every control character (C0, DEL, C1, and the Unicode line and paragraph
    /// separators) replaced by a Swift-style escape.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: Self.needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard Self.needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
