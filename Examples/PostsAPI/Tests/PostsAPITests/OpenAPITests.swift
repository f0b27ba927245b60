import Foundation
import Hummingbird
import HummingbirdTesting
import PostsAPI
import QuarryHummingbird
import QuarryTesting
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test(arguments: Backend.allCases)
    func everyRouteIsDocumentedAndEveryResponseValidates(_ backend: Backend) async throws {
        try await withService(backend, sandboxed: true) { api, _ in
            let routes = api.routes
            let background = api.background
            try await api.testApplication().test(.router) { client in
                let docResponse = try await client.send(.get, "/openapi.json")
                #expect(docResponse.status == .ok)
                let document = try #require(docResponse.json)
                #expect(document["openapi"] == .string("3.1.0"))
                let paths = try #require(document["paths"])
                let components = try #require(document["components"]?["schemas"])

                // Every route the router serves is in the document, with its method.
                #expect(routes.count >= 15)
                for route in routes {
                    #expect(
                        paths[route.path]?[route.method.lowercased()] != nil,
                        "\(route.method) \(route.path) is not documented"
                    )
                }
                // …and the router really serves each of them (not a 404 for an unknown route).
                for route in routes where route.method == "GET" {
                    let uri = route.path.replacingOccurrences(of: "{user_id}", with: "1").replacingOccurrences(
                        of: "{post_id}",
                        with: "1"
                    )
                    let response = try await client.send(.get, uri)
                    #expect(response.status != .notFound || response.json?["detail"] != nil, "\(uri) is not routed")
                }

                let docs = try await client.send(.get, "/docs")
                #expect(docs.status == .ok)
                #expect(docs.text.contains("/openapi.json"))
                #expect(
                    !docs.text.contains("http://") && !docs.text.contains("https://"),
                    "the docs page loads nothing from a CDN"
                )

                // Every response of the full conversation validates against its documented schema.
                let exchanges = try await RouteTests.conversation(client, background: background)
                let validator = JSONSchemaValidator(components: components)
                #expect(exchanges.count > 40)
                for exchange in exchanges {
                    guard let operation = paths[exchange.template]?[exchange.method] else {
                        Issue.record("\(exchange.method) \(exchange.template) is not documented")
                        continue
                    }
                    guard let response = operation["responses"]?[String(exchange.status)] else {
                        Issue.record(
                            "\(exchange.method) \(exchange.template) does not document status \(exchange.status)"
                        )
                        continue
                    }
                    guard let schema = response["content"]?["application/json"]?["schema"] else {
                        #expect(
                            exchange.body == nil,
                            "\(exchange.template) \(exchange.status) has an undocumented body"
                        )
                        continue
                    }
                    let body = try #require(exchange.body, "\(exchange.template) \(exchange.status) has no JSON body")
                    let problems = validator.problems(body, schema)
                    #expect(problems.isEmpty, "\(exchange.method) \(exchange.template) \(exchange.status): \(problems)")
                }
            }
        }
    }
}
