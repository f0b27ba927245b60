import Foundation
import Hummingbird
import HummingbirdTesting
import PostsAPI
import QuarryHummingbird
import QuarryTesting
import Testing

@Suite("Prometheus metrics")
struct MetricsTests {
    /// The value of the first sample of `series` whose labels contain every `labels` entry.
    func sample(_ text: String, _ series: String, _ labels: [String] = []) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series) && !line.hasPrefix("#") {
            guard labels.allSatisfy({ line.contains($0) }), let value = line.split(separator: " ").last else {
                continue
            }
            return Double(value)
        }
        return nil
    }

    /// `--no-metrics` and `--metrics-port` take `/metrics` off the API's port.
    @Test(arguments: Backend.allCases)
    func metricsCanBeTakenOffTheAPIPort(_ backend: Backend) async throws {
        for endpoint in [PostsAPIConfiguration.MetricsEndpoint.disabled, .port(0)] {
            try await withService(backend, metrics: endpoint) { api, _ in
                #expect(!api.routes.contains { $0.path == "/metrics" })
                _ = try await api.testApplication().test(.router) { client in
                    let status = try await client.send(.get, "/metrics").status
                    #expect(status == .notFound)
                }
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func metricsShowThePoolAndStatementsAfterALoad(_ backend: Backend) async throws {
        try await withService(backend, poolSize: 4) { api, _ in
            _ = try await api.testApplication().test(.live) { client in
                try await client.send(.post, "/users", json: #"{"name":"Ada","email":"ada@example.com"}"#)
                for i in 0..<50 { try await client.send(.get, "/user/\(i % 3 + 1)/combined") }
                try await client.send(.post, "/users", json: #"{"name":"Dup","email":"ada@example.com"}"#)
                let response = try await client.send(.get, "/metrics")
                #expect(response.status == .ok)
                let text = response.text
                let selects = sample(text, "db_client_operation_duration_count", [#"db_operation_name="SELECT""#])
                #expect((selects ?? 0) >= 100, "two SELECTs per combined request: \(selects ?? -1)")
                #expect(
                    (sample(text, "db_client_operation_duration_count", [#"db_operation_name="INSERT""#]) ?? 0) >= 2
                )
                #expect(sample(text, "db_client_connection_max", [#"db_client_connection_pool_name="primary""#]) != nil)
                #expect(sample(text, "db_client_connection_count", [#"db_client_connection_state="idle""#]) != nil)
                #expect(
                    sample(text, "db_client_connection_count", [#"db_client_connection_state="used""#]).map { $0 >= 0 }
                        == true
                )
                #expect(
                    sample(text, "db_client_errors_total", [#"error_type="uniqueViolation""#]) == 1
                        || sample(text, "db_client_errors", [#"error_type="uniqueViolation""#]) == 1
                )
                #expect((sample(text, "db_client_connection_wait_time_count") ?? 0) > 0)
            }
        }
    }
}
