// A runnable tour of Quarry on an embedded SQLite file (or DATABASE_URL), until the reference
// service lands: `scripts/run`.
import Foundation
import Logging
import Quarry

@Table("users")
struct User: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    @Column(.unique) var email: String
    var createdAt: Date = .now
}

@Table("posts")
struct Post: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.references(User.self), .indexed) var userId: Int64
    var title: String
    var body: String
    var createdAt: Date = .now
}

LoggingSystem.bootstrap(StreamLogHandler.standardError)
var logger = Logger(label: "quarry-example")
logger.logLevel = ProcessInfo.processInfo.environment["ECHO"] == nil ? .notice : .info

let url = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "sqlite://posts.db"
let engine = try Engine(url, configuration: .init(poolSize: 4, echo: true, logger: logger))
print("Engine: \(engine.url)")
try await engine.createAll(User.self, Post.self)

let email = "ada-\(UUID().uuidString.prefix(8))@example.com"
let ada = try await engine.one(insert(User(name: "Ada", email: email)).returning())
for n in 1...3 {
    try await engine.execute(insert(Post(userId: ada.id!, title: "Post \(n)", body: "Hello \(n)")))
}

async let user = engine.oneOrNone(select(User.self).where(\.id == ada.id))
async let posts = engine.all(select(Post.self).where(\.userId == ada.id!).orderBy(\.id))
let (u, ps) = try await (user, posts)
print("User: \(u.map { "\($0.id!) \($0.name) <\($0.email)>" } ?? "none")")
print("Posts: \(ps.map(\.title))")
print("Users in the database: \(try await engine.scalar(select(count(), from: User.self)))")

do {
    try await engine.execute(insert(User(name: "Eve", email: email)))
} catch DatabaseError.uniqueViolation {
    print("Duplicate email refused with DatabaseError.uniqueViolation, as expected")
}
await engine.shutdown()
