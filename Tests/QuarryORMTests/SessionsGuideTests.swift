// swift-format-ignore-file
// docs/sessions.md shows lines of this file verbatim (DocCodeBlockTests checks it): it keeps its own layout.
import Foundation
import Quarry
import QuarryTesting
import Testing

/// The examples of docs/sessions.md, compiled and run here; a test checks the guide's code blocks
/// are copied from this folder's sources, so the guide cannot drift from code that works.
@Suite("docs/sessions.md examples")
struct SessionsGuideTests {
    @Test(arguments: Backend.allCases)
    func guideExamplesRun(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await Migrator([Migration("001_schema") { db in try await db.createAll(User.self, Post.self) }]).migrate(engine)

            // A session, its unit of work and a commit.
            let id = try await engine.withSession { session in
                var ada = User(name: "Ada", email: "ada@example.com")
                try await session.insert(&ada)                  // INSERT … RETURNING: ada.id is set
                try session.add(Post(userId: ada.id!, title: "Notes", body: "…"))
                try await session.commit()                      // flush + COMMIT
                return ada.id!
            }

            // Reading: get, scalars, scalarOneOrNone.
            try await engine.withSession { session in
                let user = try await session.get(User.self, id: id)         // nil when missing
                let posts = try await session.scalars(select(Post.self).where(\.userId == id).orderBy(\.id))
                let byEmail = try await session.scalarOneOrNone(select(User.self).where(\.email == "ada@example.com"))
                #expect(user?.name == "Ada" && posts.count == 1 && byEmail?.id == id)
            }

            // Changing a loaded row writes only what changed.
            try await engine.withSession { session in
                var user = try await session.get(User.self, id: id)!
                user.name = "Ada Lovelace"
                try session.update(user)                        // UPDATE "users" SET "name" = … WHERE "id" = …
                try await session.commit()
            }

            // Concurrent queries on one session: the tutorial's /combined, done right.
            try await engine.withSession { session in
                let (user, posts) = try await session.gather(
                    select(User.self).where(\.id == id).oneOrNone(),
                    select(Post.self).where(\.userId == id).orderBy(\.id).all())
                #expect(user?.name == "Ada Lovelace" && posts.count == 1)
            }

            // Transactions and savepoints.
            try await engine.withSession { session in
                try await session.withTransaction {
                    var bob = User(name: "Bob", email: "bob@example.com")
                    try await session.insert(&bob)
                    try? await session.withSavepoint {
                        var clash = User(name: "Clash", email: "bob@example.com")
                        try await session.insert(&clash)        // unique violation: only this part is undone
                    }
                }                                               // commits Bob
            }

            // Retrying a serializable transaction.
            try await engine.withTransaction(isolation: .serializable, retries: 5) { tx in
                let n = try await tx.scalar(select(count(), from: User.self))
                try await tx.execute(update(User.self).set(\.name, to: "Ada (\(n) users)").where(\.id == id))
            }

            // Loading relations explicitly.
            let authors = try await engine.all(select(User.self).orderBy(\.id).including(all: User.posts))
            let withAuthor = try await engine.all(select(Post.self).including(required: Post.author))
            #expect(authors.first?.children.count == 1 && withAuthor.first?.parent.id == id)
        }
    }
}
