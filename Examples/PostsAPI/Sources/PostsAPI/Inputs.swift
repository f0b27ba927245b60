import Foundation
public import QuarryHummingbird

// What the routes read: path and query parameters and JSON bodies, with pydantic's constraints.

/// PostgreSQL cannot store NUL in text: refused in every string, on every backend.
let noNUL = "^[^\\x00]*$"

/// The body of `POST /users`.
struct UserCreate: Codable, Sendable, Validatable {
    var name: String
    var email: Email
    static let constraints: [String: Constraint] = ["name": .length(1...200).pattern(noNUL)]
}

/// The body of `PATCH /user/{user_id}`: the fields to change.
struct UserUpdate: Codable, Sendable, Validatable {
    var name: String?
    var email: Email?
    static let constraints: [String: Constraint] = ["name": .length(1...200).pattern(noNUL)]
}

/// The body of `POST /user/{user_id}/posts`.
struct PostCreate: Codable, Sendable, Validatable {
    var title: String
    var body: String
    static let constraints: [String: Constraint] = [
        "title": .length(1...300).pattern(noNUL),
        "body": .length(max: 100_000).pattern(noNUL),
    ]
}

/// `/user/{user_id}`.
struct UserID: Codable, Sendable {
    var userID: Int64
    enum CodingKeys: String, CodingKey { case userID = "user_id" }
}

/// `/posts/{post_id}`.
struct PostID: Codable, Sendable {
    var postID: Int64
    enum CodingKeys: String, CodingKey { case postID = "post_id" }
}

/// `GET /users?limit=&offset=`.
struct UserPage: Codable, Sendable, Validatable {
    var limit: Int
    var offset: Int
    static let constraints: [String: Constraint] = [
        "limit": .range(1...100).default(20),
        "offset": .range(min: 0).default(0),
    ]
}

/// `POST /users`.
struct NewUser: Codable, Sendable { var body: UserCreate }

/// A body addressed to one user: `PATCH /user/{user_id}` (``UserUpdate``) and
/// `POST /user/{user_id}/posts` (``PostCreate``).
struct UserScoped<Body: Codable & Sendable>: Codable, Sendable {
    var userID: Int64
    var body: Body
    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case body
    }
}

/// The body of `GET /user/{user_id}/combined` (documented; written a page at a time).
struct UserWithPosts: Codable, Sendable {
    var user: User
    var posts: [Post]
}

/// `{"status": "ok"}`.
struct Status: Codable, Sendable, RouteOutput { var status: String }

extension User: RouteOutput {}
extension Post: RouteOutput {}
extension UserStats: RouteOutput {}
