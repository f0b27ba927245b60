import Foundation
import QuarryHummingbird
import Testing

struct Signup: Codable, Sendable, Validatable {
    var name: String
    var email: Email
    var age: Int?
    static let constraints: [String: Constraint] = [
        "name": .length(1...5).pattern("^[^\\x00]*$"),
        "age": .range(0...150),
    ]
}

@Suite("Request validation")
struct ValidationTests {
    func issues(_ json: String, _ type: Any.Type = Signup.self) throws -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        _ = RequestValidator.validate(
            try JSONValue.parse(Data(json.utf8)),
            against: JSONSchema.reflecting(type),
            at: [.string("body")],
            issues: &issues
        )
        return issues
    }

    @Test func everyProblemIsReportedAtOnceInFieldOrder() throws {
        let found = try self.issues(#"{"email":"nope","age":"x"}"#)
        #expect(found.map(\.type) == ["missing", "value_error", "int_parsing"])
        #expect(
            found.map(\.loc) == [
                [.string("body"), .string("name")], [.string("body"), .string("email")],
                [.string("body"), .string("age")],
            ]
        )
        #expect(found[0].msg == "Field required")
        #expect(found[1].msg == "value is not a valid email address: An email address must have an @-sign.")
        #expect(
            found[0].json.serialized()
                == #"{"type":"missing","loc":["body","name"],"msg":"Field required","input":{"email":"nope","age":"x"}}"#
        )
    }

    /// pydantic counts code points: a letter with combining marks is several characters.
    @Test func lengthsCountUnicodeCodePointsNotGraphemes() throws {
        let combining = "a" + String(repeating: "\u{0301}", count: 5)  // one grapheme, six code points
        let found = try self.issues(#"{"name":"\#(combining)","email":"a@example.com"}"#)
        #expect(found.map(\.type) == ["string_too_long"])
        #expect(found.first?.ctx == .object([("max_length", .int(5))]))
        #expect(found.first?.msg == "String should have at most 5 characters")
        #expect(try self.issues(#"{"name":"🚀🚀","email":"a@example.com"}"#).isEmpty)
    }

    @Test func boundsPatternsAndTypes() throws {
        #expect(
            try self.issues(#"{"name":"","email":"a@example.com"}"#).map(\.msg) == [
                "String should have at least 1 character"
            ]
        )
        #expect(
            try self.issues(#"{"name":"a\u0000b","email":"a@example.com"}"#).map(\.type) == ["string_pattern_mismatch"]
        )
        let tooOld = try self.issues(#"{"name":"ab","email":"a@example.com","age":151}"#)
        #expect(tooOld.map(\.msg) == ["Input should be less than or equal to 150"])
        #expect(tooOld.first?.ctx == .object([("le", .int(150))]))
        #expect(
            try self.issues(#"{"name":5,"email":"a@example.com","age":1.5}"#).map(\.type) == [
                "string_type", "int_from_float",
            ]
        )
        #expect(try self.issues(#"{"name":"ab","email":"a@example.com","age":null}"#).isEmpty)
        #expect(try self.issues(#"[1]"#).map(\.type) == ["model_type"])
    }

    @Test(
        arguments: [
            ("Ada@EXAMPLE.com", "Ada@example.com"), ("ada@Example.Com", "ada@example.com"),
            ("e\u{0301}@example.com", "\u{00E9}@example.com"),
        ]
    )
    func emailsAreNormalised(_ input: String, _ expected: String) throws {
        #expect(try Email(input).address == expected)
    }

    @Test(
        arguments: [
            "a..b@example.com", "ada@ex..ample.com", ".a@example.com", "a.@example.com", "ada@example.123",
            "ada@localhost", "ada@example.test", "a\u{200B}da@example.com", "ada@exa\u{00AD}mple.com",
            "a\u{202E}da@example.com",
            "ada\u{0007}@example.com", String(repeating: "a", count: 65) + "@example.com", "ada example@example.com",
            "ada@-example.com", "ada@example", "@example.com", "ada@",
        ]
    )
    func invalidEmailsAreRefused(_ input: String) {
        #expect(throws: EmailAddress.Invalid.self) { try Email(input) }
    }
}
