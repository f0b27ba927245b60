import Foundation
import QuarryHummingbird
import Testing

@Suite("JSON parsing")
struct JSONParsingTests {
    /// Regression: a duplicate-key check that scanned every earlier key made 90,000 distinct keys
    /// take 22.5 s of CPU. The bound is on how parsing time grows, not on a wall-clock budget a busy
    /// machine can miss: eight times the keys take about eight times as long when parsing is linear
    /// and sixty-four times as long when it is quadratic. Each size keeps its fastest of five runs,
    /// so a pause of the machine during one run does not count.
    @Test func manyDistinctKeysParseInLinearTime() throws {
        func object(_ keys: Int) -> Data {
            var text = "{"
            for i in 0..<keys { text += (i == 0 ? "" : ",") + "\"k\(i)\":\(i)" }
            return Data((text + "}").utf8)
        }
        func fastestParse(_ data: Data, keys: Int) throws -> Duration {
            var fastest = Duration.seconds(3600)
            for _ in 0..<5 {
                let start = ContinuousClock.now
                let value = try JSONValue.parse(data)
                fastest = min(fastest, start.duration(to: .now))
                guard case .object(let pairs) = value else {
                    Issue.record("not an object")
                    return fastest
                }
                #expect(pairs.count == keys)
                #expect(pairs[keys - 1] == ("k\(keys - 1)", .int(Int64(keys - 1))))
            }
            return fastest
        }
        // The bound leaves a loaded machine (the suite also runs beside PgBouncer and PostgreSQL) a
        // factor of three of noise while still failing anything quadratic.
        let small = try fastestParse(object(10_000), keys: 10_000)
        let large = try fastestParse(object(80_000), keys: 80_000)
        let growth = large / small
        #expect(growth < 24, "8x the keys took \(growth)x as long (\(small) for 10,000, \(large) for 80,000)")
    }

    @Test(arguments: [4, 40, 1_000])
    func aRepeatedKeyKeepsItsPlaceAndTakesTheLastValue(_ keys: Int) throws {
        let members = (0..<keys).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let value = try JSONValue.parse(Data("{\(members),\"k1\":\"last\"}".utf8))
        guard case .object(let pairs) = value else { return }
        #expect(pairs.count == keys)
        #expect(pairs[1].0 == "k1" && pairs[1].1 == .string("last"))
        // A key repeated among the later ones (checked once the object is complete) too.
        let late = try JSONValue.parse(Data("{\(members),\"k\(keys - 1)\":\"late\",\"new\":1}".utf8))
        guard case .object(let latePairs) = late else { return }
        #expect(latePairs.count == keys + 1)
        #expect(latePairs[keys - 1].0 == "k\(keys - 1)" && latePairs[keys - 1].1 == .string("late"))
        #expect(latePairs[keys].0 == "new")
    }

    /// RFC 8259 numbers; what follows a number that ends early is reported as Python's `json`
    /// module reports it, with the same position (FastAPI echoes both in its 422).
    @Test(
        arguments: [
            ("01", 1, "Extra data"), (#"{"a":01}"#, 6, "Expecting ',' delimiter"),
            (#"{"a":1.}"#, 6, "Expecting ',' delimiter"), (".5", 0, "Expecting value"), ("-", 0, "Expecting value"),
            ("+1", 0, "Expecting value"), (#"{"a":1,}"#, 7, "Expecting property name enclosed in double quotes"),
            ("[1,]", 3, "Expecting value"), (#"{"a" 1}"#, 5, "Expecting ':' delimiter"),
            (#""abc"#, 0, "Unterminated string starting at"), ("", 0, "Expecting value"),
            (#"{"a":tru}"#, 5, "Expecting value"),
        ]
    )
    func malformedInputIsReportedAsPythonReportsIt(_ text: String, _ offset: Int, _ reason: String) {
        #expect {
            try JSONValue.parse(Data(text.utf8))
        } throws: { error in
            let parse = error as? JSONParseError
            return parse?.offset == offset && parse?.reason == reason
        }
    }

    @Test func numbersAndAByteOrderMark() throws {
        #expect(try JSONValue.parse(Data([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))) == .array([.int(1)]))
        #expect(
            try JSONValue.parse(Data("[0,-0,1.5e3,2E-2,-7,9223372036854775808]".utf8))
                == .array([
                    .int(0), .int(0), .double(1500), .double(0.02), .int(-7), .double(9_223_372_036_854_775_808),
                ])
        )
    }
}
