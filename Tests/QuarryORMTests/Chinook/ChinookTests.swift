import Foundation
import Quarry
import QuarryTesting
import Testing

/// The Chinook sample database (read from the shared corpus, never copied into the repository)
/// modelled with @Table on both backends: every row of every table reads into its model and writes
/// back unchanged into an empty schema; money is exact; the composite key and the self-reference
/// work.
@Suite("Chinook")
struct ChinookTests {
    @Test(arguments: Backend.allCases)
    func everyRowRoundTripsAndMoneyIsExact(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { source in
            try await withTestEngine(backend) { copy in
                try await copy.createAll(ChinookSource.tables)
                var counts: [String: Int] = [:]
                counts["artist"] = try await Self.copyEveryRow(Artist.self, from: source, to: copy)
                counts["album"] = try await Self.copyEveryRow(Album.self, from: source, to: copy)
                counts["employee"] = try await Self.copyEveryRow(Employee.self, from: source, to: copy)
                counts["customer"] = try await Self.copyEveryRow(Customer.self, from: source, to: copy)
                counts["genre"] = try await Self.copyEveryRow(Genre.self, from: source, to: copy)
                counts["invoice"] = try await Self.copyEveryRow(Invoice.self, from: source, to: copy)
                counts["media_type"] = try await Self.copyEveryRow(MediaType.self, from: source, to: copy)
                counts["playlist"] = try await Self.copyEveryRow(Playlist.self, from: source, to: copy)
                counts["track"] = try await Self.copyEveryRow(Track.self, from: source, to: copy)
                counts["invoice_line"] = try await Self.copyEveryRow(InvoiceLine.self, from: source, to: copy)
                counts["playlist_track"] = try await Self.copyEveryRow(PlaylistTrack.self, from: source, to: copy)
                #expect(
                    counts == [
                        "artist": 275, "album": 347, "employee": 8, "customer": 59, "genre": 25, "invoice": 412,
                        "media_type": 5, "playlist": 18, "track": 3503, "invoice_line": 2240, "playlist_track": 8715,
                    ]
                )

                // Money: the total in Swift over Decimals is exact, and equals the database's own.
                let totals = try await copy.all(select(Invoice.Columns.total, from: Invoice.self))
                let swiftSum = totals.reduce(Decimal(0), +)
                #expect(swiftSum == Decimal(string: "2328.60")!)
                let databaseSum = try await copy.scalar(select(sum(Invoice.Columns.total), from: Invoice.self))
                #expect(databaseSum == swiftSum, "the database's sum(total): \(String(describing: databaseSum))")
                let cheapest = try await copy.scalar(select(min(Track.Columns.unitPrice), from: Track.self))
                #expect(cheapest?.description == "0.99")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func theCompositeKeyAndTheSelfReferenceWork(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { chinook in
            // playlist_track: found, changed and deleted by both key columns.
            try await chinook.withSession { session in
                let entry = try #require(try await session.get(PlaylistTrack.self, key: Int32(1), Int32(3402)))
                #expect(entry == PlaylistTrack(playlistId: 1, trackId: 3402))
                #expect(try await session.get(PlaylistTrack.self, key: Int32(2), Int32(3402)) == nil)
                try session.delete(entry)
                try await session.commit()
            }
            let left = try await chinook.scalar(
                select(count(), from: PlaylistTrack.self).where(\.playlistId == 1)
            )
            #expect(left == 3289)
            #expect(try await chinook.scalar(select(count(), from: PlaylistTrack.self)) == 8714)

            // employee.reports_to: the general manager, the managers reporting to them, and theirs.
            let top = try await chinook.all(
                select(Employee.self).where(\.reportsTo == nil).including(all: Employee.reports)
            )
            #expect(top.map(\.parent.lastName) == ["Adams"])
            let managers = try #require(top.first).children
            #expect(managers.map(\.lastName).sorted() == ["Edwards", "Mitchell"])
            let staff = try await chinook.all(
                select(Employee.self).where(Employee.Columns.reportsTo.in(managers.map { Optional($0.employeeId) }))
                    .including(all: Employee.reports)
            )
            #expect(staff.map(\.parent.lastName).sorted() == ["Callahan", "Johnson", "King", "Park", "Peacock"])
            #expect(staff.allSatisfy { $0.children.isEmpty })
        }
    }

    /// Reads every row of `T` from `source` into models, inserts them into `target`, reads them
    /// back and checks both reads are equal, column by column; returns the row count.
    static func copyEveryRow<T: Table & Equatable>(
        _ type: T.Type,
        from source: Engine,
        to target: Engine,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Int {
        let rows = try await Self.sortedByKey(source.all(select(T.self)))
        for start in stride(from: 0, to: rows.count, by: 500) {
            try await target.execute(insert(Array(rows[start..<min(start + 500, rows.count)])))
        }
        let copied = try await Self.sortedByKey(target.all(select(T.self)))
        #expect(copied.count == rows.count, "\(T.schema.name)", sourceLocation: sourceLocation)
        for (original, copy) in zip(rows, copied) where original != copy {
            Issue.record("\(T.schema.name): \(original) was written back as \(copy)", sourceLocation: sourceLocation)
            break
        }
        return rows.count
    }

    static func sortedByKey<T: Table>(_ rows: [T]) -> [T] {
        rows.sorted { a, b in
            let (x, y) = (a.primaryKeyValues ?? [], b.primaryKeyValues ?? [])
            return x.map { Int64.fromDatabaseValue($0) ?? 0 }.lexicographicallyPrecedes(
                y.map { Int64.fromDatabaseValue($0) ?? 0 }
            )
        }
    }
}
