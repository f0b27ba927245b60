import Foundation
import Quarry
import QuarryTesting
import Testing

@Table("tags")
struct Tag: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.unique) var label: String
}

/// The association, with a column of its own.
@Table("post_tags")
struct PostTag: Sendable, Equatable {
    @Column(.primaryKey, .references(Post.self), .onDelete(.cascade)) var postId: Int64
    @Column(.primaryKey, .references(Tag.self), .onDelete(.cascade)) var tagId: Int64
    var addedBy: String = "editor"
}

extension Post {
    static let tags = ManyToMany<Post, PostTag, Tag>(\.postId, \.tagId)
}

extension Tag {
    static let posts = ManyToMany<Tag, PostTag, Post>(\.tagId, \.postId)
}

@Suite("Many-to-many")
struct ManyToManyTests {
    /// 100 posts, each with two of ten tags: loaded in two statements, equal to a hand-written join.
    @Test(arguments: Backend.allCases)
    func aTagGraphLoadsInTwoStatements(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self, Post.self, Tag.self, PostTag.self)
            let author = try await engine.one(insert(User(name: "A", email: "a@example.com")).returning())
            let tags = try await engine.all(insert((0..<10).map { Tag(label: "t\($0)") }).returning())
            let posts = try await engine.all(
                insert((0..<100).map { Post(userId: author.id!, title: "p\($0)", body: "") }).returning()
            )
            var links: [PostTag] = []
            for (i, post) in posts.enumerated() {
                links.append(PostTag(postId: post.id!, tagId: tags[i % 10].id!))
                links.append(PostTag(postId: post.id!, tagId: tags[(i + 3) % 10].id!))
            }
            try await engine.execute(insert(links))

            let before = recorder.statements.count
            let loaded = try await engine.withSession { session in
                try await session.all(select(Post.self).orderBy(\.id).including(all: Post.tags))
            }
            #expect(recorder.statements.count - before == 2)
            #expect(loaded.count == 100)
            #expect(loaded.allSatisfy { $0.children.count == 2 })
            let pairs = loaded.flatMap { post in post.children.map { "\(post.parent.id!)-\($0.label)" } }.sorted()
            let joined = try await engine.all(
                SQL(
                    unsafeRaw:
                        "SELECT p.id, t.label FROM posts p JOIN post_tags pt ON pt.post_id = p.id JOIN tags t ON t.id = pt.tag_id"
                ).readOnly()
            ).map { "\(try $0.decode(Int64.self, at: 0))-\(try $0.decode(String.self, at: 1))" }.sorted()
            #expect(pairs == joined)

            // The other direction, filtered parents: every tag of the first three, with its 20 posts.
            let byTag = try await engine.all(
                select(Tag.self).where(Tag.Columns.label.in(["t0", "t1", "t2"])).orderBy(\.id).including(all: Tag.posts)
            )
            #expect(byTag.map(\.children.count) == [20, 20, 20])

            // Counting a relation without loading it: one statement.
            let counted = recorder.statements.count
            let authors = try await engine.all(select(User.self).counting(User.posts))
            #expect(recorder.statements.count - counted == 1)
            #expect(authors.map(\.1) == [100])
        }
    }
}
