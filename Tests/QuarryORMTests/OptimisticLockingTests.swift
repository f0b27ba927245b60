import Foundation
import Quarry
import QuarryTesting
import Testing

/// A row with a version number: concurrent writers cannot overwrite each other's changes.
@Table("documents")
struct Document: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var title: String
    @Column(.version) var version: Int64 = 1
}

@Suite("Optimistic locking")
struct OptimisticLockingTests {
    @Test(arguments: Backend.allCases)
    func aConcurrentUpdateGivesExactlyOneStaleData(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(Document.self)
            let id = try await engine.one(insert(Document(title: "draft")).returning()).id!
            try await engine.withSession { mine in
                var ours = try #require(try await mine.get(Document.self, id: id))
                // Another session changes the row after we read it.
                try await engine.withSession { other in
                    var theirs = try #require(try await other.get(Document.self, id: id))
                    theirs.title = "theirs"
                    try other.update(theirs)
                    try await other.commit()
                }
                ours.title = "ours"
                try mine.update(ours)
                do {
                    try await mine.commit()
                    Issue.record("the stale update was written")
                } catch let error as DatabaseError {
                    #expect(error.code == .staleData)
                    #expect(error.table == "documents")
                    #expect(error.message.contains("documents key \(id) at version 1"), "\(error.message)")
                }
                await mine.rollback()
            }
            let stored = try await engine.one(select(Document.self).where(\.id == id))
            #expect(stored == Document(id: id, title: "theirs", version: 2))

            // A writer that read the current version wins and bumps it; the session sees the bump.
            // `modify` loads, changes and queues the update in one call.
            try await engine.withSession { session in
                let changed = try await session.modify(Document.self, id: id) { $0.title = "final" }
                #expect(changed?.title == "final")
                #expect(try await session.modify(Document.self, id: Int64(999)) { $0.title = "x" } == nil)
                try await session.commit()
                #expect(try await session.get(Document.self, id: id)?.version == 3)
            }
            #expect(try await engine.one(select(Document.self).where(\.id == id)).title == "final")
            // Deleting what was read at an older version is stale too, and deletes nothing.
            try await engine.withSession { session in
                try session.delete(Document(id: id, title: "final", version: 2))
                await #expect(throws: DatabaseError.self) { try await session.commit() }
                await session.rollback()
            }
            #expect(try await engine.scalar(select(count(), from: Document.self)) == 1)
        }
    }
}

/// A row that records when it was made and last changed.
@Table("notes")
struct StampedNote: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var text: String
    @Column(.defaultNow) var createdAt: Date? = nil
    @Column(.defaultNow, .updateTime) var updatedAt: Date? = nil
}

extension OptimisticLockingTests {
    @Test(arguments: Backend.allCases)
    func anUpdateThatChangesTheRowSetsItsUpdateTime(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(StampedNote.self)
            let note = try await engine.one(insert(StampedNote(text: "first")).returning())
            let created = try #require(note.createdAt)
            #expect(note.updatedAt != nil)
            let beforeChange = Date()
            try await engine.withSession { session in
                // Changing nothing writes nothing, not even the time.
                let statements = recorder.statements.count
                _ = try await session.modify(StampedNote.self, id: note.id!) { _ in }
                try await session.flush()
                #expect(recorder.statements.count == statements + 1)  // the SELECT only
                try await session.modify(StampedNote.self, id: note.id!) { $0.text = "second" }
                try await session.commit()
            }
            let stored = try await engine.one(select(StampedNote.self).where(\.id == note.id!))
            #expect(stored.text == "second")
            #expect(stored.createdAt == created)
            #expect(try #require(stored.updatedAt) >= beforeChange.addingTimeInterval(-0.001))
        }
    }
}
