import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import PostsAPI
import Quarry
import QuarryHummingbird
import QuarryTesting
import Synchronization
import Testing

/// The `posts-api` binary built next to the tests: SwiftPM puts a package's executables beside its
/// test bundle, in whichever build directory it builds (scripts/ build the service in the root's).
func postsAPIBinary() -> URL {
    let testBundle =
        Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL
        ?? Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    return testBundle.deletingLastPathComponent().appendingPathComponent("posts-api")
}

/// Collects a child process's standard error.
final class OutputCollector: Sendable {
    private let text = Mutex("")
    func append(_ data: Data) { self.text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
    var value: String { self.text.withLock { $0 } }
}

@Suite("Graceful shutdown of the posts-api process")
struct ShutdownTests {
    @Test(arguments: Backend.allCases)
    func sigtermFinishesInFlightRequestsAndBackgroundWork(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let process = Process()
            process.executableURL = postsAPIBinary()
            process.arguments = [
                "serve", "--port", "0", "--debug-routes", "--database-url", engine.url.connectionString, "--log-level",
                "notice",
            ]
            let stderr = Pipe()
            process.standardError = stderr
            process.standardOutput = FileHandle.nullDevice
            let output = OutputCollector()
            stderr.fileHandleForReading.readabilityHandler = { output.append($0.availableData) }
            try process.run()
            defer { if process.isRunning { process.terminate() } }

            #expect(
                await eventually { output.value.contains("posts-api listening") },
                "server did not start: \(output.value)"
            )
            let port = try #require(
                output.value.firstMatch(of: /url=http:\/\/127\.0\.0\.1:(\d+)/).flatMap { Int($0.1) }
            )
            let client = TestClient(host: "127.0.0.1", port: port)
            client.connect()
            let created = try await client.request(
                .post,
                "/users",
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Ada","email":"ada@example.com"}"#)
            )
            let userID = try #require(created.body.flatMap { try? JSONValue.parse(Data($0.readableBytesView))["id"] })
                .serialized()
            try await client.shutdown()

            // 20 slow writes in flight, each on its own connection.
            let inFlight = 20
            async let statuses: [UInt16] = withThrowingTaskGroup(of: UInt16.self) { group in
                for _ in 0..<inFlight {
                    group.addTask {
                        let own = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(30)))
                        own.connect()
                        let response = try await own.request(.post, "/debug/slow-post/\(userID)?ms=1500")
                        try? await own.shutdown()
                        return UInt16(response.status.code)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(
                await eventually {
                    output.value.components(separatedBy: "debug slow request started").count - 1 == inFlight
                }
            )
            kill(process.processIdentifier, SIGTERM)

            // New connections are refused while the in-flight requests finish.
            #expect(
                await eventually {
                    let probe = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(2)))
                    probe.connect()
                    do {
                        _ = try await probe.request(.get, "/health")
                        try? await probe.shutdown()
                        return false
                    } catch {
                        try? await probe.shutdown()
                        return true
                    }
                },
                "the server still accepted connections after SIGTERM"
            )

            let results = try await statuses
            #expect(results == [UInt16](repeating: 201, count: inFlight), "every in-flight request completed")
            #expect(await eventually(timeout: .seconds(30)) { !process.isRunning })
            #expect(
                process.terminationReason == .exit && process.terminationStatus == 0,
                "exit status \(process.terminationStatus)\n\(output.value)"
            )

            // Everything the requests wrote, and the background work they scheduled, is there.
            #expect(try await engine.scalar(select(count(), from: Post.self)) == inFlight)
            let stats = try await engine.oneOrNone(select(UserStats.self))
            #expect(stats?.postCount == Int64(inFlight), "background work ran before the process exited")
        }
    }
}
