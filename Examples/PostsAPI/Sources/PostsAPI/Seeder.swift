import Foundation
public import Quarry

/// Deterministic demo data: users `user{n}@example.com` and their posts, inserted in batches of
/// one transaction each. Seeding twice adds nothing (existing emails are skipped).
public struct Seeder: Sendable {
    /// Users to create.
    public var users: Int
    /// Posts per user (the maximum when `vary`).
    public var postsPerUser: Int
    /// Give user `u` exactly `u % (postsPerUser + 1)` posts.
    public var vary: Bool

    /// Creates a seeder.
    public init(users: Int, postsPerUser: Int, vary: Bool = false) {
        self.users = users
        self.postsPerUser = postsPerUser
        self.vary = vary
    }

    /// Inserts the data, reporting `(usersDone, usersTotal)` after each batch.
    /// - Returns: The number of rows inserted.
    /// - Throws: `DatabaseError`.
    @discardableResult
    public func run(on engine: Engine, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        let batch = 500
        var inserted = 0
        let base = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01T00:00:00Z
        let filler = String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", count: 4).prefix(
            200
        )
        for start in stride(from: 1, through: max(self.users, 1), by: batch) where self.users > 0 {
            let end = min(self.users, start + batch - 1)
            inserted += try await engine.withTransaction { tx in
                var rows = 0
                let people = (start...end).map {
                    User(
                        name: "User \($0)",
                        email: "user\($0)@example.com",
                        createdAt: base.addingTimeInterval(Double($0) * 60 + 0.007920)
                    )
                }
                let created = try await tx.all(insert(people).onConflict(\.email).doNothing().returning())
                rows += created.count
                var posts: [Post] = []
                for user in created {
                    let n = Int(user.email.dropFirst(4).prefix { $0.isNumber }) ?? 0
                    let count = self.vary ? n % (self.postsPerUser + 1) : self.postsPerUser
                    for p in 0..<count {
                        posts.append(
                            Post(
                                userId: user.id!,
                                title: "Post \(p + 1) by user \(n)",
                                body: String(filler),
                                createdAt: user.createdAt.addingTimeInterval(Double(p + 1))
                            )
                        )
                    }
                }
                for chunk in stride(from: 0, to: posts.count, by: 1_000) {
                    rows += try await tx.execute(insert(Array(posts[chunk..<min(posts.count, chunk + 1_000)])))
                }
                return rows
            }
            progress(end, self.users)
        }
        return inserted
    }
}
