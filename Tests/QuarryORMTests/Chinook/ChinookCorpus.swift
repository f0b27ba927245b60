import Foundation
import Quarry
import QuarryTesting

/// One reporting question about Chinook, asked twice: in typed Quarry and in the SQL a person
/// would write by hand for the backend. `ChinookCorpusTests` runs both and compares the rows.
struct CorpusReport: Sendable {
    /// What the report exercises, so the corpus can count its windows and common tables.
    enum Shape: Sendable {
        case plain
        /// Uses a window function.
        case window
        /// Uses a common table expression (or a derived table).
        case commonTable
    }

    let title: String
    let shape: Shape
    let typed: any RowProducing
    let handWritten: @Sendable (HandWrittenDates) -> String

    init(_ title: String, _ typed: any RowProducing, sql: String) {
        self.init(title, .plain, typed) { _ in sql }
    }

    init(_ title: String, _ typed: any RowProducing, sql: @escaping @Sendable (HandWrittenDates) -> String) {
        self.init(title, .plain, typed, sql: sql)
    }

    init(_ title: String, _ shape: Shape, _ typed: any RowProducing, sql: String) {
        self.init(title, shape, typed) { _ in sql }
    }

    init(
        _ title: String,
        _ shape: Shape,
        _ typed: any RowProducing,
        sql: @escaping @Sendable (HandWrittenDates) -> String
    ) {
        self.title = title
        self.shape = shape
        self.typed = typed
        self.handWritten = sql
    }
}

/// The date functions a hand-written query spells differently on each backend.
struct HandWrittenDates: Sendable {
    let backend: Backend

    func year(_ column: String) -> String { self.part("YEAR", "%Y", column) }
    func month(_ column: String) -> String { self.part("MONTH", "%m", column) }
    func dayOfWeek(_ column: String) -> String { self.part("DOW", "%w", column) }

    /// The first instant of the month of `column`.
    func monthStart(_ column: String) -> String {
        self.backend == .postgres
            ? "DATE_TRUNC('month', \(column))" : "STRFTIME('%Y-%m-01 00:00:00', \(column))"
    }

    private func part(_ field: String, _ format: String, _ column: String) -> String {
        self.backend == .postgres
            ? "EXTRACT(\(field) FROM \(column))" : "CAST(STRFTIME('\(format)', \(column)) AS INTEGER)"
    }
}

// Rows of the common tables and derived tables the reports name.

@Table("country_ranks")
struct CountryRank: Sendable {
    var customerId: Int32
    var country: String?
    var place: Int64
}

@Table("paths")
struct ManagementPath: Sendable {
    var employeeId: Int32
    var path: String
}

@Table("reporting")
struct ReportingLine: Sendable {
    var managerId: Int32?
    var employeeId: Int32
}

@Table("months")
struct MonthNumber: Sendable {
    var month: Int64
}

@Table("numbered_invoices")
struct NumberedInvoice: Sendable {
    var invoiceId: Int32
    var customerId: Int32
    var total: Decimal
    var position: Int64
}

@Table("ranked_tracks")
struct RankedTrack: Sendable {
    var albumId: Int32?
    var trackId: Int32
    var milliseconds: Int32
    var place: Int64
}

@Table("genre_sales")
struct GenreSales: Sendable {
    var genreId: Int32
    var revenue: Decimal?
}

@Table("playlist_sizes")
struct PlaylistSize: Sendable {
    var playlistId: Int32
    var tracks: Int64
}

@Table("track_playlists")
struct TrackPlaylists: Sendable {
    var trackId: Int32
    var playlists: Int64
}

@Table("spend_totals")
struct SpendTotal: Sendable {
    var customerId: Int32
    var spent: Decimal?
}

@Table("artist_tracks")
struct ArtistTracks: Sendable {
    var artistId: Int32
    var tracks: Int64
}

@Table("prolific_artists")
struct ProlificArtist: Sendable {
    var artistId: Int32
}

@Table("people")
struct Person: Sendable {
    var country: String?
    var kind: String
}

@Table("invoice_averages")
struct InvoiceAgainstAverage: Sendable {
    var invoiceId: Int32
    var customerId: Int32
    var total: Decimal
    var average: Double?
}

extension CorpusReport {
    /// The corpus: joins and aggregates first, then windows, then common tables.
    static let all: [CorpusReport] = plain + windows + commonTables
}
