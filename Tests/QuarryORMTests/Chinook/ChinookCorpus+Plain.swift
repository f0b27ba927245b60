import Foundation
import Quarry

// Reports of joins, filters, aggregates, CASE, set operations and subqueries.

extension CorpusReport {
    static let plain: [CorpusReport] = catalogue + sales + people + text + setsAndSubqueries

    /// A track's price band, by `CASE`.
    private static let priceBand: SQLExpression<String> = when(Track.Columns.unitPrice < Decimal(1), then: "budget")
        .when(Track.Columns.unitPrice < Decimal(2), then: "standard")
        .else("premium")

    private static let catalogue: [CorpusReport] = [
        CorpusReport(
            "Artists with the most albums",
            select(Artist.Columns.artistId, Artist.Columns.name, count(Album.Columns.albumId), from: Artist.self)
                .join(Album.self, on: Album.Columns.artistId == Artist.Columns.artistId)
                .groupBy(Artist.Columns.artistId, Artist.Columns.name)
                .orderBy(count(Album.Columns.albumId).desc, Artist.Columns.artistId.asc)
                .limit(10),
            sql: """
                SELECT ar.artist_id, ar.name, COUNT(al.album_id) FROM artist ar
                JOIN album al ON al.artist_id = ar.artist_id
                GROUP BY ar.artist_id, ar.name ORDER BY COUNT(al.album_id) DESC, ar.artist_id LIMIT 10
                """
        ),
        CorpusReport(
            "Albums longer than an hour",
            select(Album.Columns.albumId, Album.Columns.title, sum(Track.Columns.milliseconds), from: Album.self)
                .join(Track.self, on: Track.Columns.albumId == Album.Columns.albumId)
                .groupBy(Album.Columns.albumId, Album.Columns.title)
                .having(sum(Track.Columns.milliseconds) > 3_600_000)
                .orderBy(Album.Columns.albumId.asc),
            sql: """
                SELECT a.album_id, a.title, SUM(t.milliseconds) FROM album a JOIN track t ON t.album_id = a.album_id
                GROUP BY a.album_id, a.title HAVING SUM(t.milliseconds) > 3600000 ORDER BY a.album_id
                """
        ),
        CorpusReport(
            "Composers with the most tracks",
            select(Track.Columns.composer, count(), from: Track.self)
                .where(Track.Columns.composer.isNotNull)
                .groupBy(Track.Columns.composer)
                .orderBy(count().desc, Track.Columns.composer.asc)
                .limit(10),
            sql: """
                SELECT composer, COUNT(*) FROM track WHERE composer IS NOT NULL
                GROUP BY composer ORDER BY COUNT(*) DESC, composer LIMIT 10
                """
        ),
        CorpusReport(
            "Tracks per price band",
            select(priceBand.as("band"), count(), min(Track.Columns.unitPrice), from: Track.self)
                .groupBy(priceBand).orderBy(priceBand.asc),
            sql: """
                SELECT CASE WHEN unit_price < 1 THEN 'budget' WHEN unit_price < 2 THEN 'standard' ELSE 'premium' END
                AS band, COUNT(*), MIN(unit_price) FROM track GROUP BY band ORDER BY band
                """
        ),
        CorpusReport(
            "Playlists and their sizes, empty ones too",
            select(
                Playlist.Columns.playlistId,
                Playlist.Columns.name,
                count(PlaylistTrack.Columns.trackId),
                from: Playlist.self
            )
            .leftJoin(PlaylistTrack.self, on: PlaylistTrack.Columns.playlistId == Playlist.Columns.playlistId)
            .groupBy(Playlist.Columns.playlistId, Playlist.Columns.name)
            .orderBy(Playlist.Columns.playlistId.asc),
            sql: """
                SELECT p.playlist_id, p.name, COUNT(pt.track_id) FROM playlist p
                LEFT JOIN playlist_track pt ON pt.playlist_id = p.playlist_id
                GROUP BY p.playlist_id, p.name ORDER BY p.playlist_id
                """
        ),
        CorpusReport(
            "Artists without albums",
            select(Artist.Columns.artistId, Artist.Columns.name, from: Artist.self)
                .where(
                    notExists(
                        select(Album.Columns.albumId, from: Album.self).where(
                            Album.Columns.artistId == Artist.Columns.artistId
                        )
                    )
                )
                .orderBy(Artist.Columns.artistId.asc),
            sql: """
                SELECT artist_id, name FROM artist a
                WHERE NOT EXISTS (SELECT 1 FROM album al WHERE al.artist_id = a.artist_id) ORDER BY artist_id
                """
        ),
        CorpusReport(
            "Longest album titles",
            select(Album.Columns.albumId, Album.Columns.title, length(Album.Columns.title), from: Album.self)
                .orderBy(length(Album.Columns.title).desc, Album.Columns.albumId.asc)
                .limit(5),
            sql: "SELECT album_id, title, LENGTH(title) FROM album ORDER BY LENGTH(title) DESC, album_id LIMIT 5"
        ),
        CorpusReport(
            "Tracks longer than ten minutes per genre",
            select(Genre.Columns.name, count(), max(Track.Columns.milliseconds), from: Genre.self)
                .join(Track.self, on: Track.Columns.genreId == Genre.Columns.genreId)
                .where(Track.Columns.milliseconds > 600_000)
                .groupBy(Genre.Columns.genreId, Genre.Columns.name)
                .orderBy(Genre.Columns.genreId.asc),
            sql: """
                SELECT g.name, COUNT(*), MAX(t.milliseconds) FROM genre g JOIN track t ON t.genre_id = g.genre_id
                WHERE t.milliseconds > 600000 GROUP BY g.genre_id, g.name ORDER BY g.genre_id
                """
        ),
        CorpusReport(
            "Tracks with and without a known composer, by genre",
            select(Genre.Columns.name, count(), count(Track.Columns.composer), from: Genre.self)
                .join(Track.self, on: Track.Columns.genreId == Genre.Columns.genreId)
                .groupBy(Genre.Columns.genreId, Genre.Columns.name)
                .orderBy(Genre.Columns.genreId.asc),
            sql: """
                SELECT g.name, COUNT(*), COUNT(t.composer) FROM genre g JOIN track t ON t.genre_id = g.genre_id
                GROUP BY g.genre_id, g.name ORDER BY g.genre_id
                """
        ),
        CorpusReport(
            "Share of tracks per media type, in percent",
            select(
                MediaType.Columns.name,
                count(),
                count() * 100.0 / select(count(), from: Track.self).asScalar(),
                from: MediaType.self
            )
            .join(Track.self, on: Track.Columns.mediaTypeId == MediaType.Columns.mediaTypeId)
            .groupBy(MediaType.Columns.mediaTypeId, MediaType.Columns.name)
            .orderBy(MediaType.Columns.mediaTypeId.asc),
            sql: """
                SELECT m.name, COUNT(*), COUNT(*) * 100.0 / (SELECT COUNT(*) FROM track) FROM media_type m
                JOIN track t ON t.media_type_id = m.media_type_id GROUP BY m.media_type_id, m.name ORDER BY m.media_type_id
                """
        ),
        CorpusReport(
            "Track lengths in whole minutes",
            select(Track.Columns.milliseconds / 60_000, count(), from: Track.self)
                .groupBy(Track.Columns.milliseconds / 60_000)
                .orderBy((Track.Columns.milliseconds / 60_000).asc)
                .limit(12),
            sql: """
                SELECT milliseconds / 60000, COUNT(*) FROM track GROUP BY milliseconds / 60000
                ORDER BY milliseconds / 60000 LIMIT 12
                """
        ),
        CorpusReport(
            "Albums mixing genres",
            select(
                Album.Columns.albumId,
                Album.Columns.title,
                count(Track.Columns.genreId, distinct: true),
                from: Album.self
            )
            .join(Track.self, on: Track.Columns.albumId == Album.Columns.albumId)
            .groupBy(Album.Columns.albumId, Album.Columns.title)
            .having(count(Track.Columns.genreId, distinct: true) > 1)
            .orderBy(Album.Columns.albumId.asc),
            sql: """
                SELECT a.album_id, a.title, COUNT(DISTINCT t.genre_id) FROM album a JOIN track t ON t.album_id = a.album_id
                GROUP BY a.album_id, a.title HAVING COUNT(DISTINCT t.genre_id) > 1 ORDER BY a.album_id
                """
        ),
        CorpusReport(
            "Rock, jazz and metal track counts",
            select(Genre.Columns.name, count(), from: Genre.self)
                .join(Track.self, on: Track.Columns.genreId == Genre.Columns.genreId)
                .where(Genre.Columns.genreId.in([Int32(1), 2, 3]))
                .groupBy(Genre.Columns.genreId, Genre.Columns.name)
                .orderBy(Genre.Columns.genreId.asc),
            sql: """
                SELECT g.name, COUNT(*) FROM genre g JOIN track t ON t.genre_id = g.genre_id
                WHERE g.genre_id IN (1, 2, 3) GROUP BY g.genre_id, g.name ORDER BY g.genre_id
                """
        ),
        CorpusReport(
            "Playlists holding AC/DC tracks",
            select(Playlist.Columns.playlistId, Playlist.Columns.name, from: Playlist.self)
                .join(PlaylistTrack.self, on: PlaylistTrack.Columns.playlistId == Playlist.Columns.playlistId)
                .join(Track.self, on: Track.Columns.trackId == PlaylistTrack.Columns.trackId)
                .join(Album.self, on: Album.Columns.albumId == Track.Columns.albumId)
                .join(Artist.self, on: Artist.Columns.artistId == Album.Columns.artistId)
                .where(Artist.Columns.name == "AC/DC")
                .distinct()
                .orderBy(Playlist.Columns.playlistId.asc),
            sql: """
                SELECT DISTINCT p.playlist_id, p.name FROM playlist p
                JOIN playlist_track pt ON pt.playlist_id = p.playlist_id JOIN track t ON t.track_id = pt.track_id
                JOIN album al ON al.album_id = t.album_id JOIN artist ar ON ar.artist_id = al.artist_id
                WHERE ar.name = 'AC/DC' ORDER BY p.playlist_id
                """
        ),
    ]

    private static let sales: [CorpusReport] = [
        CorpusReport(
            "AC/DC's albums and track counts, joined by key paths",
            select(Album.Columns.albumId, Album.Columns.title, count(), from: Album.self)
                .join(Artist.self, on: \Artist.artistId == \Album.artistId)
                .join(Track.self, on: \Track.albumId == \Album.albumId)
                .where(\Artist.name == "AC/DC" && \Artist.artistId > 0)
                .where(\Track.milliseconds >= 100_000)
                .groupBy(Album.Columns.albumId, Album.Columns.title)
                .orderBy(\Album.albumId),
            sql: """
                SELECT al.album_id, al.title, COUNT(*) FROM album al JOIN artist ar ON ar.artist_id = al.artist_id
                JOIN track t ON t.album_id = al.album_id WHERE ar.name = 'AC/DC' AND ar.artist_id > 0
                AND t.milliseconds >= 100000 GROUP BY al.album_id, al.title ORDER BY al.album_id
                """
        ),
        CorpusReport(
            "Revenue by billing country",
            select(Invoice.Columns.billingCountry, sum(Invoice.Columns.total), count(), from: Invoice.self)
                .groupBy(Invoice.Columns.billingCountry)
                .orderBy(sum(Invoice.Columns.total).desc, Invoice.Columns.billingCountry.asc),
            sql: """
                SELECT billing_country, SUM(total), COUNT(*) FROM invoice
                GROUP BY billing_country ORDER BY SUM(total) DESC, billing_country
                """
        ),
        CorpusReport(
            "Invoices per year",
            select(
                extract(.year, from: Invoice.Columns.invoiceDate),
                count(),
                sum(Invoice.Columns.total),
                from: Invoice.self
            )
            .groupBy(extract(.year, from: Invoice.Columns.invoiceDate))
            .orderBy(extract(.year, from: Invoice.Columns.invoiceDate).asc),
            sql: { d in
                """
                SELECT \(d.year("invoice_date")), COUNT(*), SUM(total) FROM invoice
                GROUP BY \(d.year("invoice_date")) ORDER BY \(d.year("invoice_date"))
                """
            }
        ),
        CorpusReport(
            "Invoices of the first quarter of 2022",
            select(Invoice.Columns.invoiceId, Invoice.Columns.customerId, Invoice.Columns.total, from: Invoice.self)
                .where(
                    extract(.year, from: Invoice.Columns.invoiceDate) == 2022
                        && extract(.month, from: Invoice.Columns.invoiceDate) <= 3
                )
                .orderBy(Invoice.Columns.invoiceId.asc),
            sql: { d in
                """
                SELECT invoice_id, customer_id, total FROM invoice
                WHERE \(d.year("invoice_date")) = 2022 AND \(d.month("invoice_date")) <= 3 ORDER BY invoice_id
                """
            }
        ),
        CorpusReport(
            "Best-selling tracks by revenue",
            select(
                Track.Columns.trackId,
                Track.Columns.name,
                sum(InvoiceLine.Columns.unitPrice * cast(InvoiceLine.Columns.quantity, as: Decimal.self)),
                from: Track.self
            )
            .join(InvoiceLine.self, on: InvoiceLine.Columns.trackId == Track.Columns.trackId)
            .groupBy(Track.Columns.trackId, Track.Columns.name)
            .orderBy(
                sum(InvoiceLine.Columns.unitPrice * cast(InvoiceLine.Columns.quantity, as: Decimal.self)).desc,
                Track.Columns.trackId.asc
            )
            .limit(10),
            sql: """
                SELECT t.track_id, t.name, SUM(il.unit_price * il.quantity) FROM track t
                JOIN invoice_line il ON il.track_id = t.track_id
                GROUP BY t.track_id, t.name ORDER BY SUM(il.unit_price * il.quantity) DESC, t.track_id LIMIT 10
                """
        ),
        CorpusReport(
            "Average invoice per country, rounded to cents",
            select(Invoice.Columns.billingCountry, round(avg(Invoice.Columns.total), 2), from: Invoice.self)
                .groupBy(Invoice.Columns.billingCountry)
                .orderBy(Invoice.Columns.billingCountry.asc),
            sql:
                "SELECT billing_country, ROUND(AVG(total), 2) FROM invoice GROUP BY billing_country ORDER BY billing_country"
        ),
        CorpusReport(
            "Invoices with more than ten lines",
            select(Invoice.Columns.invoiceId, count(InvoiceLine.Columns.invoiceLineId), from: Invoice.self)
                .join(InvoiceLine.self, on: InvoiceLine.Columns.invoiceId == Invoice.Columns.invoiceId)
                .groupBy(Invoice.Columns.invoiceId)
                .having(count(InvoiceLine.Columns.invoiceLineId) > 10)
                .orderBy(Invoice.Columns.invoiceId.asc),
            sql: """
                SELECT i.invoice_id, COUNT(il.invoice_line_id) FROM invoice i
                JOIN invoice_line il ON il.invoice_id = i.invoice_id
                GROUP BY i.invoice_id HAVING COUNT(il.invoice_line_id) > 10 ORDER BY i.invoice_id
                """
        ),
        CorpusReport(
            "Revenue by media type",
            select(MediaType.Columns.name, sum(InvoiceLine.Columns.unitPrice), count(), from: MediaType.self)
                .join(Track.self, on: Track.Columns.mediaTypeId == MediaType.Columns.mediaTypeId)
                .join(InvoiceLine.self, on: InvoiceLine.Columns.trackId == Track.Columns.trackId)
                .groupBy(MediaType.Columns.mediaTypeId, MediaType.Columns.name)
                .orderBy(MediaType.Columns.mediaTypeId.asc),
            sql: """
                SELECT m.name, SUM(il.unit_price), COUNT(*) FROM media_type m
                JOIN track t ON t.media_type_id = m.media_type_id JOIN invoice_line il ON il.track_id = t.track_id
                GROUP BY m.media_type_id, m.name ORDER BY m.media_type_id
                """
        ),
        CorpusReport(
            "Sales per support rep per year",
            select(
                Employee.Columns.lastName,
                extract(.year, from: Invoice.Columns.invoiceDate),
                sum(Invoice.Columns.total),
                from: Employee.self
            )
            .join(Customer.self, on: Customer.Columns.supportRepId == Employee.Columns.employeeId)
            .join(Invoice.self, on: Invoice.Columns.customerId == Customer.Columns.customerId)
            .groupBy(
                Employee.Columns.employeeId,
                Employee.Columns.lastName,
                extract(.year, from: Invoice.Columns.invoiceDate)
            )
            .orderBy(Employee.Columns.employeeId.asc, extract(.year, from: Invoice.Columns.invoiceDate).asc),
            sql: { d in
                """
                SELECT e.last_name, \(d.year("i.invoice_date")), SUM(i.total) FROM employee e
                JOIN customer c ON c.support_rep_id = e.employee_id JOIN invoice i ON i.customer_id = c.customer_id
                GROUP BY e.employee_id, e.last_name, \(d.year("i.invoice_date"))
                ORDER BY e.employee_id, \(d.year("i.invoice_date"))
                """
            }
        ),
        CorpusReport(
            "Invoices by day of the week",
            select(extract(.dayOfWeek, from: Invoice.Columns.invoiceDate), count(), from: Invoice.self)
                .groupBy(extract(.dayOfWeek, from: Invoice.Columns.invoiceDate))
                .orderBy(extract(.dayOfWeek, from: Invoice.Columns.invoiceDate).asc),
            sql: { d in
                """
                SELECT \(d.dayOfWeek("invoice_date")), COUNT(*) FROM invoice
                GROUP BY \(d.dayOfWeek("invoice_date")) ORDER BY \(d.dayOfWeek("invoice_date"))
                """
            }
        ),
        CorpusReport(
            "Large invoices, newest first",
            select(Invoice.Columns.invoiceId, Invoice.Columns.total, from: Invoice.self)
                .where(\.total > Decimal(15))
                .orderBy(Invoice.Columns.invoiceDate.desc, Invoice.Columns.invoiceId.desc)
                .limit(10),
            sql:
                "SELECT invoice_id, total FROM invoice WHERE total > 15 ORDER BY invoice_date DESC, invoice_id DESC LIMIT 10"
        ),
        CorpusReport(
            "Each customer's latest invoice date",
            select(Customer.Columns.customerId, max(Invoice.Columns.invoiceDate), from: Customer.self)
                .join(Invoice.self, on: Invoice.Columns.customerId == Customer.Columns.customerId)
                .where(Customer.Columns.country == "Germany")
                .groupBy(Customer.Columns.customerId)
                .orderBy(Customer.Columns.customerId.asc),
            sql: """
                SELECT c.customer_id, MAX(i.invoice_date) FROM customer c JOIN invoice i ON i.customer_id = c.customer_id
                WHERE c.country = 'Germany' GROUP BY c.customer_id ORDER BY c.customer_id
                """
        ),
        CorpusReport(
            "Customers who bought from at least five genres",
            select(Customer.Columns.customerId, count(Track.Columns.genreId, distinct: true), from: Customer.self)
                .join(Invoice.self, on: Invoice.Columns.customerId == Customer.Columns.customerId)
                .join(InvoiceLine.self, on: InvoiceLine.Columns.invoiceId == Invoice.Columns.invoiceId)
                .join(Track.self, on: Track.Columns.trackId == InvoiceLine.Columns.trackId)
                .groupBy(Customer.Columns.customerId)
                .having(count(Track.Columns.genreId, distinct: true) >= 5)
                .orderBy(count(Track.Columns.genreId, distinct: true).desc, Customer.Columns.customerId.asc),
            sql: """
                SELECT c.customer_id, COUNT(DISTINCT t.genre_id) FROM customer c
                JOIN invoice i ON i.customer_id = c.customer_id JOIN invoice_line il ON il.invoice_id = i.invoice_id
                JOIN track t ON t.track_id = il.track_id GROUP BY c.customer_id
                HAVING COUNT(DISTINCT t.genre_id) >= 5 ORDER BY COUNT(DISTINCT t.genre_id) DESC, c.customer_id
                """
        ),
    ]

    private static let people: [CorpusReport] = [
        CorpusReport(
            "Countries with at least five customers",
            select(Customer.Columns.country, count(), from: Customer.self)
                .groupBy(Customer.Columns.country)
                .having(count() >= 5)
                .orderBy(count().desc, Customer.Columns.country.asc),
            sql:
                "SELECT country, COUNT(*) FROM customer GROUP BY country HAVING COUNT(*) >= 5 ORDER BY COUNT(*) DESC, country"
        ),
        CorpusReport(
            "Employees and their managers",
            {
                let manager = TableAlias(Employee.self, "manager")
                return select(
                    Employee.Columns.employeeId,
                    Employee.Columns.lastName,
                    manager[\.lastName].nullable,
                    from: Employee.self
                )
                .leftJoin(manager, on: Employee.Columns.reportsTo == manager[\.employeeId])
                .orderBy(Employee.Columns.employeeId.asc)
            }(),
            sql: """
                SELECT e.employee_id, e.last_name, m.last_name FROM employee e
                LEFT JOIN employee m ON e.reports_to = m.employee_id ORDER BY e.employee_id
                """
        ),
        CorpusReport(
            "Customers and revenue per support rep",
            select(
                Employee.Columns.employeeId,
                Employee.Columns.lastName,
                count(Customer.Columns.customerId, distinct: true),
                sum(Invoice.Columns.total),
                from: Employee.self
            )
            .join(Customer.self, on: Customer.Columns.supportRepId == Employee.Columns.employeeId)
            .join(Invoice.self, on: Invoice.Columns.customerId == Customer.Columns.customerId)
            .groupBy(Employee.Columns.employeeId, Employee.Columns.lastName)
            .orderBy(Employee.Columns.employeeId.asc),
            sql: """
                SELECT e.employee_id, e.last_name, COUNT(DISTINCT c.customer_id), SUM(i.total) FROM employee e
                JOIN customer c ON c.support_rep_id = e.employee_id JOIN invoice i ON i.customer_id = c.customer_id
                GROUP BY e.employee_id, e.last_name ORDER BY e.employee_id
                """
        ),
        CorpusReport(
            "Every employee's number of customers, none too",
            select(Employee.Columns.employeeId, count(Customer.Columns.customerId), from: Customer.self)
                .rightJoin(Employee.self, on: Customer.Columns.supportRepId == Employee.Columns.employeeId)
                .groupBy(Employee.Columns.employeeId)
                .orderBy(Employee.Columns.employeeId.asc),
            sql: """
                SELECT e.employee_id, COUNT(c.customer_id) FROM customer c
                RIGHT JOIN employee e ON c.support_rep_id = e.employee_id GROUP BY e.employee_id ORDER BY e.employee_id
                """
        ),
        CorpusReport(
            "Customers in their support rep's country",
            select(
                Customer.Columns.customerId,
                Customer.Columns.country,
                Employee.Columns.lastName,
                from: Customer.self
            )
            .join(
                Employee.self,
                on: Employee.Columns.employeeId == Customer.Columns.supportRepId
                    && Employee.Columns.country == Customer.Columns.country
            )
            .orderBy(Customer.Columns.customerId.asc),
            sql: """
                SELECT c.customer_id, c.country, e.last_name FROM customer c
                JOIN employee e ON e.employee_id = c.support_rep_id AND e.country = c.country ORDER BY c.customer_id
                """
        ),
        CorpusReport(
            "Employees hired before 2003",
            select(
                Employee.Columns.employeeId,
                Employee.Columns.lastName,
                Employee.Columns.hireDate,
                from: Employee.self
            )
            .where(extract(.year, from: Employee.Columns.hireDate) < 2003)
            .orderBy(Employee.Columns.employeeId.asc),
            sql: { d in
                """
                SELECT employee_id, last_name, hire_date FROM employee
                WHERE \(d.year("hire_date")) < 2003 ORDER BY employee_id
                """
            }
        ),
        CorpusReport(
            "Brazilian customers' companies, or private",
            select(Customer.Columns.customerId, coalesce(Customer.Columns.company, "private"), from: Customer.self)
                .where(\.country == "Brazil")
                .orderBy(Customer.Columns.customerId.asc),
            sql:
                "SELECT customer_id, COALESCE(company, 'private') FROM customer WHERE country = 'Brazil' ORDER BY customer_id"
        ),
        CorpusReport(
            "Distinct billing countries",
            select(Invoice.Columns.billingCountry, from: Invoice.self).distinct()
                .orderBy(Invoice.Columns.billingCountry.asc),
            sql: "SELECT DISTINCT billing_country FROM invoice ORDER BY billing_country"
        ),
    ]

    private static let text: [CorpusReport] = [
        CorpusReport(
            "Customers with a Gmail address",
            select(Customer.Columns.customerId, Customer.Columns.email, from: Customer.self)
                .where(Customer.Columns.email.like("%@gmail.com"))
                .orderBy(Customer.Columns.customerId.asc),
            sql: "SELECT customer_id, email FROM customer WHERE email LIKE '%@gmail.com' ORDER BY customer_id"
        ),
        CorpusReport(
            "Tracks about love",
            select(Track.Columns.trackId, Track.Columns.name, from: Track.self)
                .where(lower(Track.Columns.name).like("%love%"))
                .orderBy(Track.Columns.trackId.asc),
            sql: "SELECT track_id, name FROM track WHERE LOWER(name) LIKE '%love%' ORDER BY track_id"
        ),
        CorpusReport(
            "Track names with the ampersand spelled out",
            select(Track.Columns.trackId, replace(Track.Columns.name, "&", with: "and"), from: Track.self)
                .where(Track.Columns.name.like("%&%"))
                .orderBy(Track.Columns.trackId.asc),
            sql: "SELECT track_id, REPLACE(name, '&', 'and') FROM track WHERE name LIKE '%&%' ORDER BY track_id"
        ),
        CorpusReport(
            "Billing cities, trimmed and upper-cased",
            select(upper(trim(Invoice.Columns.billingCity)), from: Invoice.self)
                .distinct()
                .orderBy(upper(trim(Invoice.Columns.billingCity)).asc)
                .limit(15),
            sql: "SELECT DISTINCT UPPER(TRIM(billing_city)) FROM invoice ORDER BY UPPER(TRIM(billing_city)) LIMIT 15"
        ),
        CorpusReport(
            "Artists by initial",
            {
                let initial = upper(substring(Artist.Columns.name, from: 1, length: 1))
                return select(initial, count(), from: Artist.self)
                    .where(Artist.Columns.name.isNotNull)
                    .groupBy(initial)
                    .orderBy(initial.asc)
            }(),
            sql: """
                SELECT UPPER(SUBSTR(name, 1, 1)), COUNT(*) FROM artist WHERE name IS NOT NULL
                GROUP BY UPPER(SUBSTR(name, 1, 1)) ORDER BY UPPER(SUBSTR(name, 1, 1))
                """
        ),
        CorpusReport(
            "Canadian customers' full names",
            select(
                Customer.Columns.customerId,
                Customer.Columns.firstName.concat(" ").concat(Customer.Columns.lastName),
                from: Customer.self
            )
            .where(\.country == "Canada")
            .orderBy(Customer.Columns.lastName.asc, Customer.Columns.customerId.asc),
            sql: """
                SELECT customer_id, first_name || ' ' || last_name FROM customer WHERE country = 'Canada'
                ORDER BY last_name, customer_id
                """
        ),
    ]

    private static let setsAndSubqueries: [CorpusReport] = [
        CorpusReport(
            "Countries with both customers and employees",
            select(Customer.Columns.country, from: Customer.self)
                .intersect(select(Employee.Columns.country, from: Employee.self))
                .orderBy(Customer.Columns.country.asc),
            sql: "SELECT country FROM customer INTERSECT SELECT country FROM employee ORDER BY country"
        ),
        CorpusReport(
            "Metal tracks never sold",
            select(Track.Columns.trackId, from: Track.self).where(Track.Columns.genreId == 3)
                .except(select(InvoiceLine.Columns.trackId, from: InvoiceLine.self))
                .orderBy(Track.Columns.trackId.asc)
                .limit(10),
            sql: """
                SELECT track_id FROM track WHERE genre_id = 3 EXCEPT SELECT track_id FROM invoice_line
                ORDER BY track_id LIMIT 10
                """
        ),
        CorpusReport(
            "Cities of customers and employees, each once",
            select(Customer.Columns.city, Customer.Columns.country, from: Customer.self)
                .union(select(Employee.Columns.city, Employee.Columns.country, from: Employee.self))
                .orderBy(Customer.Columns.country.asc, Customer.Columns.city.asc),
            sql: """
                SELECT city, country FROM customer UNION SELECT city, country FROM employee ORDER BY country, city
                """
        ),
        CorpusReport(
            "French customers with their invoice count",
            select(Customer.Columns.customerId, Customer.Columns.lastName, from: Customer.self)
                .appending(
                    select(count(), from: Invoice.self)
                        .where(Invoice.Columns.customerId == Customer.Columns.customerId).asScalar()
                )
                .where(Customer.Columns.country == "France")
                .orderBy(Customer.Columns.customerId.asc),
            sql: """
                SELECT c.customer_id, c.last_name, (SELECT COUNT(*) FROM invoice i WHERE i.customer_id = c.customer_id)
                FROM customer c WHERE c.country = 'France' ORDER BY c.customer_id
                """
        ),
        CorpusReport(
            "Customers who bought jazz",
            select(Customer.Columns.customerId, Customer.Columns.lastName, from: Customer.self)
                .where(
                    exists(
                        select(InvoiceLine.Columns.invoiceLineId, from: InvoiceLine.self)
                            .join(Invoice.self, on: Invoice.Columns.invoiceId == InvoiceLine.Columns.invoiceId)
                            .join(Track.self, on: Track.Columns.trackId == InvoiceLine.Columns.trackId)
                            .join(Genre.self, on: Genre.Columns.genreId == Track.Columns.genreId)
                            .where(
                                Invoice.Columns.customerId == Customer.Columns.customerId
                                    && Genre.Columns.name == "Jazz"
                            )
                    )
                )
                .orderBy(Customer.Columns.customerId.asc),
            sql: """
                SELECT c.customer_id, c.last_name FROM customer c WHERE EXISTS (
                  SELECT 1 FROM invoice_line il JOIN invoice i ON i.invoice_id = il.invoice_id
                  JOIN track t ON t.track_id = il.track_id JOIN genre g ON g.genre_id = t.genre_id
                  WHERE i.customer_id = c.customer_id AND g.name = 'Jazz')
                ORDER BY c.customer_id
                """
        ),
        CorpusReport(
            "Genres never sold",
            select(Genre.Columns.genreId, Genre.Columns.name, from: Genre.self)
                .where(
                    Genre.Columns.genreId.notIn(
                        select(Track.Columns.genreId, from: Track.self)
                            .join(InvoiceLine.self, on: InvoiceLine.Columns.trackId == Track.Columns.trackId)
                            .where(Track.Columns.genreId.isNotNull)
                    )
                )
                .orderBy(Genre.Columns.genreId.asc),
            sql: """
                SELECT genre_id, name FROM genre WHERE genre_id NOT IN (
                  SELECT t.genre_id FROM track t JOIN invoice_line il ON il.track_id = t.track_id
                  WHERE t.genre_id IS NOT NULL)
                ORDER BY genre_id
                """
        ),
        CorpusReport(
            "Tracks of the most expensive price",
            select(count(), from: Track.self)
                .where(Track.Columns.unitPrice == select(max(Track.Columns.unitPrice), from: Track.self).asScalar()),
            sql: "SELECT COUNT(*) FROM track WHERE unit_price = (SELECT MAX(unit_price) FROM track)"
        ),
        CorpusReport(
            "Customers without a 2025 invoice",
            select(Customer.Columns.customerId, from: Customer.self)
                .where(
                    notExists(
                        select(Invoice.Columns.invoiceId, from: Invoice.self)
                            .where(
                                Invoice.Columns.customerId == Customer.Columns.customerId
                                    && extract(.year, from: Invoice.Columns.invoiceDate) == 2025
                            )
                    )
                )
                .orderBy(Customer.Columns.customerId.asc),
            sql: { d in
                """
                SELECT c.customer_id FROM customer c WHERE NOT EXISTS (
                  SELECT 1 FROM invoice i WHERE i.customer_id = c.customer_id AND \(d.year("i.invoice_date")) = 2025)
                ORDER BY c.customer_id
                """
            }
        ),
    ]
}
