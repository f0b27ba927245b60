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

extension NestedLoadingTests {
    /// Several relations on one query (one statement each), and a many-to-many relation inside a
    /// nested load (users → posts → tags), equal to hand-written joins.
    @Test(arguments: Backend.allCases)
    func severalRelationsOnOneQueryAndManyToManyInsideANestedLoad(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self, Post.self, Comment.self, Tag.self, PostTag.self)
            let users = try await engine.all(
                insert((0..<6).map { User(name: "u\($0)", email: "u\($0)@example.com") }).returning()
            )
            let tags = try await engine.all(insert((0..<4).map { Tag(label: "t\($0)") }).returning())
            var posts: [Post] = []
            for (i, user) in users.enumerated() {
                for n in 0..<(i % 3) { posts.append(Post(userId: user.id!, title: "p\(i).\(n)")) }
            }
            let stored = try await engine.all(insert(posts).returning())
            var comments: [Comment] = []
            var links: [PostTag] = []
            for (i, post) in stored.enumerated() {
                for n in 0..<(i % 3) { comments.append(Comment(postId: post.id!, text: "c\(n)")) }
                for n in 0..<(i % 4) { links.append(PostTag(postId: post.id!, tagId: tags[n].id!)) }
            }
            try await engine.execute(insert(comments))
            try await engine.execute(insert(links))

            // Comments, tags and each post's first comment, on one query: four statements.
            let before = recorder.statements.count
            let loaded = try await engine.all(
                select(Post.self).orderBy(\.id)
                    .including(all: Post.comments)
                    .including(all: Post.tags)
                    .including(all: Post.comments.orderBy(Comment.Columns.id.desc).first(1))
            )
            #expect(recorder.statements.count - before == 4)
            #expect(loaded.count == stored.count)
            for (index, (post, postComments, postTags, lastComment)) in loaded.enumerated() {
                #expect(post == stored[index])
                #expect(postComments.count == index % 3)
                #expect(postComments.allSatisfy { $0.postId == post.id })
                #expect(postTags.map(\.label) == tags.prefix(index % 4).map(\.label))
                #expect(lastComment.map(\.id) == postComments.last.map { [$0.id] } ?? [])
            }
            // The same rows as loading each relation alone.
            let commentsAlone = try await engine.all(select(Post.self).orderBy(\.id).including(all: Post.comments))
            let tagsAlone = try await engine.all(select(Post.self).orderBy(\.id).including(all: Post.tags))
            #expect(loaded.map { $0.1 } == commentsAlone.map(\.children))
            #expect(loaded.map { $0.2 } == tagsAlone.map(\.children))
            // A many-to-many first, then a has-many.
            let mixed = try await engine.all(
                select(Post.self).orderBy(\.id).including(all: Post.tags).including(all: Post.comments)
            )
            #expect(mixed.map { $0.1 } == tagsAlone.map(\.children))

            // users → posts → tags: three statements, equal to a four-table join.
            let nestedStart = recorder.statements.count
            let graph = try await engine.all(
                select(User.self).orderBy(\.id).including(all: User.posts, then: Post.tags)
            )
            #expect(recorder.statements.count - nestedStart == 3)
            let triples = graph.flatMap { user in
                user.children.flatMap { post in
                    post.children.map { "\(user.parent.id!)/\(post.parent.id!)/\($0.label)" }
                }
            }
            let joined = try await engine.all(
                SQL(
                    unsafeRaw: """
                        SELECT u.id, p.id, t.label FROM users u JOIN posts p ON p.user_id = u.id
                        JOIN post_tags pt ON pt.post_id = p.id JOIN tags t ON t.id = pt.tag_id ORDER BY u.id, p.id, t.id
                        """
                ).readOnly()
            ).map {
                "\(try $0.decode(Int64.self, at: 0))/\(try $0.decode(Int64.self, at: 1))/\(try $0.decode(String.self, at: 2))"
            }
            #expect(!triples.isEmpty)
            #expect(triples == joined)

            // In a session's gather too.
            let (gathered, total) = try await engine.withSession { session in
                try await session.gather(
                    select(Post.self).orderBy(\.id).including(all: Post.comments).including(all: Post.tags).all(),
                    select(count(), from: Post.self).one()
                )
            }
            #expect(gathered.map { $0.2 } == tagsAlone.map(\.children))
            #expect(total == Int64(stored.count))
        }
    }
}
