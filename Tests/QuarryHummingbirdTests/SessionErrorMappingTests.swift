import Hummingbird
import HummingbirdTesting
import Logging
import Quarry
import QuarryHummingbird
import QuarryTesting
import Testing

@Suite("SessionMiddleware(mapsErrors: true)")
struct SessionErrorMappingTests {
    /// The one-layer form answers as `DatabaseErrorMiddleware` does, after rolling back what the
    /// failed handler wrote.
    @Test(arguments: Backend.allCases)
    func mapsErrorsAfterRollingBack(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(Article.self)
            let recorder = LogRecorder()
            let router = Router(context: DatabaseContext.self)
            router.add(middleware: SessionMiddleware(engine: engine, mapsErrors: true))
            router.post("/missing") { _, context -> String in
                var article = Article(title: "written, then rolled back")
                try await context.db.insert(&article)
                throw DatabaseError(.noResult, message: "No row")
            }
            router.post("/duplicate") { _, context -> String in
                var first = Article(id: 1, title: "one")
                try await context.db.insert(&first)
                var second = Article(id: 1, title: "the same key")
                try await context.db.insert(&second)
                return "unreachable"
            }
            router.get("/cancelled") { _, _ -> String in throw CancellationError() }
            router.get("/failed") { _, _ -> String in throw DetailError(.forbidden, "Not yours") }
            let app = Application(router: router, logger: recorder.logger(level: .debug))
            try await app.test(.router) { client in
                let missing = try await client.execute(uri: "/missing", method: .post)
                #expect(missing.status == .notFound)
                #expect(String(buffer: missing.body) == #"{"detail":"Not Found"}"#)
                let duplicate = try await client.execute(uri: "/duplicate", method: .post)
                #expect(duplicate.status == .conflict)
                #expect(try await client.execute(uri: "/cancelled", method: .get).status.code == 499)
                let failed = try await client.execute(uri: "/failed", method: .get)
                #expect(failed.status == .forbidden)
                #expect(String(buffer: failed.body) == #"{"detail":"Not yours"}"#)
            }
            // Nothing the failed handlers inserted was committed.
            #expect(try await engine.all(select(Article.self)).isEmpty)
            let failures = recorder.entries.filter { $0.message == "Request failed" }
            #expect(failures.map { $0.metadata["http.response.status_code"] } == ["404", "409", "499", "403"])
        }
    }

    /// Without `mapsErrors` the error goes on to the middleware before it.
    @Test(arguments: Backend.allCases)
    func passesErrorsOnByDefault(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let router = Router(context: DatabaseContext.self)
            router.add(middleware: ErrorCatcher())
            router.add(middleware: SessionMiddleware(engine: engine))
            router.get("/missing") { _, _ -> String in throw DatabaseError(.noResult, message: "No row") }
            try await Application(router: router).test(.router) { client in
                let response = try await client.execute(uri: "/missing", method: .get)
                #expect(String(buffer: response.body) == "caught noResult")
            }
        }
    }
}

/// Answers with the code of the `DatabaseError` that reached it.
private struct ErrorCatcher<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as DatabaseError {
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "caught \(error.code)")))
        }
    }
}
