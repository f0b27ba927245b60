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

/// Waits (yielding, bounded) until `condition` holds; returns whether it did.
func eventually(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return try await condition()
}

final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func increment() { self.value.add(1, ordering: .relaxed) }
    var count: Int { self.value.load(ordering: .relaxed) }
}

struct HandlerFailure: Error {}

@Suite("Request sessions, background work and shutdown")
struct LifecycleTests {
    @Test(arguments: Backend.allCases)
    func requestSessionsAreAlwaysReleased(_ backend: Backend) async throws {
        let appName = "release-\(UUID().uuidString.prefix(8).lowercased())"
        try await withService(backend, cancelsOnClientDisconnect: true, applicationName: appName) { api, engine in
            let slowStarted = Counter()
            api.router.get("/test/throw") { _, context -> Response in
                let session = try context.db
                var ghost = User(name: "ghost", email: "ghost-\(UUID().uuidString)@example.com")
                try await session.insert(&ghost)
                throw HandlerFailure()
            }
            api.router.get("/test/slow") { _, context -> Response in
                let session = try context.db
                var slow = User(name: "slow", email: "slow-\(UUID().uuidString)@example.com")
                try await session.insert(&slow)  // a transaction is open from here
                slowStarted.increment()
                if backend == .postgres {
                    try await session.execute(SQL("SELECT pg_sleep(30)"))
                } else {
                    _ = try await session.scalar(
                        SQLQuery<Int>(
                            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c"
                        )
                    )
                }
                return Response(status: .ok)
            }
            let disconnects = 10
            _ = try await api.testApplication().test(.live) { client in
                let ada = try #require(
                    try await client.send(.post, "/users", json: #"{"name":"Ada","email":"ada@example.com"}"#).json?[
                        "id"
                    ]
                )
                var statuses: [Int: Int] = [:]
                for i in 0..<(1_000 - disconnects - 1) {
                    let response: TestResponse
                    switch i % 5 {
                    case 0: response = try await client.send(.get, "/test/throw")
                    case 1: response = try await client.send(.get, "/user/\(ada.serialized())/combined")
                    case 2: response = try await client.send(.get, "/user/\(100_000 + i)")
                    case 3:
                        response = try await client.send(
                            .post,
                            "/users",
                            json: #"{"name":"Dup","email":"ada@example.com"}"#
                        )
                    default: response = try await client.send(.get, "/user/abc")
                    }
                    statuses[response.status.code, default: 0] += 1
                    if i % 5 == 0 {
                        #expect(response.text == #"{"detail":"Internal Server Error"}"#, "no detail leaks")
                    }
                }
                #expect(statuses == [500: 198, 200: 198, 404: 198, 409: 198, 422: 197])

                // Clients that leave mid-request: half close their side, half reset.
                let port = try #require(client.port)
                for i in 0..<disconnects {
                    let before = slowStarted.count
                    let leaving = TestClient(host: "127.0.0.1", port: port)
                    leaving.connect()
                    try await leaving.executeAndDontWaitForResponse(
                        .init("/test/slow", method: .get, authority: "127.0.0.1")
                    )
                    #expect(await eventually { slowStarted.count > before })
                    try await leaving.close(mode: i % 2 == 0 ? .output : .all)
                }
            }
            #expect(
                await eventually {
                    engine.poolStatistics.leased == 0 && (engine.readerPoolStatistics?.leased ?? 0) == 0
                },
                "leased: \(engine.poolStatistics) readers: \(String(describing: engine.readerPoolStatistics))"
            )
            #expect(
                try await engine.scalar(select(count(), from: User.self)) == 1,
                "nothing a failed or abandoned request wrote was committed"
            )
            if backend == .postgres {
                let observer = try await TestDatabase.observer()
                let lingering = SQLQuery<Int>(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = \(appName) AND (state = 'idle in transaction' OR (state = 'active' AND query LIKE '%pg_sleep%'))"
                )
                #expect(
                    try await eventually { try await observer.scalar(lingering) == 0 },
                    "a session was left in a transaction or still querying"
                )
                await observer.shutdown()
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func statsStayExactUnderConcurrentWrites(_ backend: Backend) async throws {
        try await withService(backend) { api, engine in
            let background = api.background
            _ = try await api.testApplication().test(.live) { client in
                let userID = try #require(
                    try await client.send(.post, "/users", json: #"{"name":"Busy","email":"busy@example.com"}"#).json?[
                        "id"
                    ]
                ).serialized()
                let port = try #require(client.port)
                // 50 clients create 500 posts, then delete 100 of them.
                let postIDs = try await withThrowingTaskGroup(of: [String].self) { group in
                    for c in 0..<50 {
                        group.addTask {
                            let own = TestClient(host: "127.0.0.1", port: port)
                            own.connect()
                            var ids: [String] = []
                            for p in 0..<10 {
                                let response = try await own.request(
                                    .post,
                                    "/user/\(userID)/posts",
                                    headers: [.contentType: "application/json"],
                                    body: ByteBuffer(string: #"{"title":"c\#(c) p\#(p)","body":"x"}"#)
                                )
                                #expect(response.status == .created)
                                if let id =
                                    (try? JSONValue.parse(Data((response.body ?? ByteBuffer()).readableBytesView)))?[
                                        "id"
                                    ]
                                {
                                    ids.append(id.serialized())
                                }
                            }
                            try await own.shutdown()
                            return ids
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(postIDs.count == 500)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for c in 0..<50 {
                        let mine = Array(postIDs[(c * 2)..<(c * 2 + 2)])
                        group.addTask {
                            let own = TestClient(host: "127.0.0.1", port: port)
                            own.connect()
                            for id in mine {
                                let response = try await own.request(.delete, "/posts/\(id)")
                                #expect(response.status == .noContent)
                            }
                            try await own.shutdown()
                        }
                    }
                    try await group.waitForAll()
                }
                await background.waitUntilIdle()
                let stats = try await client.send(.get, "/user/\(userID)/stats").json
                let trueCount = try await engine.scalar(select(count(), from: Post.self))
                let lastPost = try await engine.scalar(select(max(Post.Columns.createdAt), from: Post.self))
                #expect(trueCount == 400)
                #expect(stats?["post_count"] == .int(trueCount))
                #expect(stats?["last_post_at"] == lastPost.map(JSONValue.timestamp))
            }
        }
    }
}
