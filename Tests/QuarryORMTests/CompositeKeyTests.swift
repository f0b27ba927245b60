import Foundation
import Quarry
import QuarryTesting
import Testing

/// Composite primary keys: DDL, `get`, the identity map, updates and deletes keyed by every key
/// column (issue 15).
@Suite("Composite primary keys")
struct CompositeKeyTests {
    @Test func theKeyIsOneTableConstraint() throws {
        let sql = try createTable(PlaylistEntry.self).compile(for: .postgresql).sql
        #expect(
            sql
                == #"CREATE TABLE "playlist_entries" ("playlist_id" BIGINT NOT NULL, "track_id" BIGINT NOT NULL, "position" INTEGER NOT NULL, PRIMARY KEY ("playlist_id", "track_id"))"#
        )
        let entry = PlaylistEntry(playlistId: 1, trackId: 2, position: 3)
        #expect(
            try delete(entry).compile(for: .sqlite).sql
                == #"DELETE FROM "playlist_entries" WHERE "playlist_id" = ? AND "track_id" = ?"#
        )
        #expect(
            try update(entry).compile(for: .sqlite).sql
                == #"UPDATE "playlist_entries" SET "position" = ? WHERE "playlist_id" = ? AND "track_id" = ?"#
        )
        // One value for a two-column key: refused, not half a condition.
        let error = #expect(throws: CompileError.self) {
            try select(PlaylistEntry.self).where(PlaylistEntry.primaryKeyEquals(.integer(1))).compile(for: .sqlite)
        }
        #expect(error?.message.contains("2 columns") == true)
    }

    @Test(arguments: Backend.allCases)
    func rowsAreFoundChangedAndDeletedByTheWholeKey(_ backend: Backend) async throws {
        try await withRecordingEngine(backend) { engine, recorder in
            try await engine.createAll(PlaylistEntry.self)
            try await engine.execute(
                insert([
                    PlaylistEntry(playlistId: 1, trackId: 10, position: 1),
                    PlaylistEntry(playlistId: 1, trackId: 11, position: 2),
                    PlaylistEntry(playlistId: 2, trackId: 10, position: 1),
                ])
            )
            try await engine.withSession { session in
                var entry = try #require(try await session.get(PlaylistEntry.self, key: Int64(1), Int64(11)))
                #expect(entry.position == 2)
                let before = recorder.statements.count
                #expect(try await session.get(PlaylistEntry.self, key: Int64(1), Int64(11)) == entry)
                #expect(recorder.statements.count == before, "answered from the identity map")
                #expect(try await session.get(PlaylistEntry.self, key: Int64(2), Int64(11)) == nil)

                entry.position = 5
                try session.update(entry)
                try session.delete(PlaylistEntry(playlistId: 2, trackId: 10, position: 1))
                try await session.commit()
            }
            let rows = try await engine.all(select(PlaylistEntry.self).orderBy(\.playlistId).orderBy(\.trackId))
            #expect(
                rows == [
                    PlaylistEntry(playlistId: 1, trackId: 10, position: 1),
                    PlaylistEntry(playlistId: 1, trackId: 11, position: 5),
                ]
            )
            // The same key twice is a unique violation: the constraint is real.
            let duplicate = await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(PlaylistEntry(playlistId: 1, trackId: 10, position: 9)))
            }
            #expect(duplicate?.code == .uniqueViolation)
        }
    }
}
