import Foundation
import Quarry
import Testing

/// Every type round-trips identically: conformance checks.
enum TypeRoundTripChecks {
    static let samples: [Sample] = [
        Sample(
            int: 0,
            int32: 0,
            int64: 0,
            double: 0,
            flag: false,
            text: "",
            date: Date(timeIntervalSince1970: 0),
            uuid: UUID(uuidString: "00000000-0000-0000-0000-000000000000")!,
            data: Data(),
            json: JSONColumn(Preferences(theme: "", tags: [], limits: [:])),
            optionalInt: nil,
            optionalText: nil,
            optionalDate: nil,
            optionalUUID: nil,
            optionalData: nil,
            optionalBool: nil,
            optionalDouble: nil
        ),
        Sample(
            int: Int.max,
            int32: Int32.max,
            int64: Int64.max,
            double: 1.0e300,
            flag: true,
            text: "Grüße, 世界 🌍 — \"quotes\" 'single' \\ backslash\nnewline\ttab",
            date: Date(timeIntervalSince1970: 1_700_000_000.123456),
            uuid: UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!,
            data: Data([0, 1, 2, 255, 0]),
            json: JSONColumn(Preferences(theme: "dark ☾", tags: ["a", "b"], limits: ["x": 1])),
            optionalInt: Int64.min,
            optionalText: "",
            optionalDate: Date(timeIntervalSince1970: -2_208_988_800.000001),
            optionalUUID: UUID(),
            optionalData: Data(repeating: 7, count: 1000),
            optionalBool: false,
            optionalDouble: -0.000001
        ),
        Sample(
            int: Int.min,
            int32: Int32.min,
            int64: Int64.min,
            double: -123.456e-200,
            flag: true,
            text: "x'); DROP TABLE samples; --",
            date: Date(timeIntervalSince1970: -1.5),
            uuid: UUID(),
            data: Data("bytes".utf8),
            json: JSONColumn(Preferences(theme: "light", tags: ["tab\t", "quote\""], limits: ["y": -1])),
            optionalInt: 42,
            optionalText: "SELECT * FROM users WHERE '1'='1'",
            optionalDate: Date(timeIntervalSince1970: 4_102_444_800.999999),
            optionalUUID: nil,
            optionalData: nil,
            optionalBool: true,
            optionalDouble: Double.greatestFiniteMagnitude
        ),
    ]

    static let modelsRoundTrip: ConformanceCheck = .init("modelsRoundTrip") { backend in
        try await withTestEngine(backend) { engine in
            try await engine.createAll(Sample.self)
            var stored: [Sample] = []
            for sample in Self.samples {
                let saved = try await engine.one(insert(sample).returning())
                #expect(saved.id != nil)
                var expected = sample
                expected.id = saved.id
                expected.date = sample.date.roundedToMicroseconds
                expected.optionalDate = sample.optionalDate?.roundedToMicroseconds
                #expect(saved == expected)
                stored.append(expected)
            }
            let loaded = try await engine.all(select(Sample.self).orderBy(\.id))
            #expect(loaded == stored)
            // Values are bound, never spliced: the injection text is stored verbatim and the table survives.
            let found = try await engine.oneOrNone(select(Sample.self).where(\.text == "x'); DROP TABLE samples; --"))
            #expect(found?.text == "x'); DROP TABLE samples; --")
            #expect(try await engine.scalar(select(count(), from: Sample.self)) == 3)
        }
    }

    static let exactSamples: [ExactValues] = [
        ExactValues(
            tiny: .min,
            small: .min,
            byte: .min,
            word: .min,
            unsigned: .min,
            single: -Float.greatestFiniteMagnitude,
            amount: Decimal(string: "-99999999999999999999999999999999999999")!,  // 38 digits
            price: Decimal(string: "-99999999.99")!,
            genre: .rock,
            priority: nil,
            optionalAmount: nil
        ),
        ExactValues(
            tiny: .max,
            small: .max,
            byte: .max,
            word: .max,
            unsigned: .max,
            single: .leastNonzeroMagnitude,
            amount: Decimal(string: "0.00000000000000000000000000000000000001")!,  // 38 places
            price: Decimal(string: "19.99")!,
            genre: .jazz,
            priority: .high,
            optionalAmount: Decimal(string: "12345678901234567890.123456789")!
        ),
        ExactValues(
            tiny: 0,
            small: -1,
            byte: 7,
            word: 65_000,
            unsigned: 4_000_000_000,
            single: 0.1,
            amount: Decimal(sign: .plus, exponent: 20, significand: 7),  // a negative scale: 7e20
            price: Decimal(string: "0.10")!,
            genre: .classical,
            priority: .low,
            optionalAmount: Decimal(string: "0.1")!
        ),
    ]

    /// Integers at their limits, `Float`, exact `Decimal`s (38 digits, 38 places, a negative scale,
    /// `NUMERIC(10, 2)`), enums; a stored value that fits no case, and NaN, are typed errors.
    static let exactTypesRoundTripAtTheirLimits: ConformanceCheck = .init("exactTypesRoundTripAtTheirLimits") {
        backend in
        try await withTestEngine(backend) { engine in
            try await engine.createAll(ExactValues.self)
            var stored: [ExactValues] = []
            for sample in Self.exactSamples {
                var expected = sample
                expected.id = try await engine.one(insert(sample).returning()).id
                stored.append(expected)
            }
            let loaded = try await engine.all(select(ExactValues.self).orderBy(\.id))
            #expect(loaded == stored)
            for (row, sample) in zip(loaded, stored) {
                // Decimal's == compares values; the text shows the digits are all there.
                #expect(row.amount.description == sample.amount.description)
            }
            // Comparisons are numeric on both backends.
            let cheap = try await engine.all(
                select(ExactValues.Columns.price, from: ExactValues.self).where(\.price < Decimal(1)).orderBy(
                    ExactValues.Columns.price.asc
                )
            )
            #expect(cheap == [Decimal(string: "-99999999.99")!, Decimal(string: "0.10")!])
            if backend.isPostgreSQL {
                // numeric arithmetic is exact: 0.1 + 0.2 is 0.3, not 0.30000000000000004 (SQLite
                // computes with doubles; sum in Swift over the Decimals for exact totals there).
                let exact = try await engine.scalar(
                    select(value(Decimal(string: "0.1")!) + value(Decimal(string: "0.2")!))
                )
                #expect(exact == Decimal(string: "0.3")!)
            }

            // A stored text that is no case of the enum: a typed error naming table and column.
            try await engine.execute(
                update(ExactValues.self).set(\.priority, to: nil).where(\.id == stored[0].id!)
            )
            try await engine.execute(
                SQL(unsafeRaw: "UPDATE exact_values SET genre = 'polka' WHERE id = \(stored[0].id!)")
            )
            let unknown = await #expect(throws: DatabaseError.self) {
                try await engine.all(select(ExactValues.self))
            }
            #expect(unknown?.code == .typeMismatch)
            #expect(unknown?.table == "exact_values")
            #expect(unknown?.message.contains("genre") == true, "\(unknown?.message ?? "")")
            #expect(unknown?.message.contains("Genre") == true)

            // A numeric beyond Int64 read as an integer: a typed error, not a wrap-around.
            let huge = await #expect(throws: DatabaseError.self) {
                try await engine.scalar(SQLQuery<Int64>("SELECT amount FROM exact_values WHERE id = \(stored[0].id!)"))
            }
            #expect(huge?.code == .typeMismatch)

            // NaN has no exact stored form: refused before anything is sent.
            var nan = Self.exactSamples[0]
            nan.amount = .nan
            let refused = await #expect(throws: CompileError.self) { try await engine.execute(insert(nan)) }
            #expect(refused?.code == .invalidValue)
        }
    }

    static let calendarSamples: [CalendarValues] = [
        CalendarValues(
            day: CalendarDate(year: 1, month: 1, day: 1)!,
            opens: TimeOfDay(hour: 0, minute: 0)!,
            wait: .zero,
            period: Interval(),
            tags: [],
            scores: [],
            amounts: [],
            flags: [],
            days: [],
            ids: [],
            optionalDay: nil,
            optionalTags: nil
        ),
        CalendarValues(
            day: CalendarDate(year: 9999, month: 12, day: 31)!,
            opens: TimeOfDay(hour: 23, minute: 59, second: 59, microsecond: 999_999)!,
            wait: .seconds(86_400 * 400) + .microseconds(1),
            period: Interval(months: 14, days: -3, microseconds: -1_500_000),
            tags: ["", "a,b", "{braces}", "quote\"", "back\\slash", "NULL", "Grüße 🌍", " spaced "],
            scores: [nil, Int32.min, Int32.max, nil],
            amounts: [Decimal(string: "-99999999999999999999999999999999999999")!, Decimal(string: "0.10")!],
            flags: [true, false],
            days: [CalendarDate(year: 2024, month: 2, day: 29)!, CalendarDate(year: 1969, month: 12, day: 31)!],
            ids: [UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!],
            optionalDay: CalendarDate(year: 2000, month: 1, day: 1)!,
            optionalTags: [Int64.max, Int64.min]
        ),
        CalendarValues(
            day: CalendarDate(year: 1970, month: 1, day: 1)!,
            opens: TimeOfDay(hour: 9, minute: 30)!,
            wait: .milliseconds(-2_500),
            period: Interval(days: 1),
            tags: ["one"],
            scores: [7],
            amounts: [Decimal(sign: .plus, exponent: 20, significand: 7)],
            flags: [false],
            days: [CalendarDate(year: 1999, month: 12, day: 31)!],
            ids: [],
            optionalDay: nil,
            optionalTags: []
        ),
    ]

    /// Dates without times at their limits, times of day to the microsecond, durations and intervals
    /// (negative parts, months), arrays (empty, with NULLs, with text that needs quoting, exact
    /// decimals); a value that does not fit is a typed error.
    static let calendarTypesAndArraysRoundTrip: ConformanceCheck = .init("calendarTypesAndArraysRoundTrip") { backend in
        try await withTestEngine(backend) { engine in
            try await engine.createAll(CalendarValues.self)
            var stored: [CalendarValues] = []
            for sample in Self.calendarSamples {
                var expected = sample
                expected.id = try await engine.one(insert(sample).returning()).id
                stored.append(expected)
            }
            #expect(try await engine.all(select(CalendarValues.self).orderBy(\.id)) == stored)

            // Compared and ordered as dates, times and durations on both backends.
            let byDay = try await engine.all(
                select(CalendarValues.Columns.day, from: CalendarValues.self)
                    .where(\.day > CalendarDate(year: 1969, month: 1, day: 1)!).orderBy(CalendarValues.Columns.day.asc)
            )
            #expect(
                byDay == [CalendarDate(year: 1970, month: 1, day: 1)!, CalendarDate(year: 9999, month: 12, day: 31)!]
            )
            let early = try await engine.all(
                select(CalendarValues.Columns.opens, from: CalendarValues.self)
                    .where(\.opens < TimeOfDay(hour: 12, minute: 0)!).orderBy(CalendarValues.Columns.opens.desc)
            )
            #expect(early == [TimeOfDay(hour: 9, minute: 30)!, TimeOfDay(hour: 0, minute: 0)!])
            let longest = try await engine.scalar(
                select(CalendarValues.Columns.wait, from: CalendarValues.self).orderBy(CalendarValues.Columns.wait.desc)
                    .limit(1)
            )
            #expect(longest == .seconds(86_400 * 400) + .microseconds(1))
            let tagged = try await engine.all(
                select(CalendarValues.Columns.id, from: CalendarValues.self).where(\.tags == ["one"])
            )
            #expect(tagged == [stored[2].id])

            // A NULL element read into non-optional elements, and an interval with months read as
            // a Duration: typed errors, not a guess.
            let nulls = await #expect(throws: DatabaseError.self) {
                try await engine.all(
                    SQLQuery<[Int32]>("SELECT scores FROM calendar_values WHERE id = \(stored[1].id!)")
                )
            }
            #expect(nulls?.code == .typeMismatch)
            let months = await #expect(throws: DatabaseError.self) {
                try await engine.all(
                    SQLQuery<Duration>("SELECT period FROM calendar_values WHERE id = \(stored[1].id!)")
                )
            }
            #expect(months?.code == .typeMismatch)
            #expect(
                try await engine.scalar(
                    SQLQuery<Duration>("SELECT period FROM calendar_values WHERE id = \(stored[2].id!)")
                )
                    == .seconds(86_400)
            )
        }
    }

    static let nulBytesInTextAreRefusedClearlyOrKept: ConformanceCheck = .init("nulBytesInTextAreRefusedClearlyOrKept")
    {
        backend in
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self)
            let nul = User(name: "nul\u{0}byte", email: "nul@example.com")
            // PostgreSQL text cannot hold NUL and SQLite's C API would cut the text at it: both
            // refuse it with a typed, clear error, and nothing is written.
            let error = await #expect(throws: DatabaseError.self) { try await engine.execute(insert(nul)) }
            #expect(error?.code == .invalidValue)
            #expect(try await engine.scalar(select(count(), from: User.self)) == 0)
        }
    }

    static let microsecondsAreKept: ConformanceCheck = .init("microsecondsAreKept") { backend in
        try await withTestEngine(backend) { engine in
            let instant = Date(timeIntervalSince1970: 1_704_070_800.007920)
            let value = try await engine.scalar(select(value(instant)))
            #expect(value == instant.roundedToMicroseconds)
            #expect(TimestampFormat.format(value) == "2024-01-01 01:00:00.007920")
        }
    }

    static let rawSQLInterpolationBinds: ConformanceCheck = .init("rawSQLInterpolationBinds") { backend in
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self)
            let evil = "a@b.c' OR '1'='1"
            try await engine.execute(insert(User(name: "Ada", email: "ada@example.com")))
            let rows = try await engine.all("SELECT id, email FROM users WHERE email = \(evil)" as SQL)
            #expect(rows.isEmpty)
            let hit = try await engine.all("SELECT id, email FROM users WHERE email = \("ada@example.com")" as SQL)
            #expect(try hit.map { try $0.decode(String.self, "email") } == ["ada@example.com"])
        }
    }
}
