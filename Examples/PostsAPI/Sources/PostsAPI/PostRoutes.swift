import Foundation
import HTTPTypes
import Quarry
import QuarryHummingbird

/// Creating, reading and deleting posts.
enum PostRoutes {
    static let postNotFound = DetailError(.notFound, "Post not found")

    static func register<Context: DatabaseRequestContext>(on routes: inout APIRoutes<Context>, stats: StatsRefresher) {
        routes.post(
            "/user/{user_id}/posts",
            summary: "Create a post for a user",
            input: UserScoped<PostCreate>.self,
            errors: [.notFound, .contentTooLarge]
        ) { request, context in
            let userID = request.input.userID
            let session = try context.db
            guard try await session.get(User.self, id: userID) != nil else { throw UserRoutes.userNotFound }
            var post = Post(userId: userID, title: request.input.body.title, body: request.input.body.body)
            do {
                try await session.insert(&post)
                try await session.commit()
            } catch DatabaseError.foreignKeyViolation {
                // The user was deleted between the check above and the insert.
                throw UserRoutes.userNotFound
            }
            stats.refresh(userID: userID)
            return post
        }

        routes.get("/posts/{post_id}", summary: "Read a post", input: PostID.self, errors: [.notFound]) {
            request,
            context in
            guard let post = try await context.db.get(Post.self, id: request.input.postID) else {
                throw Self.postNotFound
            }
            return post
        }

        routes.delete("/posts/{post_id}", summary: "Delete a post", input: PostID.self, errors: [.notFound]) {
            request,
            context in
            let session = try context.db
            guard let post = try await session.get(Post.self, id: request.input.postID) else { throw Self.postNotFound }
            try session.delete(post)
            try await session.commit()
            stats.refresh(userID: post.userId)
            return NoContent()
        }
    }
}
