import Foundation
import InMemoryTracing
import Quarry
import QuarryTesting
import Testing
import Tracing

@Suite("Tracing spans")
struct ObservabilityTests {
    @Test(arguments: Backend.allCases)
    func everyStatementIsAClientSpanWithoutValues(_ backend: Backend) async throws {
        let tracer = InMemoryTracer()
        try await withTestEngine(backend, configure: { $0.tracer = tracer }) { engine in
            try await engine.createAll(User.self)
            tracer.clearAll()
            let secret = "never-in-a-span@example.com"
            try await engine.execute(insert(User(name: "Ada", email: secret)))
            _ = try await engine.all(select(User.self).where(\.email == secret))
            let spans = tracer.finishedSpans
            #expect(spans.map(\.operationName) == ["INSERT", "SELECT"])
            for span in spans {
                #expect(span.kind == .client)
                #expect(
                    span.attributes["db.system.name"]?.toSpanAttribute()
                        == .string(backend == .postgres ? "postgresql" : "sqlite")
                )
                #expect(span.attributes["db.query.text"] != nil)
                #expect(!"\(span.attributes)".contains(secret), "a bound value reached a span")
            }
            #expect(spans.last?.attributes["db.operation.name"]?.toSpanAttribute() == .string("SELECT"))
            await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(User(name: "Eve", email: secret)))
            }
            #expect(tracer.finishedSpans.last?.errors.isEmpty == false, "a failed statement marks its span")
        }
    }

    /// Regression (found by `scripts/chaos`, secrets): the session's changed-columns UPDATE logged
    /// a sensitive column's new value in the echoed binds.
    @Test(arguments: Backend.allCases)
    func sensitiveValuesNeverReachTheEchoLog(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(Login.self)
            try await engine.execute(insert(Login(name: "ada", token: "tok-inserted")))
            _ = try await engine.all(select(Login.self).where(\.token == "tok-inserted"))
            try await engine.withSession { session in
                var login = try await session.one(select(Login.self).where(\.name == "ada"))
                login.token = "tok-updated"
                try session.update(login)
                try await session.commit()
            }
            await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(Login(name: "eve", token: "tok-updated")))
            }
            let text = recorder.entries.map(\.fullText).joined(separator: "\n")
            #expect(text.contains("<redacted>"), "binds are echoed, redacted")
            #expect(text.contains("'ada'"), "other values are echoed")
            #expect(!text.contains("tok-"), "a sensitive value reached the log")
            #expect(try await engine.scalar(select(Login.Columns.token, from: Login.self)) == "tok-updated")
        }
    }
}
