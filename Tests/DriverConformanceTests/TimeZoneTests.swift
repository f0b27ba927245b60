import Foundation
import Quarry
import QuarryTesting
import Testing

@Table("stamps")
struct Stamp: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var instant: Date
    @Column(.type(.localTimestamp)) var wall: Date
}

/// Regression (issue 15, item 4): a `Date` was always sent as `timestamptz`, so against a
/// `timestamp` (without time zone) column the rows a query found depended on the server's
/// TimeZone setting. Sessions now run in UTC: both column kinds give the same rows whatever the
/// server is set to.
@Suite("Time zones")
struct TimeZoneTests {
    @Test func timestampsMeanTheSameUnderAServerInTokyo() async throws {
        try await TestDatabase.withOwnPostgreSQLDatabase(["ALTER DATABASE {db} SET timezone TO 'Asia/Tokyo'"]) {
            url,
            _ in
            let engine = try Engine(url: url)
            try await TestDatabase.run(engine) { engine in
                #expect(try await engine.scalar(SQLQuery<String>("SELECT current_setting('TimeZone')")) == "UTC")
                try await engine.createAll(Stamp.self)
                let midnight = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01 00:00:00 UTC
                let stored = try await engine.one(insert(Stamp(instant: midnight, wall: midnight)).returning())
                #expect(stored.instant == midnight && stored.wall == midnight)
                let wallText = try await engine.scalar(SQLQuery<String>("SELECT wall::text FROM stamps"))
                #expect(wallText == "2024-01-01 00:00:00", "a timestamp column holds the UTC wall time")
                #expect(try await engine.all(select(Stamp.self).where(\.wall >= midnight)).count == 1)
                #expect(
                    try await engine.all(select(Stamp.self).where(\.wall > midnight.addingTimeInterval(1))).isEmpty
                )
                #expect(try await engine.all(select(Stamp.self).where(\.instant == midnight)).count == 1)
            }
        }
    }
}
