import Foundation
import Quarry
import Testing

/// Regression (found by `scripts/chaos`, TLS): a connection that could not be made said only
/// "The PostgreSQL connection failed (connectionError)"; the message now carries the cause.
@Suite("Connection errors")
struct ConnectionErrorTests {
    @Test func aRefusedConnectionSaysWhy() async throws {
        var configuration = EngineConfiguration(poolSize: 1)
        configuration.connectTimeout = .seconds(2)
        let engine = try Engine("postgresql://app:not-a-real-secret@127.0.0.1:1/app", configuration: configuration)
        let error = await #expect(throws: DatabaseError.self) { _ = try await engine.scalar(SQLQuery<Int>("SELECT 1")) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.localizedCaseInsensitiveContains("refused") == true, "\(error?.message ?? "")")
        #expect(!"\(String(describing: error))".contains("not-a-real-secret"), "the password stays out of the error")
        await engine.shutdown()
    }
}
