import Foundation
import Quarry
import QuarryTesting
import Testing

extension Post {
    static let comments = HasMany<Post, Comment>(\.postId)
}

/// Nested, filtered, ordered and first-N relation loads (issue 18).
@Suite("Nested and filtered loading")
struct NestedLoadingTests {
    /// users → posts → comments in three statements, equal to a hand-written three-table join;
    /// the posts filtered, newest first, at most one per user.
    @Test(arguments: Backend.allCases)
    func threeLevelsLoadInThreeStatementsAndMatchAJoin(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self, Post.self, Comment.self)
            let users = try await engine.all(
                insert((0..<20).map { User(name: "u\($0)", email: "u\($0)@example.com") }).returning()
            )
            var posts: [Post] = []
            for (i, user) in users.enumerated() {
                for n in 0..<(i % 4) {
                    posts.append(Post(userId: user.id!, title: n % 2 == 0 ? "draft \(n)" : "post \(n)"))
                }
            }
            let stored = try await engine.all(insert(posts).returning())
            var comments: [Comment] = []
            for (i, post) in stored.enumerated() {
                for n in 0..<(i % 3) { comments.append(Comment(postId: post.id!, text: "c\(n) on \(post.title)")) }
            }
            try await engine.execute(insert(comments))

            let before = recorder.statements.count
            let loaded = try await engine.all(
                select(User.self).orderBy(\.id).including(all: User.posts, then: Post.comments)
            )
            #expect(recorder.statements.count - before == 3)
            let triples = loaded.flatMap { user in
                user.children.flatMap { post in post.children.map { "\(user.parent.id!)/\(post.parent.id!)/\($0.id!)" }
                }
            }
            let joined = try await engine.all(
                SQL(
                    unsafeRaw:
                        "SELECT u.id, p.id, c.id FROM users u JOIN posts p ON p.user_id = u.id JOIN comments c ON c.post_id = p.id ORDER BY u.id, p.id, c.id"
                ).readOnly()
            ).map {
                "\(try $0.decode(Int64.self, at: 0))/\(try $0.decode(Int64.self, at: 1))/\(try $0.decode(Int64.self, at: 2))"
            }
            #expect(triples == joined)
            #expect(loaded.map(\.children.count) == (0..<20).map { $0 % 4 })

            // Only published posts, newest first, at most one per user; both strategies agree
            // where they can (the join strategy ranks with selectIn when a limit is set).
            let published = User.posts.where(Post.Columns.title.like("post%")).orderBy(Post.Columns.id.desc)
            let firstOne = try await engine.all(select(User.self).orderBy(\.id).including(all: published.first(1)))
            let all = try await engine.all(select(User.self).orderBy(\.id).including(all: published, using: .join))
            for (limited, full) in zip(firstOne, all) {
                #expect(full.children.allSatisfy { $0.title.hasPrefix("post") })
                #expect(full.children.compactMap(\.id) == full.children.compactMap(\.id).sorted(by: >))
                #expect(limited.children.map(\.id) == Array(full.children.prefix(1)).map(\.id))
            }
            #expect(all.map(\.children.count) == (0..<20).map { ($0 % 4) / 2 })
        }
    }
}
