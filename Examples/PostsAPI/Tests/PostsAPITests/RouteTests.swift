import Foundation
import Hummingbird
import HummingbirdTesting
import PostsAPI
import QuarryHummingbird
import QuarryTesting
import Testing

/// Every route, status and error shape, through the router and through a live server, on both
/// backends. Each exchange is also checked against `/openapi.json` (see `OpenAPITests`).
@Suite("Service routes")
struct RouteTests {
    static let cases: [(Backend, Transport)] = Backend.allCases.flatMap { b in Transport.allCases.map { (b, $0) } }

    @Test(arguments: cases)
    func everyRouteAndErrorShape(_ backend: Backend, _ transport: Transport) async throws {
        _ = try await withService(backend, sandboxed: true) { api, _ in
            let background = api.background
            _ = try await api.testApplication().test(transport.setup) { client in
                try await Self.conversation(client, background: background)
            }
        }
    }

    /// The scripted conversation; returns every exchange for schema validation.
    @discardableResult
    static func conversation(_ client: some TestClientProtocol, background: BackgroundWork) async throws -> [Exchange] {
        var log: [Exchange] = []
        func call(
            _ method: HTTPRequest.Method,
            _ uri: String,
            _ template: String,
            json: String? = nil,
            expect status: Int
        ) async throws -> JSONValue? {
            let response = try await client.send(method, uri, json: json)
            #expect(response.status.code == status, "\(method) \(uri) → \(response.status.code) \(response.text)")
            log.append(
                Exchange(
                    method: "\(method)".lowercased(),
                    template: template,
                    status: response.status.code,
                    body: response.json
                )
            )
            return response.json
        }

        #expect(try await call(.get, "/health", "/health", expect: 200)?.serialized() == #"{"status":"ok"}"#)
        // Readiness allows the database 1 s; on this busy test machine the very first connection
        // can take longer, so a 503 is allowed once before the 200 that must follow.
        var ready = try await client.send(.get, "/ready")
        if ready.status == .serviceUnavailable {
            #expect(ready.text == #"{"detail":"Database unavailable"}"#)
            ready = try await client.send(.get, "/ready")
        }
        #expect(ready.status == .ok)
        #expect(ready.text == #"{"status":"ready"}"#)
        log.append(Exchange(method: "get", template: "/ready", status: ready.status.code, body: ready.json))

        // Users
        let ada = try #require(
            try await call(.post, "/users", "/users", json: #"{"name":"Ada","email":"ada@example.com"}"#, expect: 201)
        )
        guard case .object(let fields) = ada, case .int(let adaID)? = ada["id"] else {
            Issue.record("no id")
            return log
        }
        #expect(fields.map(\.0) == ["id", "name", "email", "created_at"])
        #expect(isPydanticTimestamp(ada["created_at"]))
        #expect(try await call(.get, "/user/\(adaID)", "/user/{user_id}", expect: 200) == ada)
        #expect(
            try await call(.get, "/user/999999", "/user/{user_id}", expect: 404)?.serialized()
                == #"{"detail":"User not found"}"#
        )
        #expect(
            try await call(.post, "/users", "/users", json: #"{"name":"Eve","email":"ada@example.com"}"#, expect: 409)?
                .serialized() == #"{"detail":"Email already registered"}"#
        )
        let bob = try #require(
            try await call(.post, "/users", "/users", json: #"{"name":"Bob","email":"bob@example.com"}"#, expect: 201)
        )

        // Path validation, FastAPI's shape.
        for bad in ["abc", "1.5", "99999999999999999999"] {
            let body = try await call(.get, "/user/\(bad)", "/user/{user_id}", expect: 422)
            #expect(
                body?.serialized()
                    == #"{"detail":[{"type":"int_parsing","loc":["path","user_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"\#(bad)"}]}"#
            )
        }
        // Body validation: missing, mistyped, malformed, wrong email, not an object.
        #expect(
            try await call(.post, "/users", "/users", json: #"{"name":"NoEmail"}"#, expect: 422)?.serialized()
                == #"{"detail":[{"type":"missing","loc":["body","email"],"msg":"Field required","input":{"name":"NoEmail"}}]}"#
        )
        #expect(
            try await call(.post, "/users", "/users", json: #"{"name":5,"email":"x@example.com"}"#, expect: 422)?
                .serialized()
                == #"{"detail":[{"type":"string_type","loc":["body","name"],"msg":"Input should be a valid string","input":5}]}"#
        )
        #expect(
            try await call(.post, "/users", "/users", json: "{not json", expect: 422)?.serialized()
                == #"{"detail":[{"type":"json_invalid","loc":["body",1],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting property name enclosed in double quotes"}}]}"#
        )
        let badEmail = try await call(.post, "/users", "/users", json: #"{"name":"X","email":"nope"}"#, expect: 422)
        if case .array(let items)? = badEmail?["detail"] {
            #expect(items.first?["loc"] == .array([.string("body"), .string("email")]))
            #expect(items.first?["type"] == .string("value_error"))
        } else {
            Issue.record("no validation detail for a bad email")
        }
        _ = try await call(.post, "/users", "/users", json: "[1,2]", expect: 422)
        // Bodies over 1 MiB are refused.
        let huge = #"{"name":""# + String(repeating: "x", count: 1 << 20) + #"","email":"big@example.com"}"#
        #expect(try await call(.post, "/users", "/users", json: huge, expect: 413)?["detail"] != nil)

        // Listing with limits.
        let page = try await call(.get, "/users?limit=1&offset=1", "/users", expect: 200)
        #expect(page == .array([bob]))
        #expect(try await call(.get, "/users", "/users", expect: 200) == .array([ada, bob]))
        #expect(
            try await call(.get, "/users?limit=0", "/users", expect: 422)?.serialized()
                == #"{"detail":[{"type":"greater_than_equal","loc":["query","limit"],"msg":"Input should be greater than or equal to 1","input":"0","ctx":{"ge":1}}]}"#
        )
        #expect(
            try await call(.get, "/users?limit=101", "/users", expect: 422)?.serialized()
                == #"{"detail":[{"type":"less_than_equal","loc":["query","limit"],"msg":"Input should be less than or equal to 100","input":"101","ctx":{"le":100}}]}"#
        )
        _ = try await call(.get, "/users?offset=-1", "/users", expect: 422)
        _ = try await call(.get, "/users?limit=x", "/users", expect: 422)

        // Posts
        #expect(try await call(.get, "/user/\(adaID)/posts", "/user/{user_id}/posts", expect: 200) == .array([]))
        #expect(try await call(.get, "/user/424242/posts", "/user/{user_id}/posts", expect: 200) == .array([]))
        let first = try #require(
            try await call(
                .post,
                "/user/\(adaID)/posts",
                "/user/{user_id}/posts",
                json: #"{"title":"First","body":"Hello, world"}"#,
                expect: 201
            )
        )
        guard case .object(let postFields) = first, case .int(let postID)? = first["id"] else {
            Issue.record("no post id")
            return log
        }
        #expect(postFields.map(\.0) == ["id", "user_id", "title", "body", "created_at"])
        let second = try #require(
            try await call(
                .post,
                "/user/\(adaID)/posts",
                "/user/{user_id}/posts",
                json: #"{"title":"Second","body":"ünïcødé ✓"}"#,
                expect: 201
            )
        )
        _ = try await call(
            .post,
            "/user/999999/posts",
            "/user/{user_id}/posts",
            json: #"{"title":"x","body":"y"}"#,
            expect: 404
        )
        _ = try await call(.post, "/user/\(adaID)/posts", "/user/{user_id}/posts", json: #"{"title":"x"}"#, expect: 422)
        #expect(
            try await call(.get, "/user/\(adaID)/posts", "/user/{user_id}/posts", expect: 200)
                == .array([first, second])
        )
        #expect(try await call(.get, "/posts/\(postID)", "/posts/{post_id}", expect: 200) == first)
        #expect(
            try await call(.get, "/posts/999999", "/posts/{post_id}", expect: 404)?.serialized()
                == #"{"detail":"Post not found"}"#
        )
        _ = try await call(.get, "/posts/abc", "/posts/{post_id}", expect: 422)

        // Combined: both queries, one response.
        #expect(
            try await call(.get, "/user/\(adaID)/combined", "/user/{user_id}/combined", expect: 200)
                == .object([("user", ada), ("posts", .array([first, second]))])
        )
        #expect(
            try await call(.get, "/user/999999/combined", "/user/{user_id}/combined", expect: 404)?.serialized()
                == #"{"detail":"User not found"}"#
        )
        _ = try await call(.get, "/user/x/combined", "/user/{user_id}/combined", expect: 422)

        // Stats, once background work is done.
        await background.waitUntilIdle()
        let stats = try await call(.get, "/user/\(adaID)/stats", "/user/{user_id}/stats", expect: 200)
        #expect(stats?["post_count"] == .int(2))
        #expect(stats?["last_post_at"] == second["created_at"])
        _ = try await call(.get, "/user/999999/stats", "/user/{user_id}/stats", expect: 404)

        // Changes and deletes.
        let renamed = try await call(
            .patch,
            "/user/\(adaID)",
            "/user/{user_id}",
            json: #"{"name":"Ada Lovelace"}"#,
            expect: 200
        )
        #expect(renamed?["name"] == .string("Ada Lovelace"))
        #expect(renamed?["email"] == .string("ada@example.com"))
        _ = try await call(
            .patch,
            "/user/\(adaID)",
            "/user/{user_id}",
            json: #"{"email":"bob@example.com"}"#,
            expect: 409
        )
        _ = try await call(.patch, "/user/999999", "/user/{user_id}", json: #"{"name":"x"}"#, expect: 404)
        _ = try await call(.patch, "/user/\(adaID)", "/user/{user_id}", json: #"{"name":7}"#, expect: 422)
        _ = try await call(.delete, "/posts/\(postID)", "/posts/{post_id}", expect: 204)
        _ = try await call(.delete, "/posts/\(postID)", "/posts/{post_id}", expect: 404)
        _ = try await call(.delete, "/user/\(adaID)", "/user/{user_id}", expect: 204)
        _ = try await call(.delete, "/user/\(adaID)", "/user/{user_id}", expect: 404)
        #expect(
            try await call(.get, "/user/\(adaID)/posts", "/user/{user_id}/posts", expect: 200) == .array([]),
            "the user's posts went too"
        )
        _ = try await call(.get, "/user/x", "/user/{user_id}", expect: 422)
        await background.waitUntilIdle()
        return log
    }
}

/// One request/response, kept for schema validation.
struct Exchange: Sendable {
    let method: String
    let template: String
    let status: Int
    let body: JSONValue?
}
