// swift-format-ignore-file
// docs/web.md's Swift blocks, in order: the guide's program as a new user pastes it into main.swift.
// DocCodeBlockTests checks that the guide and this file agree; WebGuideTests runs it.
import Hummingbird
import Quarry
import QuarryHummingbird

@Table("authors")
struct Author: Sendable, RouteOutput {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    @Column(.unique) var email: String
}

@Table("books")
struct Book: Sendable, RouteOutput {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.references(Author.self)) var authorId: Int64
    var title: String
    var pages: Int64
}

struct AuthorCreate: Codable, Sendable, Validatable {
    var name: String
    var email: Email
    static let constraints: [String: Constraint] = ["name": .length(1...100)]
}

struct BookCreate: Codable, Sendable, Validatable {
    var title: String
    var pages: Int64
    static let constraints: [String: Constraint] = ["title": .length(1...200), "pages": .range(1...10_000)]
}

struct NewAuthor: Codable, Sendable { var body: AuthorCreate }
struct AuthorBooks: Codable, Sendable { var author_id: Int64 }
struct NewBook: Codable, Sendable { var author_id: Int64; var body: BookCreate }

let router = Router(context: DatabaseContext.self)
let engine = try Engine(environment: "DATABASE_URL", default: "sqlite://library.db")
try await engine.createAll(Author.self, Book.self)
router.add(middleware: DatabaseErrorMiddleware())  // 503 when the database is down, 409 on conflicts
router.add(middleware: SessionMiddleware(engine: engine))  // context.db: one session per request
var routes = APIRoutes(router)

routes.post("/authors", summary: "Add an author", input: NewAuthor.self, errors: [.conflict]) { request, context in
    var author = Author(name: request.input.body.name, email: request.input.body.email.address)
    try await context.db.insert(&author)
    try await context.db.commit()
    return author
}
routes.get("/authors/{author_id}/books", summary: "An author's books", input: AuthorBooks.self) { request, context in
    try await context.db.all(select(Book.self).where(\.authorId == request.input.author_id).orderBy(\.id))
}
routes.post("/authors/{author_id}/books", summary: "Add a book", input: NewBook.self, errors: [.notFound]) {
    request, context in
    guard try await context.db.get(Author.self, id: request.input.author_id) != nil else {
        throw DetailError(.notFound, "Author not found")
    }
    var book = Book(authorId: request.input.author_id, title: request.input.body.title, pages: request.input.body.pages)
    try await context.db.insert(&book)
    try await context.db.commit()
    return book
}
routes.addDocumentation(title: "Library", version: "1.0.0")  // GET /openapi.json and /docs

let port = Environment().get("PORT", as: Int.self) ?? 8080
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), services: [engine])
try await app.runService()  // until SIGINT or SIGTERM; then requests finish and the pool closes
