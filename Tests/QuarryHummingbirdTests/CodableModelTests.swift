import Foundation
import NIOCore
import Quarry
import QuarryHummingbird
import Testing

@Table("articles")
struct Article: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var title: String
    var viewCount: Int64 = 0
    var createdAt: Date = Date(timeIntervalSince1970: 0)
    var publishedAt: Date?
}

/// A model that declares its own keys keeps them.
@Table("notes")
struct Note: Sendable, Codable {
    @Column(.primaryKey) var id: Int64
    var noteText: String
    enum CodingKeys: String, CodingKey {
        case id
        case noteText = "text"
    }
}

@Suite("@Table models are Codable")
struct CodableModelTests {
    @Test func encodesColumnNamesInDeclarationOrderWithPydanticTimestamps() throws {
        let article = Article(
            id: 7,
            title: "Hello",
            viewCount: 3,
            createdAt: Date(timeIntervalSince1970: 1_704_070_800.00792),
            publishedAt: nil
        )
        let text = String(buffer: try JSONBodyEncoder().encode(article))
        #expect(
            text
                == #"{"id":7,"title":"Hello","view_count":3,"created_at":"2024-01-01T01:00:00.007920Z","published_at":null}"#
        )
    }

    /// Models are written from their generated column list; the bytes equal their `Codable`
    /// form's, alone, in arrays and inside other values.
    @Test func theColumnWriterAndCodableWriteTheSameBytes() throws {
        struct ViaCodable<Value: Encodable>: Encodable {
            let value: Value
            func encode(to encoder: any Encoder) throws { try self.value.encode(to: encoder) }
        }
        struct Page: Encodable {
            let articles: [Article]
            let first: Article?
        }
        let articles = [
            Article(id: 1, title: "a \"quoted\" \n title", viewCount: -3, createdAt: Date(timeIntervalSince1970: 1.5)),
            Article(id: nil, title: "東京", publishedAt: Date(timeIntervalSince1970: 1_704_070_800.00792)),
        ]
        let encoder = JSONBodyEncoder()
        for article in articles {
            #expect(
                String(buffer: try encoder.encode(article))
                    == String(buffer: try encoder.encode(ViaCodable(value: article)))
            )
        }
        let page = Page(articles: articles, first: articles[0])
        let text = String(buffer: try encoder.encode(page))
        #expect(text.hasPrefix(#"{"articles":[{"id":1,"title":"a \"quoted\" \n title","view_count":-3,"#))
        #expect(try JSONValue.parse(Data(text.utf8)) == JSONValue(encoding: page))
    }

    @Test func decodesWithDefaultsForMissingKeysAndRoundTrips() throws {
        let decoded = try JSONValueDecoder().decode(Article.self, from: JSONValue.parse(Data(#"{"title":"x"}"#.utf8)))
        #expect(decoded == Article(id: nil, title: "x"))
        let full = Article(
            id: 1,
            title: "t",
            viewCount: 9,
            createdAt: Date(timeIntervalSince1970: 86_400.5),
            publishedAt: .now
        )
        let back = try JSONValueDecoder().decode(Article.self, from: JSONValue(encoding: full))
        #expect(back.id == 1 && back.viewCount == 9 && back.createdAt == full.createdAt)
        #expect(abs(back.publishedAt!.timeIntervalSince(full.publishedAt!)) < 0.000_001)
    }

    @Test func foundationCodersUseTheSameKeys() throws {
        let data = try JSONEncoder().encode(Article(id: 2, title: "t"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["id", "title", "view_count", "created_at", "published_at"])
        #expect(try JSONDecoder().decode(Article.self, from: data).title == "t")
    }

    @Test func aMissingRequiredKeyIsADecodingError() {
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Article.self, from: .object([("id", .int(1))]))
        }
    }

    @Test func ownCodingKeysAreKept() throws {
        #expect(String(buffer: try JSONBodyEncoder().encode(Note(id: 1, noteText: "n"))) == #"{"id":1,"text":"n"}"#)
    }

    @Test func theSchemaOfAModelListsItsColumns() {
        let schema = JSONSchema.reflecting(Article.self)
        #expect(schema.title == "Article")
        #expect(schema.properties.map(\.name) == ["id", "title", "view_count", "created_at", "published_at"])
        #expect(schema.properties.map(\.isRequired) == [false, true, true, true, false])
        #expect(schema.properties[3].schema.format == "date-time")
        #expect(schema.properties[4].schema.isNullable)
    }
}
