import Foundation
import Hummingbird
import Quarry
import QuarryHummingbird

/// `/users`, `/user/{user_id}` and the user's posts, combined view and stats.
enum UserRoutes {
    /// Posts per page of a user's post list: the list is read and sent a page at a time, so a
    /// user with thousands of posts costs one page of server memory (see ``PagedJSONArray``).
    /// The size was chosen by measurement (docs/benchmarks.md, "Posts scaling").
    static let postsPageSize = 50

    /// One read of a user's posts in id order, the first or those after post `after`: a page and
    /// one more post, which tells whether another page follows.
    static func postsPage(of userID: Int64, after: Int64? = nil) -> Select<Post, Post> {
        let posts = select(Post.self).where(\.userId == userID)
        return (after.map { posts.where(\.id > $0) } ?? posts).orderBy(\.id).limit(Self.postsPageSize + 1)
    }

    /// A user's posts as a JSON array (optionally inside an object): the handler's first page,
    /// then the following pages read straight from the engine while the body is written.
    static func postsResponse(
        of userID: Int64,
        firstPage: [Post],
        engine: Engine,
        placement: PagedJSONArray<Post>.Placement = .body
    ) -> PagedJSONArray<Post> {
        PagedJSONArray(firstPage: firstPage, pageSize: Self.postsPageSize, placement: placement, encode: \.json) {
            last in
            try await engine.all(Self.postsPage(of: userID, after: last.id))
        }
    }

    static func register<Context: DatabaseRequestContext>(on table: inout RouteTable<Context>, stats: StatsRefresher) {
        let userID = APIRoute.Parameter.path("user_id")

        table.add(
            APIRoute(
                method: .get,
                path: "/user/{user_id}",
                summary: "Read a user",
                parameters: [userID],
                responses: [.ok(Schema.ref("User")), .notFound("User"), .invalid]
            )
        ) { _, context in
            let id = try Validate.pathID("user_id", context)
            guard let user = try await context.db.get(User.self, id: id) else {
                throw DetailError(.notFound, "User not found")
            }
            return JSONResponse(.ok, user.json)
        }

        table.add(
            APIRoute(
                method: .get,
                path: "/user/{user_id}/posts",
                summary: "A user's posts, by id (empty for an unknown user)",
                parameters: [userID],
                responses: [.ok(Schema.array(of: Schema.ref("Post"))), .invalid]
            )
        ) { _, context in
            let id = try Validate.pathID("user_id", context)
            let session = try context.db
            return Self.postsResponse(
                of: id,
                firstPage: try await session.all(Self.postsPage(of: id)),
                engine: session.engine
            )
        }

        table.add(
            APIRoute(
                method: .get,
                path: "/user/{user_id}/combined",
                summary: "A user and their posts, queried concurrently",
                parameters: [userID],
                responses: [.ok(Schema.ref("UserWithPosts")), .notFound("User"), .invalid]
            )
        ) { _, context in
            let id = try Validate.pathID("user_id", context)
            let session = try context.db
            let (user, posts) = try await session.gather(
                select(User.self).where(\.id == id).oneOrNone(),
                Self.postsPage(of: id).all()
            )
            guard let user else { throw DetailError(.notFound, "User not found") }
            return Self.postsResponse(
                of: id,
                firstPage: posts,
                engine: session.engine,
                placement: .lastMember(key: "posts", after: [("user", user.json)])
            )
        }

        table.add(
            APIRoute(
                method: .get,
                path: "/users",
                summary: "List users by id",
                parameters: [
                    .query("limit", minimum: 1, maximum: 100, defaultValue: 20),
                    .query("offset", minimum: 0, maximum: nil, defaultValue: 0),
                ],
                responses: [.ok(Schema.array(of: Schema.ref("User"))), .invalid]
            )
        ) { request, context in
            let limit = Validate.queryInt("limit", request, default: 20, range: 1...100)
            let offset = Validate.queryInt("offset", request, default: 0, minimum: 0)
            let issues = [limit, offset].compactMap { if case .failure(let issue) = $0 { issue } else { nil } }
            guard issues.isEmpty, case .success(let l) = limit, case .success(let o) = offset else {
                throw DetailError.validation(issues)
            }
            let users = try await context.db.all(select(User.self).orderBy(\.id).limit(l).offset(o))
            return JSONResponse(.ok, .array(users.map(\.json)))
        }

        table.add(
            APIRoute(
                method: .post,
                path: "/users",
                summary: "Create a user",
                requestBody: Schema.ref("UserCreate"),
                responses: [.created(Schema.ref("User")), .conflict, .tooLarge, .invalid]
            )
        ) { request, context in
            var fields = BodyFields(try await Validate.bodyObject(request, context))
            let name = fields.string("name", required: true, maxLength: 200)
            let email = fields.email("email", required: true)
            try fields.check()
            let session = try context.db
            var user = User(name: name!, email: email!)
            do {
                try await session.insert(&user)
                try await session.commit()
            } catch DatabaseError.uniqueViolation {
                throw DetailError(.conflict, "Email already registered")
            }
            return JSONResponse(.created, user.json)
        }

        table.add(
            APIRoute(
                method: .patch,
                path: "/user/{user_id}",
                summary: "Change a user's name or email",
                parameters: [userID],
                requestBody: Schema.ref("UserUpdate"),
                responses: [.ok(Schema.ref("User")), .notFound("User"), .conflict, .tooLarge, .invalid]
            )
        ) { request, context in
            let id = try Validate.pathID("user_id", context)
            var fields = BodyFields(try await Validate.bodyObject(request, context))
            let name = fields.string("name", required: false, maxLength: 200)
            let email = fields.email("email", required: false)
            try fields.check()
            let session = try context.db
            guard var user = try await session.get(User.self, id: id) else {
                throw DetailError(.notFound, "User not found")
            }
            if let name { user.name = name }
            if let email { user.email = email }
            do {
                try session.update(user)
                try await session.commit()
            } catch DatabaseError.uniqueViolation {
                throw DetailError(.conflict, "Email already registered")
            }
            return JSONResponse(.ok, user.json)
        }

        table.add(
            APIRoute(
                method: .delete,
                path: "/user/{user_id}",
                summary: "Delete a user and their posts (one transaction)",
                parameters: [userID],
                responses: [.noContent, .notFound("User"), .invalid]
            )
        ) { _, context in
            let id = try Validate.pathID("user_id", context)
            let session = try context.db
            try await session.withTransaction {
                guard try await session.get(User.self, id: id) != nil else {
                    throw DetailError(.notFound, "User not found")
                }
                try await session.execute(delete(from: UserStats.self).where(\.userId == id))
                try await session.execute(delete(from: Post.self).where(\.userId == id))
                try await session.execute(delete(from: User.self).where(\.id == id))
            }
            return JSONResponse(.noContent, .null)
        }

        table.add(
            APIRoute(
                method: .get,
                path: "/user/{user_id}/stats",
                summary: "A user's post count and last post time",
                parameters: [userID],
                responses: [.ok(Schema.ref("UserStats")), .notFound("User"), .invalid]
            )
        ) { _, context in
            let id = try Validate.pathID("user_id", context)
            let (user, stats) = try await context.db.gather(
                select(User.self).where(\.id == id).oneOrNone(),
                select(UserStats.self).where(\.userId == id).oneOrNone()
            )
            guard user != nil else { throw DetailError(.notFound, "User not found") }
            return JSONResponse(.ok, (stats ?? UserStats(userId: id, postCount: 0, lastPostAt: nil)).json)
        }
    }
}
