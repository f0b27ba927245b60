import Foundation
import QuarryHummingbird
import Testing

/// Responses are written straight into a `ByteBuffer`, as FastAPI writes them
/// (`json.dumps(…, ensure_ascii=False, separators=(",", ":"))`).
@Suite("JSON writing")
struct JSONWritingTests {
    @Test func stringsAreEscapedAsPythonEscapesThem() {
        let text =
            "quote \" backslash \\ newline \n tab \t return \r bell \u{07} backspace \u{08} formfeed \u{0C} nul \u{00} unit \u{1F}"
        #expect(
            JSONValue.string(text).serialized()
                == #""quote \" backslash \\ newline \n tab \t return \r bell \u0007 backspace \b formfeed \f nul \u0000 unit \u001f""#
        )
    }

    @Test func nonASCIITextIsWrittenAsIs() {
        #expect(JSONValue.string("café – 東京 🚀").serialized() == "\"café – 東京 🚀\"")
        #expect(JSONValue.string("").serialized() == "\"\"")
    }

    @Test(arguments: [Int64.min, -1, 0, 7, 10, 1_234_567_890, Int64.max])
    func integersAreWrittenInDecimal(_ value: Int64) {
        #expect(JSONValue.int(value).serialized() == String(value))
    }

    @Test func objectsKeepTheirKeyOrderAndParseBack() throws {
        let value = JSONValue.object([
            ("z", .int(-5)), ("a", .array([.null, .bool(true), .double(1.5), .string("x\"y")])), ("m", .object([])),
        ])
        let text = value.serialized()
        #expect(text == #"{"z":-5,"a":[null,true,1.5,"x\"y"],"m":{}}"#)
        #expect(try JSONValue.parse(Data(text.utf8)) == value)
    }
}
