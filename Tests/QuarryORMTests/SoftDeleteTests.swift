import Foundation
import Quarry
import QuarryTesting
import Testing

/// A table whose rows are marked deleted instead of removed.
@Table("memos")
struct Memo: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var text: String
    @Column(.softDelete) var deletedAt: Date? = nil
}

@Suite("Soft delete")
struct SoftDeleteTests {
    @Test func selectsLeaveDeletedRowsOutBeforeTheirOwnConditions() throws {
        let compiled = try select(Memo.self).where(\.text == "a" || \.text == "b").compile(for: .sqlite)
        #expect(
            compiled.sql
                == #"SELECT "memos"."id", "memos"."text", "memos"."deleted_at" FROM "memos" WHERE "memos"."deleted_at" IS NULL AND ("memos"."text" = ? OR "memos"."text" = ?)"#
        )
        let all = try select(count(), from: Memo.self).includingDeleted().compile(for: .postgresql)
        #expect(all.sql == #"SELECT COUNT(*) FROM "memos""#)
        let trash = try select(Memo.Columns.id, from: Memo.self).onlyDeleted().compile(for: .postgresql)
        #expect(trash.sql == #"SELECT "memos"."id" FROM "memos" WHERE "memos"."deleted_at" IS NOT NULL"#)
    }

    @Test(arguments: Backend.allCases)
    func aSessionDeleteMarksTheRowAndQueriesLeaveItOut(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(Memo.self)
            try await engine.execute(insert(["a", "b", "c"].map { Memo(text: $0) }))
            try await engine.withSession { session in
                let a = try #require(try await session.get(Memo.self, id: 1))
                try session.delete(a)
                try await session.commit()
            }
            // Every select of the table leaves it out — models, tuples, counts, get — and matches
            // of its own conditions too.
            #expect(try await engine.all(select(Memo.self).orderBy(\.id)).map(\.text) == ["b", "c"])
            #expect(try await engine.scalar(select(count(), from: Memo.self)) == 2)
            #expect(try await engine.all(select(Memo.self).where(\.text == "a" || \.text == "b")).map(\.text) == ["b"])
            try await engine.withSession { session in
                let gone = try await session.get(Memo.self, id: 1)
                #expect(gone == nil)
            }
            // Explicitly: the deleted rows too, or only them.
            #expect(try await engine.scalar(select(count(), from: Memo.self).includingDeleted()) == 3)
            let trash = try await engine.all(select(Memo.self).onlyDeleted())
            #expect(trash.map(\.text) == ["a"] && trash[0].deletedAt != nil)

            // Deleting a row already marked deleted matches nothing, and writes nothing.
            try await engine.withSession { session in
                try session.delete(trash[0])
                await #expect(throws: DatabaseError.self) { try await session.commit() }
                await session.rollback()
            }
            #expect(try await engine.all(select(Memo.self).onlyDeleted()) == trash)

            // Restored by clearing the time; removed for good with `permanently`.
            try await engine.withSession { session in
                var restored = trash[0]
                restored.deletedAt = nil
                try session.update(restored)
                let c = try #require(try await session.get(Memo.self, id: 3))
                try session.delete(c, permanently: true)
                try await session.commit()
            }
            #expect(try await engine.all(select(Memo.self).orderBy(\.id)).map(\.text) == ["a", "b"])
            #expect(try await engine.scalar(select(count(), from: Memo.self).includingDeleted()) == 2)
        }
    }
}
