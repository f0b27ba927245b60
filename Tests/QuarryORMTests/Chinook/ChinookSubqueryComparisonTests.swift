import Foundation
import Quarry
import QuarryTesting
import Testing

/// `x op ALL (SELECT …)` and `x op ANY (SELECT …)` on Chinook: the rows match hand-written SQL
/// that needs no quantifier, and the three-valued answers (`NULL` in the subquery, no rows) are
/// the SQL standard's on both backends — SQLite, which has no `ALL`/`ANY`, included.
@Suite("Chinook subquery comparisons")
struct ChinookSubqueryComparisonTests {
    static func ids(_ engine: Engine, _ sql: String) async throws -> [Int32] {
        try await engine.all(SQL(unsafeRaw: sql).readOnly()).map { try $0.decode(Int32.self, at: 0) }
    }

    @Test(arguments: Backend.allCases)
    func allAndAnyMatchHandWrittenSQL(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            // The block of docs/queries.md ("ALL and ANY").
            let ofCustomer1 = select(Invoice.Columns.total, from: Invoice.self).where(Invoice.Columns.customerId == 1)
            let larger = try await db.all(
                select(Invoice.Columns.invoiceId, from: Invoice.self)
                    .where(Invoice.Columns.total.compare(.greaterThan, all: ofCustomer1))
            )
            let tracks = select(Track.Columns.milliseconds, from: Track.self)
                .where(Track.Columns.albumId == Album.Columns.albumId)
            let longAlbums = try await db.all(
                select(Album.Columns.albumId, from: Album.self)
                    .where(value(Int32(600_000)).compare(.lessThan, any: tracks))
            )
            let largerSQL = try await Self.ids(
                db,
                """
                SELECT invoice_id FROM invoice
                WHERE total > (SELECT MAX(total) FROM invoice WHERE customer_id = 1) ORDER BY invoice_id
                """
            )
            #expect(!larger.isEmpty)
            #expect(larger.sorted() == largerSQL)
            let longAlbumsSQL = try await Self.ids(
                db,
                """
                SELECT a.album_id FROM album a
                WHERE EXISTS (SELECT 1 FROM track t WHERE t.album_id = a.album_id AND t.milliseconds > 600000)
                ORDER BY a.album_id
                """
            )
            #expect(longAlbums.count > 10)
            #expect(longAlbums.sorted() == longAlbumsSQL)

            // Every track of the album longer than 200,000 ms; an album without tracks counts
            // (ALL over no rows is true).
            let allLong = try await db.all(
                select(Album.Columns.albumId, from: Album.self)
                    .where(value(Int32(200_000)).compare(.lessThan, all: tracks))
                    .orderBy(Album.Columns.albumId.asc)
            )
            let allLongSQL = try await Self.ids(
                db,
                """
                SELECT a.album_id FROM album a
                WHERE 200000 < (SELECT MIN(t.milliseconds) FROM track t WHERE t.album_id = a.album_id)
                   OR NOT EXISTS (SELECT 1 FROM track t WHERE t.album_id = a.album_id)
                ORDER BY a.album_id
                """
            )
            #expect(allLong.count > 10)
            #expect(allLong == allLongSQL)

            let track = Track.Columns.self
            // `= ANY` is IN, `<> ALL` is NOT IN (the subquery has no NULL).
            let rockGenres = select(Genre.Columns.genreId, from: Genre.self).where(Genre.Columns.name.like("%Rock%"))
            let rock = try await db.scalar(
                select(count(), from: Track.self).where(track.genreId.compare(.equal, any: rockGenres))
            )
            let notRock = try await db.scalar(
                select(count(), from: Track.self).where(track.genreId.compare(.notEqual, all: rockGenres))
            )
            let rockSQL = try await Self.ids(
                db,
                """
                SELECT CAST(COUNT(*) AS INTEGER) FROM track
                WHERE genre_id IN (SELECT genre_id FROM genre WHERE name LIKE '%Rock%')
                UNION ALL
                SELECT CAST(COUNT(*) AS INTEGER) FROM track
                WHERE genre_id NOT IN (SELECT genre_id FROM genre WHERE name LIKE '%Rock%')
                """
            )
            #expect([rock, notRock].map { Int32($0) } == rockSQL)
            #expect(rock > 0 && notRock > 0)
        }
    }

    /// The standard's three values: `ALL` over no rows is true, `ANY` over none false; a `NULL`
    /// among the rows makes the answer unknown unless another row decides it.
    @Test(arguments: Backend.allCases)
    func nullsAndEmptySubqueriesGiveTheStandardAnswer(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let employee = Employee.Columns.self
            // 1…6, and NULL for the general manager.
            let managers = select(employee.reportsTo, from: Employee.self)
            let nobody = select(employee.reportsTo, from: Employee.self).where(employee.employeeId < 0)
            let answers = try await db.one(
                select(
                    value(Int32(0)).compare(.lessThan, all: managers).nullable,
                    value(Int32(3)).compare(.lessThan, all: managers).nullable,
                    value(Int32(0)).compare(.lessThan, all: nobody).nullable,
                    value(Int32(2)).compare(.equal, any: managers).nullable,
                    value(Int32(99)).compare(.equal, any: managers).nullable,
                    value(Int32(2)).compare(.equal, any: nobody).nullable,
                    value(Int32(99)).compare(
                        .equal,
                        any: managers.where(employee.reportsTo.isNotNull)
                    ).nullable
                )
            )
            #expect(answers.0 == nil)  // true for 1…6, unknown for NULL
            #expect(answers.1 == false)  // 3 < 1 is false
            #expect(answers.2 == true)  // no rows
            #expect(answers.3 == true)  // 2 = 2
            #expect(answers.4 == nil)  // false for 1…6, unknown for NULL
            #expect(answers.5 == false)  // no rows
            #expect(answers.6 == false)  // no NULL left
        }
    }

    @Test
    func aSubqueryOfSeveralColumnsIsACompileError() throws {
        let twoColumns = select(Employee.Columns.employeeId, Employee.Columns.reportsTo, from: Employee.self)
        for dialect in [Dialect.postgresql, .sqlite] {
            #expect(throws: CompileError.self) {
                try select(Employee.self)
                    .where(Employee.Columns.employeeId.compare(.greaterThan, all: twoColumns))
                    .compile(for: dialect)
            }
        }
    }

    @Test
    func postgreSQLWritesTheQuantifierAndSQLiteAnEquivalent() throws {
        let query = select(Invoice.Columns.invoiceId, from: Invoice.self)
            .where(
                Invoice.Columns.total.compare(
                    .greaterThan,
                    all: select(Invoice.Columns.total, from: Invoice.self).where(Invoice.Columns.customerId == 1)
                )
            )
        let postgres = try query.compile(for: .postgresql)
        #expect(postgres.sql.contains(#"(("invoice"."total") > ALL (SELECT "invoice"."total" FROM "invoice""#))
        #expect(postgres.binds == [.integer(1)])
        let sqlite = try query.compile(for: .sqlite)
        #expect(sqlite.sql.contains(#"CASE WHEN EXISTS (SELECT 1 FROM (SELECT "invoice"."total" AS "quarry_value""#))
        #expect(!sqlite.sql.contains("ALL ("))
        // The subquery runs in each EXISTS, so its value is bound twice.
        #expect(sqlite.binds == [.integer(1), .integer(1)])
    }
}
