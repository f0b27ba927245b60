import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Quarry
import QuarryHummingbird
import Testing

struct Item: Codable, Sendable, RouteOutput, Validatable {
    var id: Int64
    var title: String
    var tags: [String]
    static let constraints: [String: Constraint] = ["title": .length(1...10)]
}

struct ItemQuery: Codable, Sendable, Validatable {
    var itemID: Int64
    var limit: Int
    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case limit
    }
    static let constraints: [String: Constraint] = ["limit": .range(1...100).default(20)]
}

struct NewItem: Codable, Sendable { var body: Item }

struct Booking: Codable, Sendable, RouteOutput {
    var day: CalendarDate
    var opens: TimeOfDay
    var stay: Interval
    var nights: [Int32]
}

struct NewBooking: Codable, Sendable { var body: Booking }

@Suite("Typed routes")
struct TypedRoutesTests {
    static func application() -> some ApplicationProtocol {
        var routes = APIRoutes(Router())
        routes.get("/items/{item_id}", summary: "Read", input: ItemQuery.self, errors: [.notFound]) { request, _ in
            guard request.input.itemID != 404 else { throw DetailError(.notFound, "Item not found") }
            return Item(id: request.input.itemID, title: "n\(request.input.limit)", tags: [])
        }
        routes.post("/items", summary: "Create", input: NewItem.self) { request, _ in request.input.body }
        routes.delete("/items/{item_id}", summary: "Delete", input: ItemQuery.self) { _, _ in NoContent() }
        routes.post("/bookings", summary: "Book", input: NewBooking.self) { request, _ in request.input.body }
        routes.addDocumentation(title: "Items", version: "1.0.0")
        return Application(router: routes.router)
    }

    @Test(arguments: [TestingSetup.router, .live])
    func inputsAreDecodedAndOutputsEncoded(_ setup: TestingSetup) async throws {
        try await Self.application().test(setup) { client in
            let read = try await client.execute(uri: "/items/%37?limit=1&limit=5", method: .get)
            #expect(read.status == .ok)
            #expect(String(buffer: read.body) == #"{"id":7,"title":"n5","tags":[]}"#)
            #expect(read.headers[.contentType] == "application/json")

            let created = try await client.execute(
                uri: "/items",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"id":1,"title":"t","tags":["a"]}"#)
            )
            #expect(created.status == .created)
            #expect(String(buffer: created.body) == #"{"id":1,"title":"t","tags":["a"]}"#)

            let deleted = try await client.execute(uri: "/items/3", method: .delete)
            #expect(deleted.status == .noContent && deleted.body.readableBytes == 0)
            let missing = try await client.execute(uri: "/items/404", method: .get)
            #expect(missing.status == .notFound && String(buffer: missing.body) == #"{"detail":"Item not found"}"#)
        }
    }

    /// The body of a response that must be a 422.
    static func detail(
        _ client: some TestClientProtocol,
        _ uri: String,
        _ method: HTTPRequest.Method = .get,
        type: String? = "application/json",
        body: String? = nil
    ) async throws -> String {
        var headers: HTTPFields = [:]
        if let type { headers[.contentType] = type }
        let response = try await client.execute(
            uri: uri,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        )
        #expect(response.status == .unprocessableContent)
        return String(buffer: response.body)
    }

    @Test func badInputGetsFastAPIs422() async throws {
        try await Self.application().test(.router) { client in
            let pathAndQuery = try await Self.detail(client, "/items/abc?limit=0")
            #expect(
                pathAndQuery
                    == #"{"detail":[{"type":"int_parsing","loc":["path","item_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"},{"type":"greater_than_equal","loc":["query","limit"],"msg":"Input should be greater than or equal to 1","input":"0","ctx":{"ge":1}}]}"#
            )
            let fields = try await Self.detail(client, "/items", .post, body: #"{"id":"x","title":"","tags":"a"}"#)
            #expect(
                fields
                    == #"{"detail":[{"type":"int_parsing","loc":["body","id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"},{"type":"string_too_short","loc":["body","title"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}},{"type":"list_type","loc":["body","tags"],"msg":"Input should be a valid list","input":"a"}]}"#
            )
            let invalid = try await Self.detail(client, "/items", .post, body: #"{"id":1,"#)
            #expect(
                invalid
                    == #"{"detail":[{"type":"json_invalid","loc":["body",8],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting property name enclosed in double quotes"}}]}"#
            )
            let empty = try await Self.detail(client, "/items", .post, body: nil)
            #expect(empty == #"{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}"#)
            let text = try await Self.detail(client, "/items", .post, type: "text/plain", body: #"{"id":1}"#)
            #expect(
                text
                    == #"{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\"id\":1}"}]}"#
            )
        }
    }

    /// Dates, times and intervals travel as pydantic's strings; a malformed one is a 422 naming it.
    @Test func datesTimesAndIntervalsAreStringsInAndOut() async throws {
        try await Self.application().test(.router) { client in
            let body = #"{"day":"2026-02-28","opens":"09:30:00.5","stay":"P1M2DT3.5S","nights":[1,2]}"#
            let booked = try await client.execute(
                uri: "/bookings",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: body)
            )
            #expect(booked.status == .created)
            #expect(
                String(buffer: booked.body)
                    == #"{"day":"2026-02-28","opens":"09:30:00.500000","stay":"P1M2DT3.5S","nights":[1,2]}"#
            )
            let bad = try await Self.detail(
                client,
                "/bookings",
                .post,
                body: #"{"day":"2026-02-30","opens":"25:00","stay":"soon","nights":[]}"#
            )
            #expect(bad.contains(#""loc":["body","day"]"#) && bad.contains(#""type":"date_from_datetime_parsing""#))
            #expect(bad.contains(#""loc":["body","opens"]"#) && bad.contains(#""type":"time_parsing""#))
            #expect(bad.contains(#""loc":["body","stay"]"#) && bad.contains(#""type":"time_delta_parsing""#))
            let document = try await client.execute(uri: "/openapi.json", method: .get)
            let text = String(buffer: document.body)
            #expect(text.contains(#""format":"date""#) && text.contains(#""format":"duration""#))
        }
    }

    @Test func theOpenAPIDocumentComesFromTheTypes() async throws {
        try await Self.application().test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            let document = try JSONValue.parse(Data(response.body.readableBytesView))
            #expect(document["openapi"] == .string("3.1.0"))
            let read = document["paths"]?["/items/{item_id}"]?["get"]
            #expect(read?["operationId"] == .string("get_items_item_id"))
            guard case .array(let parameters)? = read?["parameters"] else {
                Issue.record("no parameters")
                return
            }
            #expect(parameters.map { $0["name"] } == [.string("item_id"), .string("limit")])
            #expect(parameters[1]["schema"]?["maximum"] == .int(100))
            #expect(parameters[1]["schema"]?["default"] == .int(20))
            #expect(
                read?["responses"]?["422"]?["content"]?["application/json"]?["schema"]?["$ref"]
                    == .string("#/components/schemas/HTTPValidationError")
            )
            #expect(read?["responses"]?["404"] != nil)
            let item = document["components"]?["schemas"]?["Item"]
            #expect(item?["properties"]?["title"]?["maxLength"] == .int(10))
            #expect(item?["required"] == .array([.string("id"), .string("title"), .string("tags")]))
            let page = try await client.execute(uri: "/docs", method: .get)
            #expect(
                String(buffer: page.body).contains("/openapi.json") && !String(buffer: page.body).contains("https://")
            )
        }
    }
}
