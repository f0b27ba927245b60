import Foundation
import HTTPTypes
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
        PagedJSONArray(firstPage: firstPage, pageSize: Self.postsPageSize, placement: placement) { last in
            try await engine.all(Self.postsPage(of: userID, after: last.id))
        }
    }

    static let userNotFound = DetailError(.notFound, "User not found")
    static let emailTaken = DetailError(.conflict, "Email already registered")

    static func register<Context: DatabaseRequestContext>(on routes: inout APIRoutes<Context>, stats: StatsRefresher) {
        routes.get("/user/{user_id}", summary: "Read a user", input: UserID.self, errors: [.notFound]) {
            request,
            context in
            guard let user = try await context.db.get(User.self, id: request.input.userID) else {
                throw Self.userNotFound
            }
            return user
        }

        routes.get(
            "/user/{user_id}/posts",
            summary: "A user's posts, by id (empty for an unknown user)",
            input: UserID.self
        ) { request, context in
            let id = request.input.userID
            let session = try context.db
            return Self.postsResponse(
                of: id,
                firstPage: try await session.all(Self.postsPage(of: id)),
                engine: session.engine
            )
        }

        routes.get(
            "/user/{user_id}/combined",
            summary: "A user and their posts, queried concurrently",
            input: UserID.self,
            responseSchema: JSONSchema.reflecting(UserWithPosts.self),
            errors: [.notFound]
        ) { request, context in
            let id = request.input.userID
            let session = try context.db
            let (user, posts) = try await session.gather(
                select(User.self).where(\.id == id).oneOrNone(),
                Self.postsPage(of: id).all()
            )
            guard let user else { throw Self.userNotFound }
            return Self.postsResponse(
                of: id,
                firstPage: posts,
                engine: session.engine,
                placement: .lastMember(key: "posts", after: [("user", try JSONValue(encoding: user))])
            )
        }

        routes.get("/users", summary: "List users by id", input: UserPage.self) { request, context in
            let page = request.input
            return try await context.db.all(select(User.self).orderBy(\.id).limit(page.limit).offset(page.offset))
        }

        routes.post("/users", summary: "Create a user", input: NewUser.self, errors: [.conflict, .contentTooLarge]) {
            request,
            context in
            let session = try context.db
            var user = User(name: request.input.body.name, email: request.input.body.email.address)
            do {
                try await session.insert(&user)
                try await session.commit()
            } catch DatabaseError.uniqueViolation {
                throw Self.emailTaken
            }
            return user
        }

        routes.patch(
            "/user/{user_id}",
            summary: "Change a user's name or email",
            input: UserScoped<UserUpdate>.self,
            errors: [.notFound, .conflict, .contentTooLarge]
        ) { request, context in
            let change = request.input.body
            let session = try context.db
            guard var user = try await session.get(User.self, id: request.input.userID) else { throw Self.userNotFound }
            if let name = change.name { user.name = name }
            if let email = change.email { user.email = email.address }
            do {
                try session.update(user)
                try await session.commit()
            } catch DatabaseError.uniqueViolation {
                throw Self.emailTaken
            }
            return user
        }

        routes.delete(
            "/user/{user_id}",
            summary: "Delete a user and their posts (one transaction)",
            input: UserID.self,
            errors: [.notFound]
        ) { request, context in
            let id = request.input.userID
            let session = try context.db
            try await session.withTransaction {
                // On PostgreSQL the user row is locked first: a post being added or a stats
                // refresh inserting a row that references this user waits for the delete and then
                // fails its foreign-key check, instead of slipping a row in between the deletes
                // below (which made the last one fail with a foreign-key violation: 409). SQLite
                // runs one write transaction at a time, so it needs no lock.
                let lookup = select(User.self).where(\.id == id)
                let user = try await session.oneOrNone(
                    session.dialect == .postgresql ? lookup.forUpdate() : lookup
                )
                guard user != nil else { throw Self.userNotFound }
                try await session.execute(delete(from: UserStats.self).where(\.userId == id))
                try await session.execute(delete(from: Post.self).where(\.userId == id))
                try await session.execute(delete(from: User.self).where(\.id == id))
            }
            return NoContent()
        }

        routes.get(
            "/user/{user_id}/stats",
            summary: "A user's post count and last post time",
            input: UserID.self,
            errors: [.notFound]
        ) { request, context in
            let id = request.input.userID
            let (user, stats) = try await context.db.gather(
                select(User.self).where(\.id == id).oneOrNone(),
                select(UserStats.self).where(\.userId == id).oneOrNone()
            )
            guard user != nil else { throw Self.userNotFound }
            return stats ?? UserStats(userId: id, postCount: 0, lastPostAt: nil)
        }
    }
}
