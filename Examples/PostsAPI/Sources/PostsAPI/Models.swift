public import Foundation
public import Quarry

/// A user of the posts service.
@Table("users")
public struct User: Sendable, Equatable {
    @Column(.primaryKey) public var id: Int64? = nil
    public var name: String
    @Column(.unique, .sensitive) public var email: String  // personal data: never in logs
    public var createdAt: Date = .now

    public init(id: Int64? = nil, name: String, email: String, createdAt: Date = .now) {
        self.id = id
        self.name = name
        self.email = email
        self.createdAt = createdAt
    }
}

/// A post, written by a user.
@Table("posts")
public struct Post: Sendable, Equatable {
    @Column(.primaryKey) public var id: Int64? = nil
    @Column(.references(User.self), .indexed) public var userId: Int64
    public var title: String
    public var body: String
    public var createdAt: Date = .now

    public init(id: Int64? = nil, userId: Int64, title: String, body: String, createdAt: Date = .now) {
        self.id = id
        self.userId = userId
        self.title = title
        self.body = body
        self.createdAt = createdAt
    }
}

/// Per-user post statistics, kept up to date by background work after posts change.
@Table("user_stats")
public struct UserStats: Sendable, Equatable {
    @Column(.primaryKey, .references(User.self)) public var userId: Int64
    public var postCount: Int64
    public var lastPostAt: Date?

    public init(userId: Int64, postCount: Int64, lastPostAt: Date?) {
        self.userId = userId
        self.postCount = postCount
        self.lastPostAt = lastPostAt
    }
}

extension User {
    /// The user's posts.
    public static let posts = HasMany<User, Post>(\.userId)
}

/// The service's schema history.
public enum PostsMigrations {
    /// Every migration, in order.
    public static let all: [Migration] = [.m001UsersPostsStats]

    /// The models the migrations must produce: what `posts-migrate revision --autogenerate`
    /// compares the database with.
    public static let models: [any Table.Type] = [User.self, Post.self, UserStats.self]
}
