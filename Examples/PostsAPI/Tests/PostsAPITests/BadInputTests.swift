import Foundation
import Hummingbird
import HummingbirdTesting
import PostsAPI
import QuarryHummingbird
import QuarryTesting
import Testing

/// Regressions for what `scripts/chaos` (bad input) found.
@Suite("Bad input")
struct BadInputTests {
    /// Invalid UTF-8 in a JSON string used to be repaired into U+FFFD and stored (201).
    @Test(arguments: Backend.allCases)
    func invalidUTF8IsAValidationError(_ backend: Backend) async throws {
        try await withService(backend, sandboxed: true) { api, _ in
            try await Application(router: api.router).test(.router) { client in
                var body = ByteBuffer(string: #"{"name":""#)
                body.writeBytes([0xFF, 0xFE, 0xFD])
                body.writeString(#"","email":"u@example.com"}"#)
                let response = try await client.execute(
                    uri: "/users",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: body
                )
                #expect(response.status == .unprocessableContent)
                #expect(firstIssue(response)?["type"] == .string("json_invalid"))
                let users = try await client.send(.get, "/users")
                #expect(users.text == "[]", "nothing was stored")
            }
        }
    }

    /// PostgreSQL cannot store NUL in text; the service refuses it (on every backend) with a
    /// validation error naming the field, never a 500.
    @Test(arguments: Backend.allCases)
    func nulInAStringIsAValidationError(_ backend: Backend) async throws {
        try await withService(backend, sandboxed: true) { api, _ in
            try await Application(router: api.router).test(.router) { client in
                let response = try await client.send(
                    .post,
                    "/users",
                    json: #"{"name":"a\u0000b","email":"nul@example.com"}"#
                )
                #expect(response.status == .unprocessableContent)
                #expect(firstIssue(response)?["loc"] == .array([.string("body"), .string("name")]))
                #expect(firstIssue(response)?["type"] == .string("string_pattern_mismatch"))
            }
        }
    }

    func firstIssue(_ response: TestResponse) -> JSONValue? {
        guard case .array(let items)? = response.json?["detail"] else { return nil }
        return items.first
    }
}
