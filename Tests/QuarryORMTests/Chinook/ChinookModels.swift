import Foundation
import Quarry

// The eleven tables of the Chinook sample database (1.4.5), modelled by hand with @Table. Columns
// are declared in the order of the original schema, so a table of the SQLite edition
// (PascalCase names) copies into these with `INSERT … SELECT *`.

extension ColumnOption {
    /// Chinook's money columns: `NUMERIC(10,2)`.
    static let money = ColumnOption.type(.numeric(precision: 10, scale: 2))
}

@Table("artist")
struct Artist: Sendable, Equatable {
    @Column(.primaryKey) var artistId: Int32
    var name: String?
}

@Table("album")
struct Album: Sendable, Equatable {
    @Column(.primaryKey) var albumId: Int32
    var title: String
    @Column(.references(Artist.self), .indexed) var artistId: Int32
}

@Table("employee")
struct Employee: Sendable, Equatable {
    @Column(.primaryKey) var employeeId: Int32
    var lastName: String
    var firstName: String
    var title: String?
    @Column(.references(Employee.self), .indexed) var reportsTo: Int32?
    @Column(.type(.localTimestamp)) var birthDate: Date?
    @Column(.type(.localTimestamp)) var hireDate: Date?
    var address: String?
    var city: String?
    var state: String?
    var country: String?
    var postalCode: String?
    var phone: String?
    var fax: String?
    var email: String?

    /// The employees who report to this one: the self-reference, loaded by `including(all:)`.
    static let reports = HasMany<Employee, Employee>(\.reportsTo)
}

@Table("customer")
struct Customer: Sendable, Equatable {
    @Column(.primaryKey) var customerId: Int32
    var firstName: String
    var lastName: String
    var company: String?
    var address: String?
    var city: String?
    var state: String?
    var country: String?
    var postalCode: String?
    var phone: String?
    var fax: String?
    var email: String
    @Column(.references(Employee.self), .indexed) var supportRepId: Int32?
}

@Table("genre")
struct Genre: Sendable, Equatable {
    @Column(.primaryKey) var genreId: Int32
    var name: String?
}

@Table("invoice")
struct Invoice: Sendable, Equatable {
    @Column(.primaryKey) var invoiceId: Int32
    @Column(.references(Customer.self), .indexed) var customerId: Int32
    @Column(.type(.localTimestamp)) var invoiceDate: Date
    var billingAddress: String?
    var billingCity: String?
    var billingState: String?
    var billingCountry: String?
    var billingPostalCode: String?
    @Column(.money) var total: Decimal
}

@Table("media_type")
struct MediaType: Sendable, Equatable {
    @Column(.primaryKey) var mediaTypeId: Int32
    var name: String?
}

@Table("playlist")
struct Playlist: Sendable, Equatable {
    @Column(.primaryKey) var playlistId: Int32
    var name: String?
}

@Table("track")
struct Track: Sendable, Equatable {
    @Column(.primaryKey) var trackId: Int32
    var name: String
    @Column(.references(Album.self), .indexed) var albumId: Int32?
    @Column(.references(MediaType.self), .indexed) var mediaTypeId: Int32
    @Column(.references(Genre.self), .indexed) var genreId: Int32?
    var composer: String?
    var milliseconds: Int32
    var bytes: Int32?
    @Column(.money) var unitPrice: Decimal
}

@Table("invoice_line")
struct InvoiceLine: Sendable, Equatable {
    @Column(.primaryKey) var invoiceLineId: Int32
    @Column(.references(Invoice.self), .indexed) var invoiceId: Int32
    @Column(.references(Track.self), .indexed) var trackId: Int32
    @Column(.money) var unitPrice: Decimal
    var quantity: Int32
}

@Table("playlist_track")
struct PlaylistTrack: Sendable, Equatable {
    @Column(.primaryKey, .references(Playlist.self)) var playlistId: Int32
    @Column(.primaryKey, .references(Track.self), .indexed) var trackId: Int32
}

extension Track: ConstrainedTable {
    /// A partial index, expression indexes and a check, so the schema comparisons see every kind
    /// of condition and indexed expression.
    static let constraints: [TableConstraint<Track>] = [
        .index(\.composer, where: Track.Columns.composer != nil, name: "ix_track_composer_known"),
        .index(on: lower(Track.Columns.name), name: "ix_track_name_lower"),
        .index(on: Track.Columns.milliseconds / 1000, Track.Columns.albumId, name: "ix_track_seconds_album"),
        .check(Track.Columns.milliseconds > 0, name: "track_has_a_length"),
    ]
}
