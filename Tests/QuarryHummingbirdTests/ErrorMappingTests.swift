import Hummingbird
import HummingbirdTesting
import Logging
import QuarryCore
import QuarryHummingbird
import QuarryTesting
import Testing

@Suite("Errors to HTTP")
struct ErrorMappingTests {
    /// Regression: a client that left mid-query was logged as a 500 at error level.
    @Test func aCancelledRequestIsLoggedAs499AtInfo() async throws {
        let recorder = LogRecorder()
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: DatabaseErrorMiddleware())
        router.get("/cancelled") { _, _ -> String in throw CancellationError() }
        router.get("/query-cancelled") { _, _ -> String in
            throw DatabaseError(.cancelled, message: "Cancelled while waiting for a pooled connection")
        }
        router.get("/failed") { _, _ -> String in throw DatabaseError(.server, message: "boom") }
        let app = Application(router: router, logger: recorder.logger(level: .debug))
        try await app.test(.router) { client in
            for path in ["/cancelled", "/query-cancelled"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status.code == 499)
            }
            #expect(try await client.execute(uri: "/failed", method: .get).status == .internalServerError)
        }
        let failures = recorder.entries.filter { $0.message == "Request failed" }
        #expect(failures.map(\.level) == [.info, .info, .error])
        #expect(failures.map { $0.metadata["http.response.status_code"] } == ["499", "499", "500"])
    }
}
