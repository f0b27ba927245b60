import Foundation
import Quarry
import QuarryTesting
import Testing

/// `series(from:through:by:)` — `generate_series` as rows — on both backends: integers up and
/// down, dates and timestamps by days and months, ends that are subqueries, a calendar joined to
/// the rows it counts, and steps that cannot end.
@Suite("Series")
struct SeriesTests {
    @Test(arguments: Backend.allCases)
    func integersUpDownAndNone(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let up = try await engine.all(select(SeriesNumber.self).from(series(from: 1, through: 12)))
            #expect(up.map(\.number) == Array(1...12))
            let down = try await engine.all(select(SeriesNumber.self).from(series(from: 10, through: 1, by: -3)))
            #expect(down.map(\.number) == [10, 7, 4, 1])
            // A range the step never reaches is empty, as generate_series's.
            #expect(try await engine.all(select(SeriesNumber.self).from(series(from: 5, through: 1))).isEmpty)
            // Filtered, ordered and aggregated like a table.
            let evens = try await engine.all(
                select(SeriesNumber.Columns.number, from: SeriesNumber.self)
                    .from(series(from: 1, through: 20))
                    .where(SeriesNumber.Columns.number % 2 == 0)
                    .orderBy(SeriesNumber.Columns.number.desc)
                    .limit(3)
            )
            #expect(evens == [20, 18, 16])
        }
    }

    @Test(arguments: Backend.allCases)
    func datesAndTimestamps(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let october = try await engine.all(
                select(SeriesDay.self).from(
                    series(
                        from: value(CalendarDate(year: 2012, month: 10, day: 1)!),
                        through: value(CalendarDate(year: 2012, month: 10, day: 31)!),
                        by: Interval(days: 1)
                    )
                )
            )
            #expect(october.count == 31)
            #expect(october.first?.day == CalendarDate(year: 2012, month: 10, day: 1))
            #expect(october.last?.day == CalendarDate(year: 2012, month: 10, day: 31))

            let start = Date(timeIntervalSince1970: 1_325_376_000)  // 2012-01-01 00:00:00 UTC
            let months = try await engine.all(
                select(SeriesInstant.self).from(
                    series(
                        from: value(start),
                        through: value(start.addingTimeInterval(366 * 86_400)),
                        by: Interval(months: 3)
                    )
                )
            )
            #expect(
                months.map(\.at).map { Int($0.timeIntervalSince1970) } == [
                    1_325_376_000, 1_333_238_400, 1_341_100_800, 1_349_049_600, 1_356_998_400,
                ]
            )
            // Backwards by hours.
            let hours = try await engine.all(
                select(SeriesInstant.self).from(
                    series(
                        from: value(start),
                        through: value(start.addingTimeInterval(-3 * 3600)),
                        by: Interval(microseconds: -3_600_000_000)
                    )
                )
            )
            #expect(hours.count == 4)
        }
    }

    /// A calendar of the stays' days left-joined to them: days without a stay count zero. The
    /// end is a scalar subquery.
    @Test(arguments: Backend.allCases)
    func aCalendarJoinedToItsRows(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(Stay.self)
            let instant = Date(timeIntervalSince1970: 1_700_000_000)
            try await engine.execute(
                insert([
                    Stay(arrival: instant, departure: instant, day: CalendarDate(year: 2024, month: 1, day: 2)!),
                    Stay(arrival: instant, departure: instant, day: CalendarDate(year: 2024, month: 1, day: 2)!),
                    Stay(arrival: instant, departure: instant, day: CalendarDate(year: 2024, month: 1, day: 4)!),
                ])
            )
            let last = select(max(Stay.Columns.day), from: Stay.self).asScalar()
            let perDay = try await engine.all(
                select(SeriesDay.Columns.day, count(Stay.Columns.id), from: SeriesDay.self)
                    .from(
                        series(
                            from: value(CalendarDate(year: 2024, month: 1, day: 1)!),
                            through: last,
                            by: Interval(days: 1)
                        )
                    )
                    .leftJoin(Stay.self, on: Stay.Columns.day == SeriesDay.Columns.day)
                    .groupBy(SeriesDay.Columns.day)
                    .orderBy(SeriesDay.Columns.day.asc)
            )
            #expect(perDay.map(\.1) == [0, 2, 0, 1])
            #expect(perDay.map(\.0.description) == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"])
        }
    }

    /// Quarters and ISO weeks, extracted and truncated alike on both backends (a Sunday belongs
    /// to the week of the Monday before it; the first days of a year can be the last ISO week of
    /// the year before).
    @Test(arguments: Backend.allCases)
    func quartersAndISOWeeks(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let cases: [(String, Int64, Int64, String, String)] = [
                ("2024-01-01 12:00:00", 1, 1, "2024-01-01 00:00:00", "2024-01-01 00:00:00"),
                ("2024-05-19 12:00:00", 2, 20, "2024-05-13 00:00:00", "2024-04-01 00:00:00"),
                ("2021-01-03 12:00:00", 1, 53, "2020-12-28 00:00:00", "2021-01-01 00:00:00"),
                ("2024-12-31 12:00:00", 4, 1, "2024-12-30 00:00:00", "2024-10-01 00:00:00"),
            ]
            for (text, quarter, week, monday, quarterStart) in cases {
                let day = value(Date.fromDatabaseValue(.text(text))!)
                let (q, w, weekStart, firstDay) = try await engine.one(
                    select(
                        extract(.quarter, from: day),
                        extract(.week, from: day),
                        truncate(day, to: .week),
                        truncate(day, to: .quarter)
                    )
                )
                #expect(q == quarter && w == week, "\(text)")
                #expect(weekStart == Date.fromDatabaseValue(.text(monday)), "\(text)")
                #expect(firstDay == Date.fromDatabaseValue(.text(quarterStart)), "\(text)")
            }
        }
    }

    @Test func compilesToARecursiveCommonTableWithBoundValues() throws {
        let compiled = try select(SeriesNumber.self).from(series(from: 1, through: 12, by: 2)).compile(for: .postgresql)
        #expect(
            compiled.sql
                == #"SELECT "numbers"."number" FROM (WITH RECURSIVE "quarry_series" ("value") AS (SELECT $1 WHERE $2 <= $3 UNION ALL SELECT "quarry_series"."value" + $4 FROM "quarry_series" WHERE "quarry_series"."value" + $5 <= $6) SELECT "quarry_series"."value" AS "number" FROM "quarry_series") AS "numbers""#
        )
        #expect(compiled.binds == [.integer(1), .integer(1), .integer(12), .integer(2), .integer(2), .integer(12)])
    }

    @Test func stepsThatNeverEndDoNotCompile() throws {
        for statement in [
            select(SeriesNumber.self).from(series(from: 1, through: 5, by: 0)),
            // Inside a subquery too.
            select(SeriesNumber.self).from(series(from: 1, through: 5, by: 1)).where(
                SeriesNumber.Columns.number
                    == select(SeriesNumber.Columns.number, from: SeriesNumber.self)
                    .from(series(from: 1, through: 2, by: 0)).limit(1).asScalar()
            ),
        ] {
            let error = #expect(throws: CompileError.self) { try statement.compile(for: .postgresql) }
            #expect(error?.code == .invalidValue)
        }
        let today = CalendarDate(year: 2024, month: 1, day: 1)!
        for step in [Interval(), Interval(months: 1, days: -1)] {
            let statement = select(SeriesDay.self).from(series(from: value(today), through: value(today), by: step))
            let error = #expect(throws: CompileError.self) { try statement.compile(for: .sqlite) }
            #expect(error?.code == .invalidValue)
        }
    }
}

@Table("numbers")
struct SeriesNumber: Sendable, Equatable {
    var number: Int64
}

@Table("days")
struct SeriesDay: Sendable, Equatable {
    var day: CalendarDate
}

@Table("instants")
struct SeriesInstant: Sendable, Equatable {
    var at: Date
}
