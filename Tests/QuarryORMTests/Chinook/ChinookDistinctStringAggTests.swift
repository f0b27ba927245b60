import Foundation
import Quarry
import QuarryTesting
import Testing

/// `stringAgg(distinct:separator:)` on Chinook: PostgreSQL's own `STRING_AGG(DISTINCT …)` and
/// SQLite's JSON-array form give the rows of independent hand-written SQL (on SQLite a
/// `GROUP_CONCAT` over a `SELECT DISTINCT … ORDER BY` per group).
@Suite("Chinook distinct string aggregate")
struct ChinookDistinctStringAggTests {
    @Test(arguments: Backend.allCases)
    func distinctGenresPerArtistMatchHandWrittenSQL(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let genres = try await db.all(
                select(
                    Album.Columns.artistId,
                    stringAgg(distinct: Genre.Columns.name, separator: "; "),
                    stringAgg(distinct: Genre.Columns.name, separator: "; ")
                        .filter(where: Track.Columns.milliseconds > 400_000),
                    from: Album.self
                )
                .join(Track.self, on: Track.Columns.albumId == Album.Columns.albumId)
                .join(Genre.self, on: Genre.Columns.genreId == Track.Columns.genreId)
                .groupBy(Album.Columns.artistId)
                .orderBy(Album.Columns.artistId.asc)
            )
            let perArtist =
                backend == .postgres
                ? """
                SELECT al.artist_id, STRING_AGG(DISTINCT g.name, '; ' ORDER BY g.name),
                  STRING_AGG(DISTINCT g.name, '; ' ORDER BY g.name) FILTER (WHERE t.milliseconds > 400000)
                FROM album al JOIN track t ON t.album_id = al.album_id JOIN genre g ON g.genre_id = t.genre_id
                GROUP BY al.artist_id ORDER BY al.artist_id
                """
                : """
                SELECT ar.artist_id,
                  (SELECT GROUP_CONCAT(name, '; ') FROM (SELECT DISTINCT g.name AS name FROM album al
                    JOIN track t ON t.album_id = al.album_id JOIN genre g ON g.genre_id = t.genre_id
                    WHERE al.artist_id = ar.artist_id ORDER BY g.name)),
                  (SELECT GROUP_CONCAT(name, '; ') FROM (SELECT DISTINCT g.name AS name FROM album al
                    JOIN track t ON t.album_id = al.album_id JOIN genre g ON g.genre_id = t.genre_id
                    WHERE al.artist_id = ar.artist_id AND t.milliseconds > 400000 ORDER BY g.name))
                FROM (SELECT DISTINCT al.artist_id FROM album al JOIN track t ON t.album_id = al.album_id
                  JOIN genre g ON g.genre_id = t.genre_id) ar
                ORDER BY ar.artist_id
                """
            let expected = try await db.all(SQL(unsafeRaw: perArtist).readOnly()).map { row in
                (
                    try row.decode(Int32.self, at: 0), try row.decode(String?.self, at: 1),
                    try row.decode(String?.self, at: 2)
                )
            }
            #expect(genres.count == expected.count)
            #expect(genres.count > 200)
            for (got, want) in zip(genres, expected) {
                #expect(got.0 == want.0 && got.1 == want.1 && got.2 == want.2)
            }
            // Several genres joined once each, and groups the filter empties are NULL.
            #expect(genres.contains { ($0.1?.components(separatedBy: "; ").count ?? 0) >= 3 })
            #expect(genres.contains { $0.2 == nil })
            #expect(
                genres.allSatisfy { row in
                    Set(row.1?.components(separatedBy: "; ") ?? []).count
                        == (row.1?.components(separatedBy: "; ").count ?? 0)
                }
            )
        }
    }

    @Test
    func overAWindowIsACompileError() throws {
        let windowed = select(
            stringAgg(distinct: Genre.Columns.name, separator: ", ").over(orderBy: Genre.Columns.genreId.asc),
            from: Genre.self
        )
        for dialect in [Dialect.postgresql, .sqlite] {
            #expect(throws: CompileError.self) { try windowed.compile(for: dialect) }
        }
    }
}
