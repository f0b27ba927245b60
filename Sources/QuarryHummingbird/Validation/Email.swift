import Foundation

/// An e-mail address, checked and normalised as pydantic's `EmailStr` (the email-validator
/// package) does: Unicode NFC, the domain in lower case, one `@`, no empty, dotted-twice or
/// over-long parts, a domain with a period and a non-numeric top-level label, no special-use
/// domain (`localhost`, `.test`, …), no whitespace, control, format (zero-width, soft hyphen,
/// direction override) or other unsafe characters. Two spellings of one address compare equal
/// after normalisation, so a unique column sees them as one.
///
/// ```swift
/// struct Signup: Codable { var email: Email }
/// let email = try Email("Ada@Example.COM")   // "Ada@example.com"
/// ```
public struct Email: Codable, Sendable, Hashable, CustomStringConvertible, JSONSchemaDescribing {
    /// The normalised address.
    public let address: String

    /// Checks and normalises `text`.
    /// - Throws: ``EmailAddress/Invalid`` with email-validator's message.
    public init(_ text: String) throws {
        switch EmailAddress.normalize(text) {
        case .success(let address): self.address = address
        case .failure(let reason): throw reason
        }
    }

    private init(unchecked address: String) { self.address = address }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch let invalid as EmailAddress.Invalid {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: invalid.message)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.address)
    }

    public var description: String { self.address }

    public static var jsonSchema: JSONSchema { JSONSchema(.string, format: "email") }
    public static var schemaPlaceholder: Email { Email(unchecked: "a@example.com") }
}

/// The checks behind ``Email``.
public enum EmailAddress {
    /// Why an address is not valid, in email-validator's words.
    public struct Invalid: Error, Sendable, Equatable {
        /// The message.
        public let message: String
    }

    static let specialUseDomains: Set<String> = ["arpa", "invalid", "local", "localhost", "onion", "test"]

    /// The normalised address, or why it is not one.
    public static func normalize(_ input: String) -> Result<String, Invalid> {
        let text = input.precomposedStringWithCanonicalMapping
        if let unsafe = text.unicodeScalars.first(where: Self.isUnsafe) {
            let name = unsafe.properties.name ?? String(format: "U+%04X", unsafe.value)
            let where_ = text.split(separator: "@").first.map { $0.unicodeScalars.contains(unsafe) } ?? true
            return .failure(
                Invalid(
                    message:
                        "The email address contains invalid characters \(where_ ? "before" : "after") the @-sign: \(name)."
                )
            )
        }
        guard let at = text.lastIndex(of: "@") else {
            return .failure(Invalid(message: "An email address must have an @-sign."))
        }
        let local = String(text[..<at])
        let domain = String(text[text.index(after: at)...])
        if local.isEmpty { return .failure(Invalid(message: "There must be something before the @-sign.")) }
        if domain.isEmpty { return .failure(Invalid(message: "There must be something after the @-sign.")) }
        if let problem = Self.checkLocal(local) { return .failure(problem) }
        switch Self.normalizeDomain(domain) {
        case .failure(let problem): return .failure(problem)
        case .success(let normalized):
            let address = local + "@" + normalized
            if address.utf8.count > 254 {
                return .failure(
                    Invalid(message: "The email address is too long (\(address.utf8.count - 254) characters too many).")
                )
            }
            return .success(address)
        }
    }

    /// Whitespace, controls, format characters (zero-width, soft hyphen, bidi overrides) and
    /// unassigned or private-use code points.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .spaceSeparator, .lineSeparator,
            .paragraphSeparator:
            return true
        default:
            return false
        }
    }

    /// email-validator's dot-atom rules for the part before `@`.
    static func checkLocal(_ local: String) -> Invalid? {
        if local.unicodeScalars.count > 64 {
            return Invalid(
                message:
                    "The email address is too long before the @-sign (\(local.unicodeScalars.count - 64) characters too many)."
            )
        }
        if local.hasPrefix(".") { return Invalid(message: "An email address cannot start with a period.") }
        if local.hasSuffix(".") {
            return Invalid(message: "An email address cannot have a period immediately before the @-sign.")
        }
        if local.contains("..") { return Invalid(message: "An email address cannot have two periods in a row.") }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.")
        let invalid = local.filter { $0.isASCII && !atext.contains($0) }
        if !invalid.isEmpty {
            let listed = Array(Set(invalid)).sorted().map { "'\($0)'" }.joined(separator: ", ")
            return Invalid(message: "The email address contains invalid characters before the @-sign: \(listed).")
        }
        return nil
    }

    /// The domain in lower case, or why it is not a domain that takes mail.
    static func normalizeDomain(_ domain: String) -> Result<String, Invalid> {
        let lowered = domain.lowercased()
        if lowered.hasPrefix(".") {
            return .failure(Invalid(message: "An email address cannot have a period immediately after the @-sign."))
        }
        if lowered.hasSuffix(".") { return .failure(Invalid(message: "An email address cannot end with a period.")) }
        if lowered.contains("..") {
            return .failure(Invalid(message: "An email address cannot have two periods in a row."))
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-.")
        let invalid = lowered.filter { $0.isASCII && !allowed.contains($0) }
        if !invalid.isEmpty {
            let listed = Array(Set(invalid)).sorted().map { "'\($0)'" }.joined(separator: ", ")
            return .failure(Invalid(message: "The part after the @-sign contains invalid characters: \(listed)."))
        }
        let labels = lowered.split(separator: ".")
        for label in labels {
            if label.hasPrefix("-") {
                return .failure(Invalid(message: "An email address cannot have a hyphen immediately after the @-sign."))
            }
            if label.hasSuffix("-") {
                return .failure(Invalid(message: "An email address cannot end with a hyphen."))
            }
            if label.unicodeScalars.count > 63 {
                return .failure(
                    Invalid(
                        message:
                            "After the @-sign, periods cannot be separated by so many characters (\(label.unicodeScalars.count - 63) characters too many)."
                    )
                )
            }
        }
        guard labels.count >= 2, let last = labels.last else {
            return .failure(Invalid(message: "The part after the @-sign is not valid. It should have a period."))
        }
        if last.allSatisfy(\.isNumber) {
            return .failure(
                Invalid(message: "The part after the @-sign is not valid. It is not within a valid top-level domain.")
            )
        }
        if Self.specialUseDomains.contains(String(last)) {
            return .failure(
                Invalid(
                    message:
                        "The part after the @-sign is a special-use or reserved name that cannot be used with email."
                )
            )
        }
        return .success(lowered)
    }
}
