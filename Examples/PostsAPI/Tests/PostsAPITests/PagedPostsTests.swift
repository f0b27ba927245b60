import Foundation
import Hummingbird
import HummingbirdTesting
import Quarry
import QuarryHummingbird
import QuarryTesting
import Testing

@testable import PostsAPI

/// A user's posts are read and sent a page at a time (`UserRoutes.postsPageSize`): a list longer
/// than a page is chunked, yet the client gets every post once, in id order, in the same JSON as a
/// short list.
@Suite("Paged post lists")
struct PagedPostsTests {
    static let cases: [(Backend, Transport)] = Backend.allCases.flatMap { b in Transport.allCases.map { (b, $0) } }

    @Test(arguments: cases)
    func everyPostOnceInOrderAcrossPageBoundaries(_ backend: Backend, _ transport: Transport) async throws {
        try await withService(backend, sandboxed: true) { api, engine in
            // Up to a page is one buffer; one more post makes two pages; exactly two pages, and
            // two and a half.
            let page = UserRoutes.postsPageSize
            var users: [(id: Int64, posts: Int)] = []
            for count in [0, page, page + 1, 2 * page, 2 * page + page / 2] {
                let user = try await engine.one(
                    insert(User(name: "n\(count)", email: "n\(count)@example.com")).returning()
                )
                let posts = (0..<count).map { Post(userId: user.id!, title: "post \($0)", body: "body \"\($0)\"\n") }
                if !posts.isEmpty { try await engine.execute(insert(posts)) }
                users.append((user.id!, count))
            }
            let created = users
            _ = try await api.testApplication().test(transport.setup) { client in
                for (id, count) in created {
                    let expected = try await engine.all(select(Post.self).where(\.userId == id).orderBy(\.id))
                    let expectedJSON = JSONValue.array(expected.map(Self.json))
                    let list = try await client.send(.get, "/user/\(id)/posts")
                    #expect(list.status == .ok)
                    #expect(list.json == expectedJSON, "\(count) posts")
                    let chunked = count > page
                    #expect((list.headers[.contentLength] == nil) == chunked, "\(count) posts: \(list.headers)")

                    let combined = try await client.send(.get, "/user/\(id)/combined")
                    #expect(combined.status == .ok)
                    #expect(combined.json?["posts"] == expectedJSON, "\(count) posts")
                    #expect(combined.json?["user"]?["id"] == .int(id))
                    guard case .object(let fields)? = combined.json else {
                        Issue.record("not an object")
                        continue
                    }
                    #expect(fields.map(\.0) == ["user", "posts"])
                }
            }
        }
    }

    static func json(_ post: Post) -> JSONValue {
        .object([
            ("id", .int(post.id!)), ("user_id", .int(post.userId)), ("title", .string(post.title)),
            ("body", .string(post.body)),
            ("created_at", .timestamp(post.createdAt)),
        ])
    }
}
