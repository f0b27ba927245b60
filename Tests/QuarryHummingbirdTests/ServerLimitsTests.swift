import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import QuarryHummingbird
import QuarryTesting
import Testing

struct Greeting: Codable, Sendable, RouteOutput { var text: String }
struct NewGreeting: Codable, Sendable { var body: Greeting }
struct GreetingID: Codable, Sendable { var id: Int64 }

/// The HTTP server's defences (issue 14): idle and slow connections closed, a connection cap,
/// HTTP/1.0 and `Connection: close` honoured, `Host` required, broken chunking a 400, and 405 with
/// `Allow`. Each runs a real server on loopback and speaks raw bytes to it.
@Suite("Server limits")
struct ServerLimitsTests {
    /// For the tests of other limits: an idle timeout no loaded test machine reaches.
    static let limits = HTTPServerLimits(idleTimeout: .seconds(60), maxConnections: 4)
    /// For the idle and slow-head tests: one second.
    static let shortIdle = HTTPServerLimits(idleTimeout: .seconds(1), maxConnections: 4)

    static func application(
        logger: Logger = Logger(label: "test"),
        limits: HTTPServerLimits = Self.limits
    ) -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: DatabaseErrorMiddleware())
        var routes = APIRoutes(router)
        routes.get("/hello", summary: "Hello") { _, _ in Greeting(text: "hi") }
        routes.post("/notes", summary: "Create", input: NewGreeting.self) { request, _ in request.input.body }
        routes.delete("/notes/{id}", summary: "Delete", input: GreetingID.self) { _, _ in NoContent() }
        routes.answerMethodNotAllowed()
        return Application(router: router, server: .quarryHTTP1(limits: limits), logger: logger)
    }

    static func withServer(
        logger: Logger = Logger(label: "test"),
        limits: HTTPServerLimits = Self.limits,
        _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        try await Self.application(logger: logger, limits: limits).test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosed() async throws {
        try await Self.withServer(limits: Self.shortIdle) { port in
            let connection = try RawHTTPConnection(port: port)
            try await connection.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n")
            #expect(try await connection.readResponse().hasPrefix("HTTP/1.1 200"))
            let start = ContinuousClock.now
            let (rest, closed) = try await connection.readUntilClosed()
            #expect(closed && rest.isEmpty, "closed after the idle timeout, not kept for ever")
            #expect(start.duration(to: .now) < .seconds(9))
        }
    }

    /// Slowloris: a request head that never completes holds nothing for longer than the timeout.
    @Test func anIncompleteRequestHeadIsClosed() async throws {
        try await Self.withServer(limits: Self.shortIdle) { port in
            let connection = try RawHTTPConnection(port: port)
            try await connection.send("GET /hello HTTP/1.1\r\nHost: test\r\nX-Slow: a")
            let (text, closed) = try await connection.readUntilClosed()
            #expect(closed && text.isEmpty)
        }
    }

    @Test func connectionsBeyondTheCapAreRefusedAtOnce() async throws {
        // The long idle timeout matters: the held connections must not be closed for idling.
        let limits = Self.limits
        try await Self.withServer(limits: limits) { port in
            // Connections proven admitted by a response, kept open, until one is refused (the
            // test client may hold a slot of its own).
            var held: [RawHTTPConnection] = []
            var refusal: String?
            while refusal == nil, held.count <= limits.maxConnections {
                let connection = try RawHTTPConnection(port: port)
                try await connection.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n")
                let answer = try await connection.readResponse()
                if answer.hasPrefix("HTTP/1.1 200") {
                    held.append(connection)
                } else {
                    refusal = answer
                    #expect(try await connection.readUntilClosed().closed, "a refused connection is closed at once")
                }
            }
            #expect((limits.maxConnections - 1...limits.maxConnections).contains(held.count))
            #expect(refusal?.hasPrefix("HTTP/1.1 503") == true, "\(refusal ?? "")")
            #expect(refusal?.contains(#"{"detail":"Too many connections"}"#) == true)
            // A slot frees when a held connection closes.
            held.removeFirst()
            try await eventually {
                let next = try RawHTTPConnection(port: port)
                try await next.send("GET /hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
                return try await next.readUntilClosed().text.hasPrefix("HTTP/1.1 200")
            }
        }
    }

    @Test func http10AndConnectionCloseEndTheConnectionAfterTheResponse() async throws {
        try await Self.withServer { port in
            for request in [
                "GET /hello HTTP/1.0\r\n\r\n",
                "GET /hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n",
            ] {
                let connection = try RawHTTPConnection(port: port)
                try await connection.send(request)
                let (text, closed) = try await connection.readUntilClosed()
                #expect(closed, "closed by the server right after the response: \(request)")
                #expect(text.hasPrefix("HTTP/1.1 200"))
                #expect(text.lowercased().contains("connection: close"))
            }
        }
    }

    @Test func aMissingOrRepeatedHostIsABadRequest() async throws {
        try await Self.withServer { port in
            for request in [
                "GET /hello HTTP/1.1\r\n\r\n",
                "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET /hello HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
            ] {
                let connection = try RawHTTPConnection(port: port)
                try await connection.send(request)
                let (text, closed) = try await connection.readUntilClosed()
                #expect(text.hasPrefix("HTTP/1.1 400"), "\(request.debugDescription): \(text)")
                #expect(closed)
            }
        }
    }

    /// Regression: malformed chunked bodies were answered 500 and logged at error level.
    @Test func brokenChunkedBodiesAreABadRequest() async throws {
        let recorder = LogRecorder()
        try await Self.withServer(logger: recorder.logger(level: .debug)) { port in
            let head = "POST /notes HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            for body in [
                "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
                "Transfer-Encoding: chunked\r\n\r\n-1\r\n",
                "Transfer-Encoding: chunked\r\n\r\n18446744073709551617\r\nab\r\n",
                "Transfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
                "Transfer-Encoding: xchunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n",
            ] {
                let connection = try RawHTTPConnection(port: port)
                try await connection.send(head + body)
                let (text, closed) = try await connection.readUntilClosed()
                #expect(text.hasPrefix("HTTP/1.1 400"), "\(body.debugDescription): \(text)")
                #expect(text.components(separatedBy: "HTTP/1.1 ").count == 2, "one response, not two")
                #expect(closed)
            }
        }
        #expect(!recorder.entries.contains { $0.level >= .error }, "client mistakes are not server errors")
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aKnownPathWithAnotherMethodIs405WithAllow(_ setup: TestingSetup) async throws {
        try await Self.application().test(setup) { client in
            let put = try await client.execute(uri: "/notes/3", method: .put)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "DELETE")
            #expect(String(buffer: put.body) == #"{"detail":"Method Not Allowed"}"#)
            let options = try await client.execute(uri: "/hello", method: .options)
            #expect(options.status == .methodNotAllowed && options.headers[.allow] == "GET")
            // Unknown paths stay 404.
            #expect(try await client.execute(uri: "/nothing", method: .put).status == .notFound)
            #expect(try await client.execute(uri: "/notes/3/x", method: .delete).status == .notFound)
        }
    }

    /// Regression: a logged value with a newline could forge a log line.
    @Test func loggedValuesCannotStartANewLine() {
        let recorder = LogRecorder()
        let logger = Logger(label: "test") { _ in SingleLineLogHandler(recorder.handler()) }
        logger.info(
            "created\nFAKE error line",
            metadata: ["name": "ada\r\n2026-01-01 error forged", "list": .array(["a\u{2028}b", "\u{1B}[31m"])]
        )
        let entry = recorder.entries.first
        #expect(entry?.message == "created\\nFAKE error line")
        #expect(entry?.metadata["name"] == "ada\\r\\n2026-01-01 error forged")
        let list = entry?.metadata["list"] ?? ""
        #expect(list.contains("u{2028}") && !list.contains("\u{2028}") && !list.contains("\u{1B}"))
        #expect(entry.map { !$0.fullText.contains("\n") && !$0.fullText.contains("\r") } == true)
    }

    /// A request's logger carries values of its own (Hummingbird's request id), which the wrapper
    /// keeps and hands to the wrapped handler at each line: escaped, under the event's values,
    /// with what the wrapped handler had before.
    @Test func handlerMetadataIsEscapedAndYieldsToTheEvents() {
        let recorder = LogRecorder()
        let base: any LogHandler = {
            var handler = recorder.handler()
            handler[metadataKey: "service"] = "posts\napi"
            return handler
        }()
        var logger = Logger(label: "test") { _ in SingleLineLogHandler(base) }
        logger[metadataKey: "request"] = "r1\nforged"
        logger[metadataKey: "user"] = "handler"
        logger.info("hello", metadata: ["user": "event"])
        logger[metadataKey: "user"] = nil
        logger.info("again")
        let entries = recorder.entries
        #expect(entries.first?.metadata == ["service": "posts\\napi", "request": "r1\\nforged", "user": "event"])
        #expect(entries.last?.metadata == ["service": "posts\\napi", "request": "r1\\nforged"])
    }

    /// Regression: an error logged with `error:` reached the wrapped handler unescaped, and its
    /// description can carry client input.
    @Test func aLoggedErrorCannotStartANewLine() {
        struct Rejected: Error, CustomStringConvertible {
            var description: String { "bad value \"x\nFAKE line\"" }
        }
        let recorder = LogRecorder()
        let logger = Logger(label: "test") { _ in SingleLineLogHandler(recorder.handler()) }
        logger.error("Request failed", error: Rejected())
        let entry = recorder.entries.first
        #expect(entry?.metadata["error.message"] == #"bad value "x\nFAKE line""#)
        #expect(entry?.metadata["error.type"]?.hasSuffix("Rejected") == true)
        #expect(entry.map { !$0.fullText.contains("\n") } == true)
    }
}

/// Retries `condition` until it holds (for state another thread changes, such as a closed
/// connection being counted out), failing after 5 s.
func eventually(_ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(5)
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        await Task.yield()
    }
    Issue.record("condition did not hold within 5 s")
}
