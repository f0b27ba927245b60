// Generated from README.md's Quick start by ReadmeQuickStartTests; edit the README, then run
// QUARRY_UPDATE_SNIPPETS=1 swift test --filter ReadmeQuickStart
import Quarry

@Table("users")
struct User: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    @Column(.unique) var email: String
    var createdAt: Date = .now  // column "created_at"
}

@main
struct QuickStartApp {
    static func main() async throws {
        let logger = Logger(label: "quickstart")
        // DATABASE_URL=postgresql://app:secret@127.0.0.1:5432/app?sslmode=require, or SQLite when unset
        let engine = try Engine(environment: "DATABASE_URL", default: "sqlite://quickstart.db",
                                configuration: .init(poolSize: 8, echo: true, logger: logger))
        try await engine.createAll(User.self)

        try await engine.withSession { session in
            var ada = User(name: "Ada", email: "ada-\(UUID())@example.com")
            try await session.insert(&ada)  // id filled in
            let (user, total) = try await session.gather(  // two queries, concurrently, typed
                select(User.self).where(\.id == ada.id).oneOrNone(),
                select(count(), from: User.self).scalar())
            try await session.commit()
            print("inserted \(user?.name ?? "?"); \(total) user(s) in all")
        }
        let adas = try await engine.all(SQLQuery<String>("SELECT email FROM users WHERE name = \("Ada")"))  // bound, never spliced
        try await engine.withTransaction(isolation: .serializable, retries: 3) { tx in
            try await tx.execute(update(User.self).set(\.name, to: "Ada L.").where(\.name == "Ada"))
        }
        print("renamed \(adas.count) user(s)")
        await engine.shutdown()
    }
}
