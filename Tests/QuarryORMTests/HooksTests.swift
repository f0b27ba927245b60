import Foundation
import Quarry
import QuarryTesting
import Synchronization
import Testing

/// What the `did…` hooks saw, per test (a task-local, so the two backends' runs never mix).
final class HookLog: Sendable {
    @TaskLocal static var current: HookLog?
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { self.lines.withLock { $0.append(line) } }
    var all: [String] { self.lines.withLock { $0 } }
}

struct EntryRefused: Error {}

@Table("journal_entries")
struct JournalEntry: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var title: String
    var slug: String = ""
    var isPinned: Bool = false
}

extension JournalEntry: ModelHooks {
    mutating func willInsert() throws {
        if self.title.isEmpty { throw EntryRefused() }
        if self.slug.isEmpty { self.slug = Self.slug(of: self.title) }
    }
    func didInsert() { HookLog.current?.append("inserted \(self.id ?? 0) \(self.slug)") }
    mutating func willUpdate() throws { self.slug = Self.slug(of: self.title) }
    func didUpdate() { HookLog.current?.append("updated \(self.id ?? 0) \(self.slug)") }
    func willDelete() throws { if self.isPinned { throw EntryRefused() } }
    func didDelete() { HookLog.current?.append("deleted \(self.id ?? 0)") }

    static func slug(of title: String) -> String { title.lowercased().replacingOccurrences(of: " ", with: "-") }
}

@Suite("Model hooks")
struct HooksTests {
    @Test(arguments: Backend.allCases)
    func hooksChangeRefuseAndFollowWrites(_ backend: Backend) async throws {
        let log = HookLog()
        try await HookLog.$current.withValue(log) {
            try await withTestEngine(backend) { engine in
                try await engine.createAll(JournalEntry.self)
                // willInsert fills the slug; didInsert sees the generated keys, for a batched flush too.
                try await engine.withSession { session in
                    try session.add(JournalEntry(title: "Hello World"))
                    try session.add(JournalEntry(title: "Second Post", isPinned: true))
                    try session.add(JournalEntry(title: "Third"))
                    #expect(log.all.isEmpty)
                    try await session.commit()
                }
                #expect(log.all == ["inserted 1 hello-world", "inserted 2 second-post", "inserted 3 third"])
                let slugs = try await engine.all(
                    select(JournalEntry.Columns.slug, from: JournalEntry.self).orderBy(\.id)
                )
                #expect(slugs == ["hello-world", "second-post", "third"])

                // A hook that throws refuses the write: nothing is queued, the session goes on.
                try await engine.withSession { session in
                    #expect(throws: EntryRefused.self) { try session.add(JournalEntry(title: "")) }
                    let pinned = try #require(try await session.get(JournalEntry.self, id: 2))
                    #expect(throws: EntryRefused.self) { try session.delete(pinned) }
                    let third = try #require(try await session.get(JournalEntry.self, id: 3))
                    try session.delete(third)
                    try await session.commit()
                }
                #expect(try await engine.scalar(select(count(), from: JournalEntry.self)) == 2)
                #expect(log.all.last == "deleted 3")

                // willUpdate runs for a changed row only and may change it further.
                try await engine.withSession { session in
                    try await session.modify(JournalEntry.self, id: 1) { $0.title = "Hello Again" }
                    let unchanged = try #require(try await session.get(JournalEntry.self, id: 2))
                    try session.update(unchanged)
                    try await session.commit()
                }
                #expect(log.all.suffix(1) == ["updated 1 hello-again"])
                #expect(
                    try await engine.scalar(select(JournalEntry.Columns.slug, from: JournalEntry.self).where(\.id == 1))
                        == "hello-again"
                )

                // insert(&:) runs both insert hooks at once.
                try await engine.withSession { session in
                    var entry = JournalEntry(title: "Right Now")
                    try await session.insert(&entry)
                    #expect(entry.slug == "right-now" && entry.id == 4)
                    try await session.commit()
                }
                #expect(log.all.last == "inserted 4 right-now")
            }
        }
    }
}
