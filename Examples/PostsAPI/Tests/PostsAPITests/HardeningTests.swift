import Foundation
import Hummingbird
import HummingbirdTesting
import PostsAPI
import Quarry
import QuarryHummingbird
import QuarryTesting
import Testing

/// Regressions of the outside attack (issue 14) that live in the service.
@Suite("Service hardening")
struct HardeningTests {
    /// Regression: on PostgreSQL 37 of 100 create-user / add-post / delete runs answered 409,
    /// because the background stats refresh re-inserted `user_stats` between the delete's
    /// statements; with posts being added concurrently 9 of 10 deletes answered 409 and the posts
    /// 409 instead of 404.
    @Test(arguments: Backend.allCases)
    func deletesAreCorrectUnderConcurrentPostsAndBackgroundRefreshes(_ backend: Backend) async throws {
        try await withService(backend) { api, engine in
            // In memory, so the posters and the delete really run at once.
            _ = try await api.testApplication().test(.router) { client in
                for i in 0..<60 {
                    let user = try #require(
                        try await client.send(.post, "/users", json: #"{"name":"S","email":"seq\#(i)@example.com"}"#)
                            .json?["id"]
                    ).serialized()
                    let posted = try await client.send(.post, "/user/\(user)/posts", json: #"{"title":"t","body":"b"}"#)
                    #expect(posted.status == .created)
                    let deleted = try await client.send(.delete, "/user/\(user)")
                    #expect(deleted.status == .noContent, "run \(i): \(deleted.text)")
                }
                for i in 0..<5 {
                    let user = try #require(
                        try await client.send(.post, "/users", json: #"{"name":"C","email":"conc\#(i)@example.com"}"#)
                            .json?["id"]
                    ).serialized()
                    let statuses = try await withThrowingTaskGroup(of: [HTTPResponse.Status].self) { group in
                        for _ in 0..<4 {
                            group.addTask {
                                var seen: [HTTPResponse.Status] = []
                                // Post until the user is gone: the last answer is the 404.
                                while seen.last != .notFound, seen.count < 500 {
                                    seen.append(
                                        try await client.send(
                                            .post,
                                            "/user/\(user)/posts",
                                            json: #"{"title":"t","body":"b"}"#
                                        ).status
                                    )
                                }
                                return seen
                            }
                        }
                        group.addTask {
                            [try await client.send(.delete, "/user/\(user)").status]
                        }
                        return try await group.reduce(into: []) { $0 += $1 }
                    }
                    #expect(statuses.contains(.noContent), "the delete answered \(statuses.filter { $0 != .created })")
                    #expect(
                        statuses.allSatisfy { [.created, .notFound, .noContent].contains($0) },
                        "\(Set(statuses.map(\.code)))"
                    )
                }
            }
            await api.background.waitUntilIdle()
            let orphans = try await engine.scalar(
                SQLQuery<Int>(
                    "SELECT (SELECT count(*) FROM posts p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id)) + (SELECT count(*) FROM user_stats s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id))"
                )
            )
            #expect(orphans == 0)
            #expect(try await engine.scalar(select(count(), from: User.self)) == 0)
        }
    }

    /// Regression: HEAD, PUT and OPTIONS on existing paths answered 404.
    @Test(arguments: Backend.allCases)
    func aKnownPathWithAnotherMethodIs405WithAllow(_ backend: Backend) async throws {
        try await withService(backend) { api, _ in
            _ = try await api.testApplication().test(.router) { client in
                let put = try await client.send(.put, "/user/1")
                #expect(put.status == .methodNotAllowed)
                #expect(put.headers[.allow] == "GET, PATCH, DELETE")
                #expect(put.text == #"{"detail":"Method Not Allowed"}"#)
                #expect(try await client.send(.head, "/users").headers[.allow] == "GET, POST")
                #expect(try await client.send(.put, "/nowhere").status == .notFound)
            }
        }
    }
}
