// docs/types.md shows this file's model verbatim (DocCodeBlockTests checks it).
import Foundation
import Quarry

enum Genre: String, Codable, Sendable, DatabaseValueConvertible {
    case rock, jazz, classical
}

@Table("tracks")
struct Track: Sendable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    var genre: Genre
    var milliseconds: Int32
    var bytes: Int64?
    @Column(.type(.numeric(precision: 10, scale: 2))) var unitPrice: Decimal
}

func invoiceTotal(_ engine: Engine) async throws -> Decimal {
    let prices = try await engine.all(select(Track.Columns.unitPrice, from: Track.self))
    return prices.reduce(0, +)  // exact on both backends
}
