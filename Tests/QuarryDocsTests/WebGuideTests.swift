import Foundation
import Quarry
import QuarryTesting
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// docs/web.md's program, run the way its reader runs it: the `WebGuide` executable (the guide's
/// blocks verbatim, see DocCodeBlockTests) on a free port, on SQLite and PostgreSQL, answering
/// real HTTP requests on loopback; then SIGTERM, and it must exit cleanly.
@Suite("docs/web.md program")
struct WebGuideTests {
    static let binary = ReadmeQuickStartTests.root.appendingPathComponent(".build/debug/WebGuide")

    struct Reply {
        let status: Int
        let body: String
    }

    static func send(_ method: String, _ url: URL, json: String? = nil) async throws -> Reply {
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(
            status: (response as? HTTPURLResponse)?.statusCode ?? 0,
            body: String(decoding: data, as: UTF8.self)
        )
    }

    /// Reads the program's output until the server reports its address: the port (`nil` when the
    /// program ended first) and what it wrote so far. The reads block, so they run on a thread of
    /// their own (`BlockingWork`), never on a cooperative one.
    static func waitForServer(_ output: FileHandle) async throws -> (port: Int?, log: String) {
        try await BlockingWork.run {
            var log = ""
            while true {
                let chunk = output.availableData  // blocks until the program writes (or exits)
                if chunk.isEmpty { return (nil, log) }
                log += String(decoding: chunk, as: UTF8.self)
                if let range = log.range(of: "Server started and listening on 127.0.0.1:") {
                    let digits = log[range.upperBound...].prefix { $0.isNumber }
                    if let port = Int(digits), log[range.upperBound...].dropFirst(digits.count).first != nil {
                        return (port, log)
                    }
                }
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func theGuidesServiceAnswers(_ backend: Backend) async throws {
        let database = try await TestDatabase.make(backend)
        TestTally.record(backend)
        try await database.run(Engine(url: database.url)) { _ in
            let program = try DocProgram(
                Self.binary,
                databaseURL: database.url.connectionString,
                environment: ["PORT": "0"]
            )
            defer { program.cleanUp() }
            let started = try await Self.waitForServer(program.output.fileHandleForReading)
            var log = started.log
            let port = try #require(started.port, "\(log)")
            let base = try #require(URL(string: "http://127.0.0.1:\(port)"))

            let created = try await Self.send(
                "POST",
                base.appendingPathComponent("authors"),
                json: #"{"name":"Ursula","email":"Ursula@Example.ORG"}"#
            )
            #expect(created.status == 201)
            #expect(created.body == #"{"id":1,"name":"Ursula","email":"Ursula@example.org"}"#)
            let book = try await Self.send(
                "POST",
                base.appendingPathComponent("authors/1/books"),
                json: #"{"title":"The Dispossessed","pages":387}"#
            )
            #expect(book.status == 201)
            #expect(book.body == #"{"id":1,"author_id":1,"title":"The Dispossessed","pages":387}"#)
            let invalid = try await Self.send(
                "POST",
                base.appendingPathComponent("authors/1/books"),
                json: #"{"title":"","pages":0}"#
            )
            #expect(invalid.status == 422)
            #expect(invalid.body.contains(#""type":"string_too_short","loc":["body","title"]"#), "\(invalid.body)")
            #expect(invalid.body.contains(#""type":"greater_than_equal","loc":["body","pages"]"#), "\(invalid.body)")
            let unknown = try await Self.send(
                "POST",
                base.appendingPathComponent("authors/9/books"),
                json: #"{"title":"X","pages":1}"#
            )
            #expect(unknown.status == 404 && unknown.body == #"{"detail":"Author not found"}"#)
            let duplicate = try await Self.send(
                "POST",
                base.appendingPathComponent("authors"),
                json: #"{"name":"U","email":"ursula@example.org"}"#
            )
            #expect(duplicate.status == 201, "local parts keep their case: \(duplicate.body)")
            let again = try await Self.send(
                "POST",
                base.appendingPathComponent("authors"),
                json: #"{"name":"U","email":"Ursula@EXAMPLE.org"}"#
            )
            #expect(again.status == 409, "the same address, normalised: \(again.body)")
            let books = try await Self.send("GET", base.appendingPathComponent("authors/1/books"))
            #expect(books.body == #"[{"id":1,"author_id":1,"title":"The Dispossessed","pages":387}]"#)
            let document = try await Self.send("GET", base.appendingPathComponent("openapi.json"))
            #expect(document.body.contains(#""maxLength":200"#) && document.body.contains(#""format":"email""#))

            program.process.terminate()  // SIGTERM: graceful shutdown
            log += try await program.finish()
            #expect(program.process.terminationStatus == 0, "\(log)")
        }
    }
}
