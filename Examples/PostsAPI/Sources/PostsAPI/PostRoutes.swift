import Foundation
import Hummingbird
import Quarry
import QuarryHummingbird

/// Creating, reading and deleting posts.
enum PostRoutes {
    static func register<Context: DatabaseRequestContext>(on table: inout RouteTable<Context>, stats: StatsRefresher) {
        table.add(
            APIRoute(
                method: .post,
                path: "/user/{user_id}/posts",
                summary: "Create a post for a user",
                parameters: [.path("user_id")],
                requestBody: Schema.ref("PostCreate"),
                responses: [.created(Schema.ref("Post")), .notFound("User"), .tooLarge, .invalid]
            )
        ) { request, context in
            let userID = try Validate.pathID("user_id", context)
            var fields = BodyFields(try await Validate.bodyObject(request, context))
            let title = fields.string("title", required: true, maxLength: 300)
            let body = fields.string("body", required: true, minLength: 0, maxLength: 100_000)
            try fields.check()
            let session = try context.db
            guard try await session.get(User.self, id: userID) != nil else {
                throw DetailError(.notFound, "User not found")
            }
            var post = Post(userId: userID, title: title!, body: body!)
            try await session.insert(&post)
            try await session.commit()
            stats.refresh(userID: userID)
            return JSONResponse(.created, post.json)
        }

        table.add(
            APIRoute(
                method: .get,
                path: "/posts/{post_id}",
                summary: "Read a post",
                parameters: [.path("post_id")],
                responses: [.ok(Schema.ref("Post")), .notFound("Post"), .invalid]
            )
        ) { _, context in
            let id = try Validate.pathID("post_id", context)
            guard let post = try await context.db.get(Post.self, id: id) else {
                throw DetailError(.notFound, "Post not found")
            }
            return JSONResponse(.ok, post.json)
        }

        table.add(
            APIRoute(
                method: .delete,
                path: "/posts/{post_id}",
                summary: "Delete a post",
                parameters: [.path("post_id")],
                responses: [.noContent, .notFound("Post"), .invalid]
            )
        ) { _, context in
            let id = try Validate.pathID("post_id", context)
            let session = try context.db
            guard let post = try await session.get(Post.self, id: id) else {
                throw DetailError(.notFound, "Post not found")
            }
            try session.delete(post)
            try await session.commit()
            stats.refresh(userID: post.userId)
            return JSONResponse(.noContent, .null)
        }
    }
}
