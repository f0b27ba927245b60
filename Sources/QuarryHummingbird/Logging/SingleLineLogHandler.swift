public import Logging

/// Wraps a line-oriented log handler (`StreamLogHandler`, a file, syslog) so that no logged value
/// can start a new line: line breaks and other control characters in the message and in every
/// metadata value are written as escapes (`\n`, `\r`, `\t`, `\u{1B}`). A client-chosen name with
/// a newline in it cannot forge a log line.
///
/// ```swift
/// LoggingSystem.bootstrap { label in SingleLineLogHandler(StreamLogHandler.standardError(label: label)) }
/// ```
public struct SingleLineLogHandler: LogHandler {
    /// The handler that writes the escaped event.
    public var base: any LogHandler

    /// Wraps `base`.
    public init(_ base: any LogHandler) { self.base = base }

    public var metadataProvider: Logger.MetadataProvider? {
        get { self.base.metadataProvider }
        set { self.base.metadataProvider = newValue }
    }

    public var metadata: Logger.Metadata {
        get { self.base.metadata }
        set { self.base.metadata = newValue }
    }

    public var logLevel: Logger.Level {
        get { self.base.logLevel }
        set { self.base.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.base[metadataKey: key] }
        set { self.base[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: Self.escaped(event.message.description))
        event.metadata = event.metadata.map(Self.escaped)
        // The handler's own and the provider's metadata are merged by `base`: escape them too.
        var base = self.base
        if !base.metadata.isEmpty { base.metadata = Self.escaped(base.metadata) }
        if let provider = base.metadataProvider {
            base.metadataProvider = Logger.MetadataProvider { Self.escaped(provider.get()) }
        }
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
