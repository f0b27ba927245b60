import Foundation
import Hummingbird
import Logging
import PostgresNIO

// Usage: RawFloor <port> <postgres host> <postgres port> <user> <database> [pool size] [prepared]
//
// With `prepared`, the two queries run as PostgresNIO prepared statements (`PostgresPreparedStatement`,
// prepared once per connection) instead of unnamed ones: bench/run measures both forms.
let arguments = CommandLine.arguments
let usesPreparedStatements = arguments.count > 7 && arguments[7] == "prepared"
let port = Int(arguments[1])!
var configuration = PostgresClient.Configuration(
    host: arguments[2],
    port: Int(arguments[3])!,
    username: arguments[4],
    password: nil,
    database: arguments[5],
    tls: .disable
)
configuration.options.maximumConnections = arguments.count > 6 ? Int(arguments[6])! : 10
var logger = Logger(label: "raw-floor")
logger.logLevel = .warning
let client = PostgresClient(configuration: configuration, backgroundLogger: logger)

func escape(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    out += "\""
}

func timestamp(_ date: Date) -> String {
    var micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
    let seconds = (micros / 1_000_000).rounded(.down)
    micros -= seconds * 1_000_000
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    var text = String(
        format: "%04d-%02d-%02dT%02d:%02d:%02d",
        parts.tm_year + 1900,
        parts.tm_mon + 1,
        parts.tm_mday,
        parts.tm_hour,
        parts.tm_min,
        parts.tm_sec
    )
    if micros > 0 { text += String(format: ".%06d", Int(micros)) }
    return text + "Z"
}

struct UserRow {
    var id: Int64
    var name: String
    var email: String
    var createdAt: Date
}
struct PostRow {
    var id: Int64
    var userID: Int64
    var title: String
    var body: String
    var createdAt: Date
}

func json(_ u: UserRow, into out: inout String) {
    out += "{\"id\":\(u.id),\"name\":"
    escape(u.name, into: &out)
    out += ",\"email\":"
    escape(u.email, into: &out)
    out += ",\"created_at\":\"\(timestamp(u.createdAt))\"}"
}

func json(_ p: PostRow, into out: inout String) {
    out += "{\"id\":\(p.id),\"user_id\":\(p.userID),\"title\":"
    escape(p.title, into: &out)
    out += ",\"body\":"
    escape(p.body, into: &out)
    out += ",\"created_at\":\"\(timestamp(p.createdAt))\"}"
}

struct UserByID: PostgresPreparedStatement {
    static let sql = "SELECT id, name, email, created_at FROM users WHERE id = $1"
    typealias Row = (Int64, String, String, Date)
    var id: Int64
    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(self.id)
        return bindings
    }
    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

struct PostsByUser: PostgresPreparedStatement {
    static let sql = "SELECT id, user_id, title, body, created_at FROM posts WHERE user_id = $1 ORDER BY id"
    typealias Row = (Int64, Int64, String, String, Date)
    var userID: Int64
    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(self.userID)
        return bindings
    }
    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

func fetchUser(_ id: Int64) async throws -> UserRow? {
    if usesPreparedStatements {
        for try await (id, name, email, createdAt) in try await client.execute(UserByID(id: id), logger: logger) {
            return UserRow(id: id, name: name, email: email, createdAt: createdAt)
        }
        return nil
    }
    let rows = try await client.query("SELECT id, name, email, created_at FROM users WHERE id = \(id)", logger: logger)
    for try await (id, name, email, createdAt) in rows.decode((Int64, String, String, Date).self) {
        return UserRow(id: id, name: name, email: email, createdAt: createdAt)
    }
    return nil
}

func fetchPosts(_ userID: Int64) async throws -> [PostRow] {
    var posts: [PostRow] = []
    if usesPreparedStatements {
        for try await (id, uid, title, body, createdAt) in try await client.execute(
            PostsByUser(userID: userID),
            logger: logger
        ) {
            posts.append(PostRow(id: id, userID: uid, title: title, body: body, createdAt: createdAt))
        }
        return posts
    }
    let rows = try await client.query(
        "SELECT id, user_id, title, body, created_at FROM posts WHERE user_id = \(userID) ORDER BY id",
        logger: logger
    )
    for try await (id, uid, title, body, createdAt) in rows.decode((Int64, Int64, String, String, Date).self) {
        posts.append(PostRow(id: id, userID: uid, title: title, body: body, createdAt: createdAt))
    }
    return posts
}

func respond(_ status: HTTPResponse.Status, _ text: String) -> Response {
    Response(
        status: status,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: text))
    )
}

let notFound = #"{"detail":"User not found"}"#
let router = Router()
router.get("/health") { _, _ in respond(.ok, #"{"status":"ok"}"#) }
router.get("/user/:id") { _, context in
    guard let id = context.parameters.get("id", as: Int64.self) else { return respond(.unprocessableContent, "{}") }
    guard let user = try await fetchUser(id) else { return respond(.notFound, notFound) }
    var out = ""
    json(user, into: &out)
    return respond(.ok, out)
}
router.get("/user/:id/posts") { _, context in
    guard let id = context.parameters.get("id", as: Int64.self) else { return respond(.unprocessableContent, "{}") }
    var out = "["
    for (i, post) in try await fetchPosts(id).enumerated() {
        if i > 0 { out += "," }
        json(post, into: &out)
    }
    return respond(.ok, out + "]")
}
router.get("/user/:id/combined") { _, context in
    guard let id = context.parameters.get("id", as: Int64.self) else { return respond(.unprocessableContent, "{}") }
    async let user = fetchUser(id)
    async let posts = fetchPosts(id)
    guard let u = try await user else { return respond(.notFound, notFound) }
    var out = "{\"user\":"
    json(u, into: &out)
    out += ",\"posts\":["
    for (i, post) in try await posts.enumerated() {
        if i > 0 { out += "," }
        json(post, into: &out)
    }
    return respond(.ok, out + "]}")
}

let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    services: [client],
    logger: logger
)
try await app.runService()
