import Foundation
import QuarryHummingbird

// The JSON shapes of the original FastAPI service: snake_case keys in its order, pydantic
// timestamps.

extension User {
    var json: JSONValue {
        .object([
            ("id", .int(self.id ?? 0)), ("name", .string(self.name)), ("email", .string(self.email)),
            ("created_at", .timestamp(self.createdAt)),
        ])
    }
}

extension Post {
    var json: JSONValue {
        .object([
            ("id", .int(self.id ?? 0)), ("user_id", .int(self.userId)), ("title", .string(self.title)),
            ("body", .string(self.body)), ("created_at", .timestamp(self.createdAt)),
        ])
    }
}

extension UserStats {
    var json: JSONValue {
        .object([
            ("user_id", .int(self.userId)), ("post_count", .int(self.postCount)),
            ("last_post_at", self.lastPostAt.map(JSONValue.timestamp) ?? .null),
        ])
    }
}
