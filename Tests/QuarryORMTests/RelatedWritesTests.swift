import Foundation
import Quarry
import QuarryTesting
import Testing

/// A parent inserted with its new children (save-update), and a parent's children replaced, the
/// ones left out deleted (delete-orphan).
@Suite("Writes through relations")
struct RelatedWritesTests {
    @Test(arguments: Backend.allCases)
    func aParentWithNewChildrenAndOrphansDeleted(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(User.self, Post.self)
            let (ada, stored) = try await engine.withSession { session in
                var ada = User(name: "Ada", email: "ada@example.com")
                var posts = (1...3).map { Post(userId: 0, title: "p\($0)") }
                let before = recorder.statements.count
                try await session.insert(&ada, children: &posts, through: User.posts)
                // The parent, then the children in one statement (BEGIN aside).
                #expect(recorder.statements.dropFirst(before).filter { $0.hasPrefix("INSERT") }.count == 2)
                try await session.commit()
                return (ada, posts)
            }
            #expect(ada.id != nil)
            #expect(stored.allSatisfy { $0.userId == ada.id! && $0.id != nil })
            #expect(try await engine.all(select(Post.self).orderBy(\.id)) == stored)

            // Replace the children: the first left out (deleted), the second renamed, one added.
            let other = try await engine.one(insert(User(name: "B", email: "b@example.com")).returning())
            let theirs = try await engine.one(insert(Post(userId: other.id!, title: "theirs")).returning())
            try await engine.withSession { session in
                var posts = try await session.scalars(select(Post.self).where(\.userId == ada.id!).orderBy(\.id))
                posts.removeFirst()
                posts[0].title = "p2 renamed"
                posts.append(Post(userId: 0, title: "p4"))
                try await session.replaceChildren(of: ada, through: User.posts, with: posts)
                try await session.commit()
            }
            let now = try await engine.all(select(Post.self).where(\.userId == ada.id!).orderBy(\.id))
            #expect(now.map(\.title) == ["p2 renamed", "p3", "p4"])
            #expect(try await engine.oneOrNone(select(Post.self).where(\.id == stored[0].id!)) == nil)
            // The other user's post is untouched, and cannot be adopted by a replace.
            #expect(try await engine.one(select(Post.self).where(\.id == theirs.id!)) == theirs)
            try await engine.withSession { session in
                await #expect(throws: CompileError.self) {
                    try await session.replaceChildren(of: ada, through: User.posts, with: now + [theirs])
                }
                await session.rollback()
            }
            // An empty list deletes every child.
            try await engine.withSession { session in
                try await session.replaceChildren(of: ada, through: User.posts, with: [])
                try await session.commit()
            }
            #expect(try await engine.scalar(select(count(), from: Post.self).where(\.userId == ada.id!)) == 0)
            #expect(try await engine.scalar(select(count(), from: Post.self)) == 1)
        }
    }
}
