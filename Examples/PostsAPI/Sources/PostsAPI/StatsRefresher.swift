import Foundation
import Quarry
import QuarryHummingbird

/// Keeps `user_stats` equal to the truth: after each post change, background work recounts the
/// user's posts in a serializable transaction (retried on conflicts), so concurrent refreshes
/// cannot overwrite a newer count with an older one.
struct StatsRefresher: Sendable {
    let background: BackgroundWork

    func refresh(userID: Int64) {
        self.background.schedule("refresh user_stats", isolation: .serializable) { session in
            guard try await session.get(User.self, id: userID) != nil else { return }
            let (count, last) = try await session.gather(
                select(count(), from: Post.self).where(\.userId == userID).scalar(),
                select(max(Post.Columns.createdAt), from: Post.self).where(\.userId == userID).scalar()
            )
            do {
                try await session.execute(
                    insert(UserStats(userId: userID, postCount: count, lastPostAt: last)).onConflict(\.userId)
                        .doUpdateAll()
                )
            } catch DatabaseError.foreignKeyViolation {
                // The user was deleted meanwhile (the delete holds the user row until it commits):
                // there is nothing left to count.
                return
            }
        }
    }
}
