import Foundation
import Quarry
import QuarryTesting
import Testing

/// Reporting queries on Chinook written twice — in typed Quarry and as hand-written SQL — with
/// equal results on both backends: window functions, CASE, set operations, scalar subqueries and
/// string functions.
@Suite("Chinook reporting")
struct ChinookReportingTests {
    /// Runs hand-written SQL and decodes each row with `decode`.
    static func handWritten<T>(_ engine: Engine, _ sql: String, _ decode: (Row) throws -> T) async throws -> [T] {
        try await engine.all(SQL(unsafeRaw: sql).readOnly()).map(decode)
    }

    /// Several counts of one group in one pass (FILTER), also as a window.
    @Test(arguments: Backend.allCases)
    func filteredAggregatesMatchHandWrittenSQL(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let big = Invoice.Columns.total > Decimal(10)
            let rows = try await db.all(
                select(
                    Invoice.Columns.customerId,
                    count().filter(where: big),
                    sum(Invoice.Columns.total).filter(where: big),
                    from: Invoice.self
                )
                .where(Invoice.Columns.customerId <= 5)
                .groupBy(Invoice.Columns.customerId)
                .orderBy(Invoice.Columns.customerId.asc)
            ).map { "\($0.0) \($0.1) \($0.2.map { "\($0)" } ?? "-")" }
            let expected = try await Self.handWritten(
                db,
                """
                SELECT customer_id, COUNT(*) FILTER (WHERE total > 10), SUM(total) FILTER (WHERE total > 10)
                FROM invoice WHERE customer_id <= 5 GROUP BY customer_id ORDER BY customer_id
                """
            ) {
                "\(try $0.decode(Int32.self, at: 0)) \(try $0.decode(Int64.self, at: 1)) \(try $0.decode(Decimal?.self, at: 2).map { "\($0)" } ?? "-")"
            }
            #expect(rows == expected)
            let windowed = try await db.all(
                select(
                    Invoice.Columns.invoiceId,
                    count().filter(where: big).over(partitionBy: Invoice.Columns.customerId),
                    from: Invoice.self
                )
                .where(Invoice.Columns.customerId <= 2)
                .orderBy(Invoice.Columns.invoiceId.asc)
            ).map { "\($0.0) \($0.1)" }
            let windowedSQL = try await Self.handWritten(
                db,
                """
                SELECT invoice_id, COUNT(*) FILTER (WHERE total > 10) OVER (PARTITION BY customer_id)
                FROM invoice WHERE customer_id <= 2 ORDER BY invoice_id
                """
            ) { "\(try $0.decode(Int32.self, at: 0)) \(try $0.decode(Int64.self, at: 1))" }
            #expect(windowed == windowedSQL && windowed.count > 10)
            #expect(rows.count == 5)
        }
    }

    /// The tracks of each album in one text, in the order asked: STRING_AGG on both backends.
    @Test(arguments: Backend.allCases)
    func stringAggregationMatchesHandWrittenSQL(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let rows = try await db.all(
                select(
                    Album.Columns.albumId,
                    stringAgg(Track.Columns.name, separator: " | ", orderBy: Track.Columns.trackId.desc),
                    from: Album.self
                )
                .join(Track.self, on: Track.Columns.albumId == Album.Columns.albumId)
                .where(Album.Columns.albumId <= 3)
                .groupBy(Album.Columns.albumId)
                .orderBy(Album.Columns.albumId.asc)
            ).map { "\($0.0): \($0.1 ?? "-")" }
            let expected = try await Self.handWritten(
                db,
                """
                SELECT a.album_id, STRING_AGG(t.name, ' | ' ORDER BY t.track_id DESC) FROM album a
                JOIN track t ON t.album_id = a.album_id WHERE a.album_id <= 3 GROUP BY a.album_id ORDER BY a.album_id
                """
            ) { "\(try $0.decode(Int32.self, at: 0)): \(try $0.decode(String.self, at: 1))" }
            #expect(rows == expected)
            #expect(rows.count == 3 && rows[0].hasPrefix("1: Spellbound | "))
        }
    }

    /// Arrays of each album's track names, composers (some `NULL`) and prices, and of a customer's
    /// invoice dates (ARRAY_AGG; JSON_GROUP_ARRAY on SQLite) equal the groups built in Swift from
    /// the same rows.
    @Test(arguments: Backend.allCases)
    func arrayAggregationOfTextMoneyAndDates(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let t = Track.Columns.self
            let tracks = try await db.all(select(Track.self).where(t.albumId <= 9).orderBy(t.trackId.asc))
            let rows = try await db.all(
                select(
                    t.albumId,
                    arrayAgg(t.name, orderBy: t.trackId.asc),
                    arrayAgg(t.composer, orderBy: t.trackId.asc),
                    arrayAgg(t.unitPrice, orderBy: t.trackId.asc),
                    from: Track.self
                )
                .where(t.albumId <= 9)
                .groupBy(t.albumId)
                .orderBy(t.albumId.asc)
            )
            let byAlbum = Dictionary(grouping: tracks, by: \.albumId)
            #expect(rows.map(\.0) == byAlbum.keys.sorted { ($0 ?? 0) < ($1 ?? 0) })
            for (album, names, composers, prices) in rows {
                #expect(names == byAlbum[album]?.map(\.name), "album \(String(describing: album))")
                #expect(composers == byAlbum[album]?.map(\.composer), "album \(String(describing: album))")
                #expect(prices == byAlbum[album]?.map(\.unitPrice), "album \(String(describing: album))")
            }
            #expect(
                tracks.contains { $0.composer == nil }
                    && tracks.contains { $0.name.contains("\"") || $0.name.contains("'") }
            )

            let i = Invoice.Columns.self
            let invoices = try await db.all(select(Invoice.self).where(i.customerId == 1).orderBy(i.invoiceId.asc))
            let dates = try await db.one(
                select(arrayAgg(i.invoiceDate, orderBy: i.invoiceId.asc), from: Invoice.self).where(i.customerId == 1)
            )
            #expect(dates == invoices.map(\.invoiceDate) && !dates.isEmpty)
        }
    }

    /// The median track length per genre and the middle invoice total (PERCENTILE_CONT and
    /// PERCENTILE_DISC; Quarry's own aggregates on SQLite) equal the ones computed in Swift.
    @Test(arguments: Backend.allCases)
    func mediansMatchTheRowsInSwift(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let t = Track.Columns.self
            let tracks = try await db.all(select(Track.self).where(t.genreId <= 5))
            let medians = try await db.all(
                select(t.genreId, median(t.milliseconds), from: Track.self)
                    .where(t.genreId <= 5)
                    .groupBy(t.genreId)
                    .orderBy(t.genreId.asc)
            )
            let byGenre = Dictionary(grouping: tracks, by: \.genreId)
            #expect(medians.count == byGenre.count && medians.count == 5)
            for (genre, value) in medians {
                let lengths = (byGenre[genre] ?? []).map { Double($0.milliseconds) }.sorted()
                let middle = lengths.count / 2
                let expected = lengths.count % 2 == 1 ? lengths[middle] : (lengths[middle - 1] + lengths[middle]) / 2
                #expect(value == expected, "genre \(String(describing: genre))")
            }
            let totals = try await db.all(select(Invoice.Columns.total, from: Invoice.self)).sorted()
            let middleTotal = try await db.one(
                select(percentileDisc(0.5, of: Invoice.Columns.total), from: Invoice.self)
            )
            #expect(middleTotal == totals[(totals.count + 1) / 2 - 1])
        }
    }

    /// Sums of money are exact on both backends: the database's sums of every invoice total, of
    /// each customer's and of every line's quantity × price are the sums of the exact decimals
    /// (SQLite adds its REALs in floating point; the 15 significant digits a double holds give the
    /// decimal back).
    @Test(arguments: Backend.allCases)
    func sumsOfMoneyAreExact(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let invoices = try await db.all(select(Invoice.self))
            let total = invoices.reduce(Decimal(0)) { $0 + $1.total }
            #expect(try await db.scalar(select(sum(Invoice.Columns.total), from: Invoice.self)) == total)
            #expect(total == Decimal(string: "2328.6")!)
            let byCustomer = try await db.all(
                select(Invoice.Columns.customerId, sum(Invoice.Columns.total), from: Invoice.self)
                    .groupBy(Invoice.Columns.customerId)
            )
            var expected: [Int32: Decimal] = [:]
            for invoice in invoices { expected[invoice.customerId, default: 0] += invoice.total }
            #expect(byCustomer.count == expected.count)
            for (customer, sum) in byCustomer { #expect(sum == expected[customer], "customer \(customer)") }
            let lines = try await db.all(select(InvoiceLine.self))
            let lineTotal = lines.reduce(Decimal(0)) { $0 + Decimal(Int($1.quantity)) * $1.unitPrice }
            let line = InvoiceLine.Columns.self
            #expect(
                try await db.scalar(select(sum(line.quantity * line.unitPrice), from: InvoiceLine.self)) == lineTotal
            )
            // Where binary floating point shows (0.1 + 0.2, 3 × 1.1), the result is still the decimal.
            let (tenthPlusFifth, thrice) = try await db.one(
                select(
                    value(Decimal(string: "0.1")!) + Decimal(string: "0.2")!,
                    value(Int64(3)) * Decimal(string: "1.1")!
                )
            )
            #expect(tenthPlusFifth == Decimal(string: "0.3")! && thrice == Decimal(string: "3.3")!)
        }
    }

    /// An integer and a decimal compute a decimal, as SQL promotes the integer: either way round,
    /// and with a decimal value.
    @Test(arguments: Backend.allCases)
    func integerAndDecimalArithmeticIsDecimal(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let line = InvoiceLine.Columns.self
            let rows = try await db.all(
                select(
                    line.invoiceLineId,
                    line.quantity * line.unitPrice,
                    line.unitPrice * line.quantity,
                    line.quantity * Decimal(string: "1.5")!,
                    sum(line.quantity * line.unitPrice),
                    from: InvoiceLine.self
                )
                .where(line.invoiceId <= 3)
                .groupBy(line.invoiceLineId, line.quantity, line.unitPrice)
                .orderBy(line.invoiceLineId.asc)
            )
            let expected = try await Self.handWritten(
                db,
                "SELECT invoice_line_id, quantity * unit_price, quantity FROM invoice_line WHERE invoice_id <= 3 ORDER BY invoice_line_id"
            ) {
                (try $0.decode(Int32.self, at: 0), try $0.decode(Decimal.self, at: 1), try $0.decode(Int32.self, at: 2))
            }
            #expect(rows.count == expected.count && rows.count > 3)
            for (row, want) in zip(rows, expected) {
                #expect(row.0 == want.0 && row.1 == want.1 && row.2 == want.1 && row.4 == want.1)
                #expect(row.3 == Decimal(Int(want.2)) * Decimal(string: "1.5")!)
            }
        }
    }

    /// Comparisons across numeric kinds, as SQL promotes them: an integer with a decimal (either
    /// way round, and with a decimal value), a decimal with a floating-point expression (invoices
    /// above the average total, which is a `Double`).
    @Test(arguments: Backend.allCases)
    func integerDecimalAndFloatingPointCompare(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let line = InvoiceLine.Columns.self
            let average = select(avg(Invoice.Columns.total), from: Invoice.self).asScalar()
            let counts = try await db.one(
                select(
                    select(count(), from: Invoice.self).where(Invoice.Columns.total > average).asScalar(),
                    select(count(), from: Invoice.self).where(average >= Invoice.Columns.total).asScalar(),
                    select(count(), from: Track.self).where(Track.Columns.milliseconds > Decimal(string: "300000.5")!)
                        .asScalar(),
                    select(count(), from: InvoiceLine.self).where(line.unitPrice < line.quantity).asScalar(),
                    select(count(), from: InvoiceLine.self).where(line.quantity <= line.unitPrice).asScalar()
                )
            )
            let expected = try await Self.handWritten(
                db,
                """
                SELECT (SELECT COUNT(*) FROM invoice WHERE total > (SELECT AVG(total) FROM invoice)),
                  (SELECT COUNT(*) FROM invoice WHERE total <= (SELECT AVG(total) FROM invoice)),
                  (SELECT COUNT(*) FROM track WHERE milliseconds > 300000.5),
                  (SELECT COUNT(*) FROM invoice_line WHERE unit_price < quantity),
                  (SELECT COUNT(*) FROM invoice_line WHERE quantity <= unit_price)
                """
            ) { row in try (0..<5).map { try row.decode(Int64.self, at: $0) } }
            #expect([counts.0, counts.1, counts.2, counts.3, counts.4] == expected.first)
            #expect(counts.0 > 0 && counts.1 > 0 && counts.0 + counts.1 == 412)
            #expect(counts.3 > 0 && counts.4 > 0)
        }
    }

    /// `format(date, "YYYY-MM")` gives the same text on both backends (`TO_CHAR`, `strftime`): the
    /// monthly invoice counts under their labels match the ones counted in Swift, to the second.
    @Test(arguments: Backend.allCases)
    func datesFormatAlike(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let month = format(Invoice.Columns.invoiceDate, "YYYY-MM")
            let monthly = try await db.all(select(month, count(), from: Invoice.self).groupBy(month).orderBy(month.asc))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            func text(_ date: Date, _ units: [Calendar.Component], _ separators: [String]) -> String {
                zip(units, separators).map { unit, separator in
                    let number = String(calendar.component(unit, from: date))
                    return String(repeating: "0", count: max(0, (unit == .year ? 4 : 2) - number.count)) + number
                        + separator
                }
                .joined()
            }
            let invoices = try await db.all(select(Invoice.self).orderBy(Invoice.Columns.invoiceId.asc))
            var counts: [String: Int64] = [:]
            for invoice in invoices { counts[text(invoice.invoiceDate, [.year, .month], ["-", ""]), default: 0] += 1 }
            #expect(
                monthly.map(\.0) == counts.keys.sorted() && monthly.map(\.1) == counts.keys.sorted().map { counts[$0]! }
            )
            let stamps = try await db.all(
                select(format(Invoice.Columns.invoiceDate, "YYYY/MM/DD HH24:MI:SS"), from: Invoice.self)
                    .orderBy(Invoice.Columns.invoiceId.asc).limit(5)
            )
            let units: [Calendar.Component] = [.year, .month, .day, .hour, .minute, .second]
            #expect(stamps == invoices.prefix(5).map { text($0.invoiceDate, units, ["/", "/", " ", ":", ":", ""]) })
            let instant = value(Date(timeIntervalSince1970: 1_700_000_000))
            #expect(try await db.one(select(format(instant, "YYYY-MM-DD HH24:MI:SS"))) == "2023-11-14 22:13:20")
            await #expect(throws: CompileError.self) {
                try await db.all(select(format(Invoice.Columns.invoiceDate, "Month YYYY"), from: Invoice.self))
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func reportsMatchHandWrittenSQL(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            // 1. Each customer's rank by money spent within their country (RANK over a partition).
            let spent = sum(Invoice.Columns.total)
            let ranked = try await db.all(
                select(
                    Customer.Columns.country,
                    Customer.Columns.customerId,
                    rank().over(partitionBy: Customer.Columns.country, orderBy: spent.desc),
                    from: Customer.self
                )
                .join(Invoice.self, on: Invoice.Columns.customerId == Customer.Columns.customerId)
                .groupBy(Customer.Columns.country, Customer.Columns.customerId)
                .orderBy(Customer.Columns.country.asc, Customer.Columns.customerId.asc)
            ).map { "\($0.0 ?? "-")/\($0.1)/\($0.2)" }
            let rankedSQL = try await Self.handWritten(
                db,
                """
                SELECT c.country, c.customer_id, RANK() OVER (PARTITION BY c.country ORDER BY SUM(i.total) DESC)
                FROM customer c JOIN invoice i ON i.customer_id = c.customer_id
                GROUP BY c.country, c.customer_id ORDER BY c.country, c.customer_id
                """
            ) {
                "\(try $0.decode(String?.self, at: 0) ?? "-")/\(try $0.decode(Int32.self, at: 1))/\(try $0.decode(Int64.self, at: 2))"
            }
            #expect(ranked.count == 59)
            #expect(ranked == rankedSQL)

            // 2. A running total of customer 1's invoices (SUM over an ordered window).
            let running = try await db.all(
                select(
                    Invoice.Columns.invoiceId,
                    sum(Invoice.Columns.total).over(orderBy: Invoice.Columns.invoiceId.asc),
                    from: Invoice.self
                )
                .where(\.customerId == 1).orderBy(Invoice.Columns.invoiceId.asc)
            ).map { "\($0.0):\($0.1 ?? 0)" }
            let runningSQL = try await Self.handWritten(
                db,
                "SELECT invoice_id, SUM(total) OVER (ORDER BY invoice_id) FROM invoice WHERE customer_id = 1 ORDER BY invoice_id"
            ) { "\(try $0.decode(Int32.self, at: 0)):\(try $0.decode(Decimal?.self, at: 1) ?? 0)" }
            #expect(running.count == 7)
            #expect(running == runningSQL)

            // 3. Tracks per price band (CASE), most tracks first.
            let band = when(Track.Columns.unitPrice < Decimal(1), then: "budget").else("standard")
            let bands = try await db.all(
                select(band.as("band"), count(), from: Track.self).groupBy(band).orderBy(band.asc)
            ).map { "\($0.0)=\($0.1)" }
            let bandsSQL = try await Self.handWritten(
                db,
                "SELECT CASE WHEN unit_price < 1 THEN 'budget' ELSE 'standard' END AS band, COUNT(*) FROM track GROUP BY band ORDER BY band"
            ) { "\(try $0.decode(String.self, at: 0))=\(try $0.decode(Int64.self, at: 1))" }
            #expect(bands == ["budget=3290", "standard=213"])
            #expect(bands == bandsSQL)

            // 4. Every city with a customer or an employee (UNION), and those with both (INTERSECT)
            //    or customers only (EXCEPT).
            let customerCities = select(Customer.Columns.city, from: Customer.self)
            let employeeCities = select(Employee.Columns.city, from: Employee.self)
            let cities = try await db.all(customerCities.union(employeeCities).orderBy(Customer.Columns.city.asc))
            let citiesSQL = try await Self.handWritten(
                db,
                "SELECT city FROM customer UNION SELECT city FROM employee ORDER BY city"
            ) { try $0.decode(String?.self, at: 0) }
            #expect(cities.count == 55)
            #expect(cities == citiesSQL)
            let both = try await db.all(customerCities.intersect(employeeCities).orderBy(Customer.Columns.city.asc))
            let bothSQL = try await Self.handWritten(
                db,
                "SELECT city FROM customer INTERSECT SELECT city FROM employee ORDER BY city"
            ) { try $0.decode(String?.self, at: 0) }
            #expect(both == ["Edmonton"])
            #expect(both == bothSQL)
            let customersOnly = try await db.all(
                customerCities.except(employeeCities).orderBy(Customer.Columns.city.desc).limit(3)
            )
            let customersOnlySQL = try await Self.handWritten(
                db,
                "SELECT city FROM customer EXCEPT SELECT city FROM employee ORDER BY city DESC LIMIT 3"
            ) { try $0.decode(String?.self, at: 0) }
            #expect(customersOnly.count == 3)
            #expect(customersOnly == customersOnlySQL)

            // 5. Tracks longer than the average track (a scalar subquery).
            let average = select(avg(Track.Columns.milliseconds), from: Track.self)
            let longer = try await db.scalar(
                select(count(), from: Track.self)
                    .where(cast(Track.Columns.milliseconds, as: Double.self) > average.asScalar())
            )
            let longerSQL = try await db.scalar(
                SQLQuery<Int64>(
                    "SELECT COUNT(*) FROM track WHERE CAST(milliseconds AS DOUBLE PRECISION) > (SELECT AVG(milliseconds) FROM track)"
                        .replacingOccurrences(
                            of: "DOUBLE PRECISION",
                            with: backend == .sqlite ? "REAL" : "DOUBLE PRECISION"
                        )
                        .sqlText
                ).readOnly()
            )
            #expect(longer == 494)
            #expect(longer == longerSQL)

            // 6. Each employee's hire order and the one hired before them (ROW_NUMBER, LAG).
            let hired = try await db.all(
                select(
                    Employee.Columns.lastName,
                    rowNumber().over(orderBy: Employee.Columns.hireDate.asc, Employee.Columns.employeeId.asc),
                    lag(Employee.Columns.lastName).over(
                        orderBy: Employee.Columns.hireDate.asc,
                        Employee.Columns.employeeId.asc
                    ),
                    from: Employee.self
                ).orderBy(Employee.Columns.hireDate.asc, Employee.Columns.employeeId.asc)
            ).map { "\($0.1):\($0.0)<\($0.2 ?? "-")" }
            let hiredSQL = try await Self.handWritten(
                db,
                "SELECT last_name, ROW_NUMBER() OVER (ORDER BY hire_date, employee_id), LAG(last_name, 1) OVER (ORDER BY hire_date, employee_id) FROM employee ORDER BY hire_date, employee_id"
            ) {
                "\(try $0.decode(Int64.self, at: 1)):\(try $0.decode(String.self, at: 0))<\(try $0.decode(String?.self, at: 2) ?? "-")"
            }
            #expect(hired.count == 8 && hired[0].hasPrefix("1:") && hired[0].hasSuffix("<-"))
            #expect(hired == hiredSQL)

            // 7. String functions: initials and full names of the customers whose last name starts with S.
            let names = try await db.all(
                select(
                    upper(substring(Customer.Columns.firstName, from: 1, length: 1)).concat(". ").concat(
                        Customer.Columns.lastName
                    ),
                    length(Customer.Columns.lastName),
                    from: Customer.self
                )
                .where(substring(Customer.Columns.lastName, from: 1, length: 1) == "S")
                .orderBy(Customer.Columns.lastName.asc)
            ).map { "\($0.0)(\($0.1))" }
            let namesSQL = try await Self.handWritten(
                db,
                "SELECT UPPER(SUBSTR(first_name, 1, 1)) || '. ' || last_name, LENGTH(last_name) FROM customer WHERE SUBSTR(last_name, 1, 1) = 'S' ORDER BY last_name"
            ) { "\(try $0.decode(String.self, at: 0))(\(try $0.decode(Int64.self, at: 1)))" }
            #expect(!names.isEmpty)
            #expect(names == namesSQL)

            // 8. Each genre's share of the tracks, in quartiles of size (NTILE, DENSE_RANK).
            let sized = try await db.all(
                select(
                    Genre.Columns.name,
                    denseRank().over(orderBy: count().desc),
                    ntile(4).over(orderBy: count().desc, Genre.Columns.genreId.asc),
                    from: Genre.self
                )
                .join(Track.self, on: Track.Columns.genreId == Genre.Columns.genreId)
                .groupBy(Genre.Columns.genreId, Genre.Columns.name)
                .orderBy(Genre.Columns.genreId.asc)
            ).map { "\($0.0 ?? "-"):\($0.1):\($0.2)" }
            let sizedSQL = try await Self.handWritten(
                db,
                "SELECT g.name, DENSE_RANK() OVER (ORDER BY COUNT(*) DESC), NTILE(4) OVER (ORDER BY COUNT(*) DESC, g.genre_id) FROM genre g JOIN track t ON t.genre_id = g.genre_id GROUP BY g.genre_id, g.name ORDER BY g.genre_id"
            ) {
                "\(try $0.decode(String?.self, at: 0) ?? "-"):\(try $0.decode(Int64.self, at: 1)):\(try $0.decode(Int64.self, at: 2))"
            }
            #expect(sized.count == 25)
            #expect(sized.first == "Rock:1:1")
            #expect(sized == sizedSQL)
        }
    }
}

/// The rows of the recursive employee chain: who, and how many managers above them.
@Table("chain")
struct Chain: Sendable, Equatable {
    var employeeId: Int32
    var depth: Int64
}

/// A customer's total, as a common table.
@Table("customer_totals")
struct CustomerTotal: Sendable, Equatable {
    var customerId: Int32
    var spent: Decimal?
}

extension ChinookReportingTests {
    @Test(arguments: Backend.allCases)
    func commonTablesMatchHandWrittenSQL(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            // The reporting chain: depth of every employee below the general manager (WITH RECURSIVE).
            let top = select(Employee.Columns.employeeId, value(Int64(0)), from: Employee.self)
                .where(Employee.Columns.reportsTo.isNull)
            let step = select(Employee.Columns.employeeId, Chain.Columns.depth + 1, from: Employee.self)
                .join(Chain.self, on: Employee.Columns.reportsTo == Chain.Columns.employeeId)
            let chain = try await db.all(
                select(Chain.self).with(Chain.self, recursive: true, as: top.unionAll(step))
                    .orderBy(Chain.Columns.employeeId.asc)
            ).map { "\($0.employeeId):\($0.depth)" }
            let chainSQL = try await Self.handWritten(
                db,
                """
                WITH RECURSIVE chain (employee_id, depth) AS (
                  SELECT employee_id, 0 FROM employee WHERE reports_to IS NULL
                  UNION ALL
                  SELECT e.employee_id, c.depth + 1 FROM employee e JOIN chain c ON e.reports_to = c.employee_id)
                SELECT employee_id, depth FROM chain ORDER BY employee_id
                """
            ) { "\(try $0.decode(Int32.self, at: 0)):\(try $0.decode(Int64.self, at: 1))" }
            #expect(chain == ["1:0", "2:1", "3:2", "4:2", "5:2", "6:1", "7:2", "8:2"])
            #expect(chain == chainSQL)

            // The five biggest spenders from a common table of totals.
            let totals = select(Invoice.Columns.customerId, sum(Invoice.Columns.total).as("spent"), from: Invoice.self)
                .groupBy(Invoice.Columns.customerId)
            let biggest = try await db.all(
                select(CustomerTotal.self).with(CustomerTotal.self, as: totals)
                    .orderBy(CustomerTotal.Columns.spent.desc, CustomerTotal.Columns.customerId.asc).limit(5)
            ).map { "\($0.customerId):\($0.spent ?? 0)" }
            let biggestSQL = try await Self.handWritten(
                db,
                "WITH customer_totals (customer_id, spent) AS (SELECT customer_id, SUM(total) FROM invoice GROUP BY customer_id) SELECT customer_id, spent FROM customer_totals ORDER BY spent DESC, customer_id LIMIT 5"
            ) { "\(try $0.decode(Int32.self, at: 0)):\(try $0.decode(Decimal?.self, at: 1) ?? 0)" }
            #expect(biggest.count == 5 && biggest[0].hasPrefix("6:"))
            #expect(biggest == biggestSQL)
        }
    }
}

/// A customer's latest invoices, the rows of a lateral subquery.
@Table("recent")
struct RecentInvoice: Sendable, Equatable {
    var invoiceId: Int32
    var total: Decimal
}

extension ChinookReportingTests {
    /// Joining subqueries (derived tables): each customer beside their total from a grouped
    /// subquery, on both backends; and each customer's two latest invoices through a lateral
    /// subquery on PostgreSQL, which SQLite refuses before running anything.
    @Test(arguments: Backend.allCases)
    func derivedAndLateralJoinsMatchTheRowsInSwift(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let c = Customer.Columns.self
            let i = Invoice.Columns.self
            let invoices = try await db.all(select(Invoice.self))
            var spent: [Int32: Decimal] = [:]
            for invoice in invoices { spent[invoice.customerId, default: 0] += invoice.total }

            let totals = select(i.customerId, sum(i.total), from: Invoice.self).groupBy(i.customerId)
            let joined = try await db.all(
                select(c.customerId, CustomerTotal.Columns.spent, from: Customer.self)
                    .join(CustomerTotal.self, as: totals, on: CustomerTotal.Columns.customerId == c.customerId)
                    .where(CustomerTotal.Columns.spent > Decimal(45))
                    .orderBy(c.customerId.asc)
            )
            let expected = spent.filter { $0.value > 45 }.sorted { $0.key < $1.key }
            #expect(joined.map(\.0) == expected.map(\.key) && !joined.isEmpty)
            #expect(joined.map { $0.1 ?? 0 } == expected.map(\.value))

            // A left join keeps customers without a match (none spent over 1,000: all NULL).
            let big = totals.having(sum(i.total) > Decimal(1_000))
            let unmatched = try await db.all(
                select(c.customerId, CustomerTotal.Columns.spent, from: Customer.self)
                    .leftJoin(CustomerTotal.self, as: big, on: CustomerTotal.Columns.customerId == c.customerId)
            )
            #expect(unmatched.count == spent.count && unmatched.allSatisfy { $0.1 == nil })

            let latest = select(i.invoiceId, i.total, from: Invoice.self)
                .where(i.customerId == c.customerId)
                .orderBy(i.invoiceDate.desc, i.invoiceId.desc)
                .limit(2)
            let lateral = select(c.customerId, RecentInvoice.Columns.invoiceId, from: Customer.self)
                .joinLateral(RecentInvoice.self, as: latest)
                .orderBy(c.customerId.asc, RecentInvoice.Columns.invoiceId.asc)
            guard backend == .postgres else {
                let error = await #expect(throws: CompileError.self) { try await db.all(lateral) }
                #expect(error?.code == .unsupportedByDialect)
                return
            }
            let rows = try await db.all(lateral).map { "\($0.0):\($0.1)" }
            let byCustomer: [Int32: [Invoice]] = Dictionary(grouping: invoices, by: \.customerId)
            var inSwift: [String] = []
            for (customer, theirs) in byCustomer.sorted(by: { $0.key < $1.key }) {
                let newest = theirs.sorted { (a: Invoice, b: Invoice) -> Bool in
                    a.invoiceDate != b.invoiceDate ? a.invoiceDate > b.invoiceDate : a.invoiceId > b.invoiceId
                }
                let ids: [Int32] = newest.prefix(2).map(\.invoiceId).sorted()
                inSwift += ids.map { "\(customer):\($0)" }
            }
            #expect(rows == inSwift && rows.count == 2 * spent.count)

            // LEFT JOIN LATERAL keeps a customer whose subquery returns nothing.
            let none = latest.where(i.total > Decimal(1_000))
            let kept = try await db.all(
                select(c.customerId, RecentInvoice.Columns.invoiceId.nullable, from: Customer.self)
                    .leftJoinLateral(RecentInvoice.self, as: none)
            )
            #expect(kept.count == spent.count && kept.allSatisfy { $0.1 == nil })
        }
    }
}

/// A scratch table for `INSERT … SELECT`.
@Table("big_invoices")
struct BigInvoice: Sendable, Equatable {
    @Column(.primaryKey) var invoiceId: Int32
    var total: Decimal
}

extension ChinookReportingTests {
    @Test(arguments: Backend.allCases)
    func datesAndInsertSelectMatchHandWrittenSQL(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            // Monthly invoice totals of 2022 with a running total (truncate, extract, a window).
            let month = truncate(Invoice.Columns.invoiceDate, to: .month)
            let monthly = try await db.all(
                select(
                    month,
                    sum(Invoice.Columns.total),
                    sum(sum(Invoice.Columns.total)).over(orderBy: month.asc),
                    from: Invoice.self
                )
                .where(extract(.year, from: Invoice.Columns.invoiceDate) == 2022)
                .groupBy(month)
                .orderBy(month.asc)
            ).map { "\($0.0.timeIntervalSince1970):\($0.1 ?? 0):\($0.2 ?? 0)" }
            let monthExpression =
                backend == .postgres
                ? "DATE_TRUNC('month', invoice_date)" : "STRFTIME('%Y-%m-01 00:00:00', invoice_date)"
            let yearExpression =
                backend == .postgres
                ? "EXTRACT(YEAR FROM invoice_date)" : "CAST(STRFTIME('%Y', invoice_date) AS INTEGER)"
            let monthlySQL = try await Self.handWritten(
                db,
                "SELECT \(monthExpression) AS m, SUM(total), SUM(SUM(total)) OVER (ORDER BY \(monthExpression)) FROM invoice WHERE \(yearExpression) = 2022 GROUP BY m ORDER BY m"
            ) {
                "\(try $0.decode(Date.self, at: 0).timeIntervalSince1970):\(try $0.decode(Decimal?.self, at: 1) ?? 0):\(try $0.decode(Decimal?.self, at: 2) ?? 0)"
            }
            #expect(monthly.count == 12)
            #expect(monthly == monthlySQL)
            #expect(monthly.last?.hasSuffix(":481.45") == true)

            // Invoices over 15 copied into a table of their own, in the database.
            try await db.createAll(BigInvoice.self)
            let copied = try await db.execute(
                insert(
                    into: BigInvoice.self,
                    columns: \.invoiceId,
                    \.total,
                    from: select(Invoice.Columns.invoiceId, Invoice.Columns.total, from: Invoice.self)
                        .where(Invoice.Columns.total > Decimal(15))
                )
            )
            let expected = try await db.scalar(
                SQLQuery<Int64>("SELECT COUNT(*) FROM invoice WHERE total > 15").readOnly()
            )
            #expect(copied == Int(expected) && copied > 0)
            #expect(try await db.scalar(select(count(), from: BigInvoice.self)) == expected)
        }
    }
}

extension String {
    /// This text as raw SQL for `SQLQuery` (the hand-written side of a comparison).
    fileprivate var sqlText: SQL { SQL(unsafeRaw: self) }
}

/// A report row decoded by column name (no @Table, no positions).
struct CountryCustomers: Decodable, Sendable, Equatable {
    var country: String?
    var customerCount: Int64
    var firstCustomerId: Int32
}

extension ChinookReportingTests {
    @Test(arguments: Backend.allCases)
    func rowsDecodeByNameIntoAnyDecodable(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            let typed = try await db.all(
                select(
                    Customer.Columns.country,
                    count().as("customer_count"),
                    min(Customer.Columns.customerId).as("firstCustomerId"),
                    from: Customer.self
                )
                .groupBy(Customer.Columns.country)
                .orderBy(Customer.Columns.country.asc)
                .decoding(CountryCustomers.self)
            )
            let raw = try await db.all(
                SQL(
                    "SELECT country, COUNT(*) AS customer_count, MIN(customer_id) AS \"firstCustomerId\" FROM customer GROUP BY country ORDER BY country"
                ).readOnly().decoding(CountryCustomers.self)
            )
            #expect(typed.count == 24)
            #expect(typed.first == CountryCustomers(country: "Argentina", customerCount: 1, firstCustomerId: 56))
            #expect(typed == raw)
            // A missing column is a typed error naming it.
            do {
                _ = try await db.all(SQL("SELECT country FROM customer").readOnly().decoding(CountryCustomers.self))
                Issue.record("decoded without customer_count")
            } catch let error as DatabaseError {
                #expect(error.code == .typeMismatch)
                #expect(error.message.contains("customerCount"))
            }
        }
    }
}

extension ChinookReportingTests {
    /// The cookbook's recipes (docs/queries.md) beyond the reports above, each against its SQL.
    @Test(arguments: Backend.allCases)
    func cookbookRecipesMatchHandWrittenSQL(_ backend: Backend) async throws {
        try await ChinookSource.withLoaded(backend) { db in
            // Top N of a join and an aggregate.
            let topArtists = try await db.all(
                select(Artist.Columns.name, count(Album.Columns.albumId), from: Artist.self)
                    .join(Album.self, on: Album.Columns.artistId == Artist.Columns.artistId)
                    .groupBy(Artist.Columns.artistId, Artist.Columns.name)
                    .orderBy(count(Album.Columns.albumId).desc, Artist.Columns.artistId.asc)
                    .limit(5)
            ).map { "\($0.0 ?? "-"):\($0.1)" }
            let topArtistsSQL = try await Self.handWritten(
                db,
                """
                SELECT ar.name, COUNT(al.album_id) FROM artist ar JOIN album al ON al.artist_id = ar.artist_id
                GROUP BY ar.artist_id, ar.name ORDER BY COUNT(al.album_id) DESC, ar.artist_id LIMIT 5
                """
            ) { "\(try $0.decode(String?.self, at: 0) ?? "-"):\(try $0.decode(Int64.self, at: 1))" }
            #expect(topArtists.first == "Iron Maiden:21")
            #expect(topArtists == topArtistsSQL)

            // The first row of each group: ROW_NUMBER in a derived table.
            let numbered = select(
                Invoice.Columns.invoiceId,
                Invoice.Columns.customerId,
                Invoice.Columns.total,
                rowNumber().over(
                    partitionBy: Invoice.Columns.customerId,
                    orderBy: Invoice.Columns.invoiceDate.asc,
                    Invoice.Columns.invoiceId.asc
                ),
                from: Invoice.self
            )
            let firstInvoices = try await db.all(
                select(NumberedInvoice.self).from(numbered)
                    .where(NumberedInvoice.Columns.position == 1)
                    .orderBy(NumberedInvoice.Columns.customerId.asc)
            ).map { "\($0.customerId):\($0.invoiceId)" }
            let firstInvoicesSQL = try await Self.handWritten(
                db,
                """
                SELECT invoice_id, customer_id FROM (
                  SELECT invoice_id, customer_id,
                    ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY invoice_date, invoice_id) AS position
                  FROM invoice) AS numbered
                WHERE position = 1 ORDER BY customer_id
                """
            ) { "\(try $0.decode(Int32.self, at: 1)):\(try $0.decode(Int32.self, at: 0))" }
            #expect(firstInvoices.count == 59)
            #expect(firstInvoices == firstInvoicesSQL)

            // A self-join: each employee and their manager (a table alias).
            let manager = TableAlias(Employee.self, "manager")
            let managed = try await db.all(
                select(Employee.Columns.lastName, manager[\.lastName].nullable, from: Employee.self)
                    .leftJoin(manager, on: Employee.Columns.reportsTo == manager[\.employeeId])
                    .orderBy(Employee.Columns.employeeId.asc)
            ).map { "\($0.0)<\($0.1 ?? "-")" }
            let managedSQL = try await Self.handWritten(
                db,
                """
                SELECT e.last_name, m.last_name FROM employee e
                LEFT JOIN employee m ON e.reports_to = m.employee_id ORDER BY e.employee_id
                """
            ) { "\(try $0.decode(String.self, at: 0))<\(try $0.decode(String?.self, at: 1) ?? "-")" }
            #expect(managed.count == 8 && managed[0].hasSuffix("<-"))
            #expect(managed == managedSQL)

            // A correlated EXISTS: the customers who bought jazz.
            let jazzLine = select(InvoiceLine.Columns.invoiceLineId, from: InvoiceLine.self)
                .join(Invoice.self, on: Invoice.Columns.invoiceId == InvoiceLine.Columns.invoiceId)
                .join(Track.self, on: Track.Columns.trackId == InvoiceLine.Columns.trackId)
                .join(Genre.self, on: Genre.Columns.genreId == Track.Columns.genreId)
                .where(Invoice.Columns.customerId == Customer.Columns.customerId && Genre.Columns.name == "Jazz")
            let jazzFans = try await db.all(
                select(Customer.Columns.customerId, from: Customer.self)
                    .where(exists(jazzLine))
                    .orderBy(Customer.Columns.customerId.asc)
            )
            let jazzFansSQL = try await Self.handWritten(
                db,
                """
                SELECT c.customer_id FROM customer c WHERE EXISTS (
                  SELECT 1 FROM invoice_line il JOIN invoice i ON i.invoice_id = il.invoice_id
                  JOIN track t ON t.track_id = il.track_id JOIN genre g ON g.genre_id = t.genre_id
                  WHERE i.customer_id = c.customer_id AND g.name = 'Jazz')
                ORDER BY c.customer_id
                """
            ) { try $0.decode(Int32.self, at: 0) }
            #expect(!jazzFans.isEmpty)
            #expect(jazzFans == jazzFansSQL)

            // A moving average over a window frame.
            let moving = try await db.all(
                select(
                    Invoice.Columns.invoiceId,
                    avg(Invoice.Columns.total).over(
                        orderBy: [Invoice.Columns.invoiceId.asc],
                        frame: .rows(.preceding(2), .currentRow)
                    ),
                    from: Invoice.self
                )
                .where(\.customerId == 5)
                .orderBy(Invoice.Columns.invoiceId.asc)
            ).map { "\($0.0):\(String(format: "%.4f", $0.1 ?? 0))" }
            let movingSQL = try await Self.handWritten(
                db,
                """
                SELECT invoice_id, AVG(total) OVER (ORDER BY invoice_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
                FROM invoice WHERE customer_id = 5 ORDER BY invoice_id
                """
            ) {
                "\(try $0.decode(Int32.self, at: 0)):\(String(format: "%.4f", try $0.decode(Double?.self, at: 1) ?? 0))"
            }
            #expect(moving.count == 7)
            #expect(moving == movingSQL)
        }
    }
}
