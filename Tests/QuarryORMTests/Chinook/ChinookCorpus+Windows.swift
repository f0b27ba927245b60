import Foundation
import Quarry
import QuarryTesting

// Reports with window functions, derived tables and common table expressions (recursive too).

extension CorpusReport {
    static let windows: [CorpusReport] = [
        CorpusReport(
            "Yearly revenue with a running total",
            .window,
            {
                let year = extract(.year, from: Invoice.Columns.invoiceDate)
                return select(
                    year,
                    sum(Invoice.Columns.total),
                    sum(sum(Invoice.Columns.total)).over(orderBy: year.asc),
                    from: Invoice.self
                )
                .groupBy(year).orderBy(year.asc)
            }(),
            sql: { d in
                """
                SELECT \(d.year("invoice_date")) AS y, SUM(total), SUM(SUM(total)) OVER (ORDER BY \(d.year("invoice_date")))
                FROM invoice GROUP BY \(d.year("invoice_date")) ORDER BY \(d.year("invoice_date"))
                """
            }
        ),
        CorpusReport(
            "Month-over-month revenue in 2022",
            .window,
            {
                let month = truncate(Invoice.Columns.invoiceDate, to: .month)
                return select(
                    month,
                    sum(Invoice.Columns.total),
                    lag(sum(Invoice.Columns.total)).over(orderBy: month.asc),
                    from: Invoice.self
                )
                .where(extract(.year, from: Invoice.Columns.invoiceDate) == 2022)
                .groupBy(month).orderBy(month.asc)
            }(),
            sql: { d in
                """
                SELECT \(d.monthStart("invoice_date")), SUM(total), LAG(SUM(total), 1) OVER (ORDER BY \(d.monthStart("invoice_date")))
                FROM invoice WHERE \(d.year("invoice_date")) = 2022
                GROUP BY \(d.monthStart("invoice_date")) ORDER BY \(d.monthStart("invoice_date"))
                """
            }
        ),
        CorpusReport(
            "Each invoice and the customer's next one",
            .window,
            select(
                Invoice.Columns.invoiceId,
                Invoice.Columns.invoiceDate,
                lead(Invoice.Columns.invoiceDate).over(
                    partitionBy: Invoice.Columns.customerId,
                    orderBy: Invoice.Columns.invoiceDate.asc,
                    Invoice.Columns.invoiceId.asc
                ),
                from: Invoice.self
            )
            .where(\.customerId == 2)
            .orderBy(Invoice.Columns.invoiceDate.asc, Invoice.Columns.invoiceId.asc),
            sql: """
                SELECT invoice_id, invoice_date, LEAD(invoice_date, 1) OVER (PARTITION BY customer_id ORDER BY invoice_date, invoice_id)
                FROM invoice WHERE customer_id = 2 ORDER BY invoice_date, invoice_id
                """
        ),
        CorpusReport(
            "Customer spend beside their country's",
            .window,
            select(
                Customer.Columns.country,
                Customer.Columns.customerId,
                sum(Invoice.Columns.total),
                sum(sum(Invoice.Columns.total)).over(partitionBy: Customer.Columns.country),
                from: Customer.self
            )
            .join(Invoice.self, on: Invoice.Columns.customerId == Customer.Columns.customerId)
            .groupBy(Customer.Columns.country, Customer.Columns.customerId)
            .orderBy(Customer.Columns.country.asc, Customer.Columns.customerId.asc),
            sql: """
                SELECT c.country, c.customer_id, SUM(i.total), SUM(SUM(i.total)) OVER (PARTITION BY c.country)
                FROM customer c JOIN invoice i ON i.customer_id = c.customer_id
                GROUP BY c.country, c.customer_id ORDER BY c.country, c.customer_id
                """
        ),
        CorpusReport(
            "Customers in quartiles of spend",
            .window,
            select(
                Customer.Columns.customerId,
                ntile(4).over(orderBy: sum(Invoice.Columns.total).desc, Customer.Columns.customerId.asc),
                from: Customer.self
            )
            .join(Invoice.self, on: Invoice.Columns.customerId == Customer.Columns.customerId)
            .groupBy(Customer.Columns.customerId)
            .orderBy(Customer.Columns.customerId.asc),
            sql: """
                SELECT c.customer_id, NTILE(4) OVER (ORDER BY SUM(i.total) DESC, c.customer_id)
                FROM customer c JOIN invoice i ON i.customer_id = c.customer_id
                GROUP BY c.customer_id ORDER BY c.customer_id
                """
        ),
        CorpusReport(
            "Moving average of three invoices",
            .window,
            select(
                Invoice.Columns.invoiceId,
                avg(Invoice.Columns.total).over(
                    orderBy: [Invoice.Columns.invoiceId.asc],
                    frame: .rows(.preceding(2), .currentRow)
                ),
                from: Invoice.self
            )
            .where(\.customerId == 5)
            .orderBy(Invoice.Columns.invoiceId.asc),
            sql: """
                SELECT invoice_id, AVG(total) OVER (ORDER BY invoice_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
                FROM invoice WHERE customer_id = 5 ORDER BY invoice_id
                """
        ),
        CorpusReport(
            "The three longest tracks of the first albums",
            .window,
            select(RankedTrack.self)
                .from(
                    select(
                        Track.Columns.albumId,
                        Track.Columns.trackId,
                        Track.Columns.milliseconds,
                        denseRank().over(partitionBy: Track.Columns.albumId, orderBy: Track.Columns.milliseconds.desc),
                        from: Track.self
                    )
                )
                .where(RankedTrack.Columns.place <= 3 && RankedTrack.Columns.albumId <= 5)
                .orderBy(
                    RankedTrack.Columns.albumId.asc,
                    RankedTrack.Columns.place.asc,
                    RankedTrack.Columns.trackId.asc
                ),
            sql: """
                SELECT album_id, track_id, milliseconds, place FROM (
                  SELECT album_id, track_id, milliseconds,
                    DENSE_RANK() OVER (PARTITION BY album_id ORDER BY milliseconds DESC) AS place FROM track) AS ranked
                WHERE place <= 3 AND album_id <= 5 ORDER BY album_id, place, track_id
                """
        ),
        CorpusReport(
            "Track number within its album",
            .window,
            select(
                Track.Columns.albumId,
                Track.Columns.trackId,
                count().over(partitionBy: Track.Columns.albumId, orderBy: Track.Columns.trackId.asc),
                from: Track.self
            )
            .where(Track.Columns.albumId <= 3)
            .orderBy(Track.Columns.trackId.asc),
            sql: """
                SELECT album_id, track_id, COUNT(*) OVER (PARTITION BY album_id ORDER BY track_id)
                FROM track WHERE album_id <= 3 ORDER BY track_id
                """
        ),
        CorpusReport(
            "Each rock-and-roll track beside the genre's shortest",
            .window,
            select(
                Track.Columns.trackId,
                Track.Columns.milliseconds,
                min(Track.Columns.milliseconds).over(partitionBy: Track.Columns.genreId),
                from: Track.self
            )
            .where(Track.Columns.genreId == 5)
            .orderBy(Track.Columns.trackId.asc),
            sql: """
                SELECT track_id, milliseconds, MIN(milliseconds) OVER (PARTITION BY genre_id)
                FROM track WHERE genre_id = 5 ORDER BY track_id
                """
        ),
        CorpusReport(
            "Support reps ranked by sales",
            .window,
            select(
                Employee.Columns.employeeId,
                sum(Invoice.Columns.total),
                rank().over(orderBy: sum(Invoice.Columns.total).desc),
                from: Employee.self
            )
            .join(Customer.self, on: Customer.Columns.supportRepId == Employee.Columns.employeeId)
            .join(Invoice.self, on: Invoice.Columns.customerId == Customer.Columns.customerId)
            .groupBy(Employee.Columns.employeeId)
            .orderBy(Employee.Columns.employeeId.asc),
            sql: """
                SELECT e.employee_id, SUM(i.total), RANK() OVER (ORDER BY SUM(i.total) DESC) FROM employee e
                JOIN customer c ON c.support_rep_id = e.employee_id JOIN invoice i ON i.customer_id = c.customer_id
                GROUP BY e.employee_id ORDER BY e.employee_id
                """
        ),
        CorpusReport(
            "Artists ranked by number of tracks",
            .window,
            select(
                Artist.Columns.artistId,
                count(),
                denseRank().over(orderBy: count().desc),
                from: Artist.self
            )
            .join(Album.self, on: Album.Columns.artistId == Artist.Columns.artistId)
            .join(Track.self, on: Track.Columns.albumId == Album.Columns.albumId)
            .groupBy(Artist.Columns.artistId)
            .orderBy(count().desc, Artist.Columns.artistId.asc)
            .limit(10),
            sql: """
                SELECT ar.artist_id, COUNT(*), DENSE_RANK() OVER (ORDER BY COUNT(*) DESC) FROM artist ar
                JOIN album al ON al.artist_id = ar.artist_id JOIN track t ON t.album_id = al.album_id
                GROUP BY ar.artist_id ORDER BY COUNT(*) DESC, ar.artist_id LIMIT 10
                """
        ),
        CorpusReport(
            "Invoices above their customer's average",
            .window,
            select(InvoiceAgainstAverage.self)
                .from(
                    select(
                        Invoice.Columns.invoiceId,
                        Invoice.Columns.customerId,
                        Invoice.Columns.total,
                        avg(Invoice.Columns.total).over(partitionBy: Invoice.Columns.customerId),
                        from: Invoice.self
                    )
                )
                .where(
                    cast(InvoiceAgainstAverage.Columns.total, as: Double.self) > InvoiceAgainstAverage.Columns.average
                )
                .where(InvoiceAgainstAverage.Columns.customerId <= 3)
                .orderBy(InvoiceAgainstAverage.Columns.invoiceId.asc),
            sql: { d in
                """
                SELECT invoice_id, customer_id, total, average FROM (
                  SELECT invoice_id, customer_id, total, AVG(total) OVER (PARTITION BY customer_id) AS average FROM invoice
                ) AS invoice_averages
                WHERE CAST(total AS \(d.backend == .postgres ? "DOUBLE PRECISION" : "REAL")) > average AND customer_id <= 3
                ORDER BY invoice_id
                """
            }
        ),
    ]

    static let commonTables: [CorpusReport] = [
        CorpusReport(
            "The top spender of each country",
            .commonTable,
            select(CountryRank.self)
                .with(
                    CountryRank.self,
                    as: select(
                        Customer.Columns.customerId,
                        Customer.Columns.country,
                        rank().over(partitionBy: Customer.Columns.country, orderBy: sum(Invoice.Columns.total).desc),
                        from: Customer.self
                    )
                    .join(Invoice.self, on: Invoice.Columns.customerId == Customer.Columns.customerId)
                    .groupBy(Customer.Columns.customerId, Customer.Columns.country)
                )
                .where(CountryRank.Columns.place == 1)
                .orderBy(CountryRank.Columns.country.asc, CountryRank.Columns.customerId.asc),
            sql: """
                WITH country_ranks (customer_id, country, place) AS (
                  SELECT c.customer_id, c.country, RANK() OVER (PARTITION BY c.country ORDER BY SUM(i.total) DESC)
                  FROM customer c JOIN invoice i ON i.customer_id = c.customer_id GROUP BY c.customer_id, c.country)
                SELECT customer_id, country, place FROM country_ranks WHERE place = 1 ORDER BY country, customer_id
                """
        ),
        CorpusReport(
            "Each employee's chain of managers",
            .commonTable,
            select(ManagementPath.self)
                .with(
                    ManagementPath.self,
                    recursive: true,
                    as: select(
                        Employee.Columns.employeeId,
                        cast(Employee.Columns.lastName, as: String.self),
                        from: Employee.self
                    )
                    .where(Employee.Columns.reportsTo.isNull)
                    .unionAll(
                        select(
                            Employee.Columns.employeeId,
                            ManagementPath.Columns.path.concat(" > ").concat(Employee.Columns.lastName),
                            from: Employee.self
                        )
                        .join(ManagementPath.self, on: Employee.Columns.reportsTo == ManagementPath.Columns.employeeId)
                    )
                )
                .orderBy(ManagementPath.Columns.employeeId.asc),
            sql: """
                WITH RECURSIVE paths (employee_id, path) AS (
                  SELECT employee_id, CAST(last_name AS TEXT) FROM employee WHERE reports_to IS NULL
                  UNION ALL
                  SELECT e.employee_id, p.path || ' > ' || e.last_name FROM employee e JOIN paths p ON e.reports_to = p.employee_id)
                SELECT employee_id, path FROM paths ORDER BY employee_id
                """
        ),
        CorpusReport(
            "Everyone under each manager, at any depth",
            .commonTable,
            select(ReportingLine.Columns.managerId, count(), from: ReportingLine.self)
                .with(
                    ReportingLine.self,
                    recursive: true,
                    as: select(Employee.Columns.reportsTo, Employee.Columns.employeeId, from: Employee.self)
                        .where(Employee.Columns.reportsTo.isNotNull)
                        .unionAll(
                            select(ReportingLine.Columns.managerId, Employee.Columns.employeeId, from: Employee.self)
                                .join(
                                    ReportingLine.self,
                                    on: Employee.Columns.reportsTo == ReportingLine.Columns.employeeId
                                )
                        )
                )
                .groupBy(ReportingLine.Columns.managerId)
                .orderBy(ReportingLine.Columns.managerId.asc),
            sql: """
                WITH RECURSIVE reporting (manager_id, employee_id) AS (
                  SELECT reports_to, employee_id FROM employee WHERE reports_to IS NOT NULL
                  UNION ALL
                  SELECT r.manager_id, e.employee_id FROM employee e JOIN reporting r ON e.reports_to = r.employee_id)
                SELECT manager_id, COUNT(*) FROM reporting GROUP BY manager_id ORDER BY manager_id
                """
        ),
        CorpusReport(
            "Invoices in every month of 2023, empty months too",
            .commonTable,
            select(MonthNumber.Columns.month, count(Invoice.Columns.invoiceId), from: MonthNumber.self)
                .with(
                    MonthNumber.self,
                    recursive: true,
                    as: select(value(Int64(1)))
                        .unionAll(
                            select(MonthNumber.Columns.month + 1, from: MonthNumber.self).where(
                                MonthNumber.Columns.month < 12
                            )
                        )
                )
                .leftJoin(
                    Invoice.self,
                    on: extract(.month, from: Invoice.Columns.invoiceDate) == MonthNumber.Columns.month
                        && extract(.year, from: Invoice.Columns.invoiceDate) == 2023
                )
                .groupBy(MonthNumber.Columns.month)
                .orderBy(MonthNumber.Columns.month.asc),
            sql: { d in
                """
                WITH RECURSIVE months (month) AS (SELECT 1 UNION ALL SELECT month + 1 FROM months WHERE month < 12)
                SELECT m.month, COUNT(i.invoice_id) FROM months m
                LEFT JOIN invoice i ON \(d.month("i.invoice_date")) = m.month AND \(d.year("i.invoice_date")) = 2023
                GROUP BY m.month ORDER BY m.month
                """
            }
        ),
        CorpusReport(
            "Genres that earned more than 100",
            .commonTable,
            select(GenreSales.self)
                .with(
                    GenreSales.self,
                    as: select(Genre.Columns.genreId, sum(InvoiceLine.Columns.unitPrice), from: Genre.self)
                        .join(Track.self, on: Track.Columns.genreId == Genre.Columns.genreId)
                        .join(InvoiceLine.self, on: InvoiceLine.Columns.trackId == Track.Columns.trackId)
                        .groupBy(Genre.Columns.genreId)
                )
                .where(GenreSales.Columns.revenue > Decimal(100))
                .orderBy(GenreSales.Columns.revenue.desc, GenreSales.Columns.genreId.asc),
            sql: """
                WITH genre_sales (genre_id, revenue) AS (
                  SELECT g.genre_id, SUM(il.unit_price) FROM genre g JOIN track t ON t.genre_id = g.genre_id
                  JOIN invoice_line il ON il.track_id = t.track_id GROUP BY g.genre_id)
                SELECT genre_id, revenue FROM genre_sales WHERE revenue > 100 ORDER BY revenue DESC, genre_id
                """
        ),
        CorpusReport(
            "Playlists larger than the average playlist",
            .commonTable,
            select(PlaylistSize.self)
                .with(
                    PlaylistSize.self,
                    as: select(PlaylistTrack.Columns.playlistId, count(), from: PlaylistTrack.self)
                        .groupBy(PlaylistTrack.Columns.playlistId)
                )
                .where(
                    PlaylistSize.Columns.tracks
                        > select(avg(PlaylistSize.Columns.tracks), from: PlaylistSize.self).asScalar()
                )
                .orderBy(PlaylistSize.Columns.playlistId.asc),
            sql: """
                WITH playlist_sizes (playlist_id, tracks) AS (
                  SELECT playlist_id, COUNT(*) FROM playlist_track GROUP BY playlist_id)
                SELECT playlist_id, tracks FROM playlist_sizes
                WHERE tracks > (SELECT AVG(tracks) FROM playlist_sizes) ORDER BY playlist_id
                """
        ),
        CorpusReport(
            "Tracks in more playlists than the average track",
            .commonTable,
            select(TrackPlaylists.self)
                .with(
                    TrackPlaylists.self,
                    as: select(PlaylistTrack.Columns.trackId, count(), from: PlaylistTrack.self)
                        .groupBy(PlaylistTrack.Columns.trackId)
                )
                .where(
                    TrackPlaylists.Columns.playlists
                        > select(avg(TrackPlaylists.Columns.playlists), from: TrackPlaylists.self)
                        .asScalar()
                )
                .orderBy(TrackPlaylists.Columns.playlists.desc, TrackPlaylists.Columns.trackId.asc)
                .limit(20),
            sql: """
                WITH track_playlists (track_id, playlists) AS (
                  SELECT track_id, COUNT(*) FROM playlist_track GROUP BY track_id)
                SELECT track_id, playlists FROM track_playlists
                WHERE playlists > (SELECT AVG(playlists) FROM track_playlists) ORDER BY playlists DESC, track_id LIMIT 20
                """
        ),
        CorpusReport(
            "Big spenders by name",
            .commonTable,
            select(
                Customer.Columns.customerId,
                Customer.Columns.lastName,
                SpendTotal.Columns.spent,
                from: Customer.self
            )
            .with(
                SpendTotal.self,
                as: select(Invoice.Columns.customerId, sum(Invoice.Columns.total), from: Invoice.self)
                    .groupBy(Invoice.Columns.customerId)
            )
            .join(SpendTotal.self, on: SpendTotal.Columns.customerId == Customer.Columns.customerId)
            .where(SpendTotal.Columns.spent > Decimal(45))
            .orderBy(SpendTotal.Columns.spent.desc, Customer.Columns.customerId.asc),
            sql: """
                WITH spend_totals (customer_id, spent) AS (
                  SELECT customer_id, SUM(total) FROM invoice GROUP BY customer_id)
                SELECT c.customer_id, c.last_name, s.spent FROM customer c JOIN spend_totals s ON s.customer_id = c.customer_id
                WHERE s.spent > 45 ORDER BY s.spent DESC, c.customer_id
                """
        ),
        CorpusReport(
            "Prolific artists, from two common tables",
            .commonTable,
            select(Artist.Columns.artistId, Artist.Columns.name, from: Artist.self)
                .with(
                    ArtistTracks.self,
                    as: select(Album.Columns.artistId, count(), from: Album.self)
                        .join(Track.self, on: Track.Columns.albumId == Album.Columns.albumId)
                        .groupBy(Album.Columns.artistId)
                )
                .with(
                    ProlificArtist.self,
                    as: select(ArtistTracks.Columns.artistId, from: ArtistTracks.self).where(
                        ArtistTracks.Columns.tracks >= 50
                    )
                )
                .join(ProlificArtist.self, on: ProlificArtist.Columns.artistId == Artist.Columns.artistId)
                .orderBy(Artist.Columns.artistId.asc),
            sql: """
                WITH artist_tracks (artist_id, tracks) AS (
                  SELECT al.artist_id, COUNT(*) FROM album al JOIN track t ON t.album_id = al.album_id GROUP BY al.artist_id),
                prolific_artists (artist_id) AS (SELECT artist_id FROM artist_tracks WHERE tracks >= 50)
                SELECT a.artist_id, a.name FROM artist a JOIN prolific_artists p ON p.artist_id = a.artist_id
                ORDER BY a.artist_id
                """
        ),
        CorpusReport(
            "Customers and employees per country",
            .commonTable,
            select(Person.Columns.country, count(), from: Person.self)
                .with(
                    Person.self,
                    as: select(Customer.Columns.country, value("customer"), from: Customer.self)
                        .unionAll(select(Employee.Columns.country, value("employee"), from: Employee.self))
                )
                .groupBy(Person.Columns.country)
                .orderBy(count().desc, Person.Columns.country.asc),
            sql: """
                WITH people (country, kind) AS (
                  SELECT country, 'customer' FROM customer UNION ALL SELECT country, 'employee' FROM employee)
                SELECT country, COUNT(*) FROM people GROUP BY country ORDER BY COUNT(*) DESC, country
                """
        ),
    ]
}
