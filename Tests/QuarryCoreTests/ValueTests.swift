import Foundation
import QuarryCore
import QuarryNaming
import Testing

@Suite("Values and the @Table expansion")
struct ValueTests {
    @Test func rowsDecodeKeysByTheColumnNamingRuleOfTable() throws {
        struct Line: Decodable, Equatable {
            var userID: Int64
            var createdAt: String
            var urlString: String
        }
        #expect(ColumnNaming.snakeCase("userID") == "user_id")
        #expect(ColumnNaming.snakeCase("URLString") == "url_string")
        #expect(ColumnNaming.snakeCase("createdAt") == "created_at")
        let row = Row(
            values: [.integer(7), .text("today"), .text("u")],
            columns: ColumnNames(["user_id", "created_at", "url_string"])
        )
        #expect(try row.decode(as: Line.self) == Line(userID: 7, createdAt: "today", urlString: "u"))
    }

    @Test(arguments: [
        (0.0, "1970-01-01 00:00:00.000000"),
        (1_700_000_000.123456, "2023-11-14 22:13:20.123456"),
        (-1.5, "1969-12-31 23:59:58.500000"),
        (-2_208_988_800.000001, "1899-12-31 23:59:59.999999"),
    ])
    func timestampTextRoundTrips(seconds: Double, text: String) throws {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(TimestampFormat.format(date) == text)
        let parsed = try #require(TimestampFormat.parse(text))
        #expect(parsed == date.roundedToMicroseconds)
        #expect(TimestampFormat.parse(text + "Z") == parsed)
        #expect(TimestampFormat.parse(text.replacingOccurrences(of: " ", with: "T") + "+00:00") == parsed)
    }

    @Test func iso8601IsPydantics() {
        #expect(
            TimestampFormat.iso8601(Date(timeIntervalSince1970: 1_704_070_800.007920)) == "2024-01-01T01:00:00.007920Z"
        )
        #expect(TimestampFormat.iso8601(Date(timeIntervalSince1970: 1_704_070_800)) == "2024-01-01T01:00:00Z")
        #expect(TimestampFormat.iso8601(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500000Z")
    }

    @Test func yearsOutsideFourDigitsKeepAllTheirDigits() {
        #expect(TimestampFormat.iso8601(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
        #expect(TimestampFormat.format(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01 00:00:00.000000")
        #expect(
            TimestampFormat.iso8601(Date(timeIntervalSince1970: 253_402_300_800.5)) == "10000-01-01T00:00:00.500000Z"
        )
    }

    @Test func offsetsAndBareDatesAsSQLiteStoresThem() {
        let noon = Date(timeIntervalSince1970: 1_704_110_400)  // 2024-01-01 12:00:00 UTC
        #expect(TimestampFormat.parse("2024-01-01 14:00:00+02:00") == noon)
        #expect(TimestampFormat.parse("2024-01-01T07:30:00.000-04:30") == noon)
        #expect(TimestampFormat.parse("2024-01-01 12:00:00+25:00") == nil)
        // A DATE column's text reads into a Date as midnight UTC.
        #expect(Date.fromDatabaseValue(.text("2024-01-01")) == Date(timeIntervalSince1970: 1_704_067_200))
        #expect(Date.fromDatabaseValue(.text("2024-02-30")) == nil)
    }

    @Test func timestampRejectsGarbage() {
        #expect(TimestampFormat.parse("2024-13-01 00:00:00") == nil)
        #expect(TimestampFormat.parse("not a date") == nil)
        #expect(TimestampFormat.parse("2024-01-01 00:00:00.") == nil)
    }

    @Test func schemaFromMacro() {
        let columns = Post.schema.columns
        #expect(Post.schema.name == "posts")
        #expect(columns.map(\.name) == ["id", "user_id", "title", "body", "rating"])
        #expect(columns[0].isPrimaryKey && columns[0].isAutoIncrement)
        #expect(columns[1].isIndexed && columns[1].foreignKey?.target == .init(table: "users", column: "id"))
        #expect(columns[4].isNullable && !columns[2].isNullable)
        #expect(User.schema.column(named: "email")?.isUnique == true)
        #expect(Profile.schema.columns.map(\.name) == ["id", "settings", "is_active", "avatar_url"])
        #expect(!Profile.schema.columns[0].isAutoIncrement)
        #expect(Post.columnIndex(for: \Post.title) == 2)
        #expect(Post.columnIndex(for: \Post.score) == 4)
    }

    @Test func rowDecodingByIndex() throws {
        let row = Row(
            values: [.integer(1), .integer(2), .text("t"), .text("b"), .null],
            columns: ColumnNames(["id", "user_id", "title", "body", "rating"])
        )
        let post = try Post(row: row)
        #expect(post == Post(id: 1, userId: 2, title: "t", body: "b", score: nil))
        #expect(post.databaseValues == [.integer(1), .integer(2), .text("t"), .text("b"), .null])
    }

    @Test func rowDecodingMismatchNamesTheColumn() {
        let row = Row(
            values: [.integer(1), .text("oops"), .text("t"), .text("b"), .null],
            columns: ColumnNames(["id", "user_id", "title", "body", "rating"])
        )
        do {
            _ = try Post(row: row)
            Issue.record("decoding should fail")
        } catch let error as DatabaseError {
            #expect(error.code == .typeMismatch)
            #expect(error.message.contains("user_id"))
            #expect(!error.description.contains("oops"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func jsonColumnRoundTrip() throws {
        let value = JSONColumn(Settings(theme: "dark"))
        let stored = value.databaseValue
        #expect(stored == .json(Data(#"{"theme":"dark"}"#.utf8)))
        #expect(JSONColumn<Settings>.fromDatabaseValue(.text(#"{"theme":"dark"}"#)) == value)
    }

    @Test func errorDescriptionHidesValues() {
        var error = DatabaseError(.uniqueViolation, message: "duplicate key", sql: "INSERT … VALUES ($1)", bindCount: 1)
        error.constraintName = "users_email_key"
        #expect(error.description.contains("users_email_key"))
        #expect(error.description.contains("$1"))
        #expect(DatabaseError.uniqueViolation ~= error)
        #expect(!(DatabaseError.noResult ~= error))
    }
}
