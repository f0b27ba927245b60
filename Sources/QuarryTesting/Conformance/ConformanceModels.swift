import Foundation
import Quarry

@Table("users")
struct User: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    @Column(.unique) var email: String
    var createdAt: Date = Date(timeIntervalSince1970: 1_700_000_000.123456)
}

@Table("posts")
struct Post: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.references(User.self), .indexed) var userId: Int64
    var title: String
    var body: String
}

struct Preferences: Codable, Sendable, Equatable {
    var theme: String
    var tags: [String]
    var limits: [String: Int]
}

@Table("samples")
struct Sample: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var int: Int
    var int32: Int32
    var int64: Int64
    var double: Double
    var flag: Bool
    var text: String
    var date: Date
    var uuid: UUID
    var data: Data
    var json: JSONColumn<Preferences>
    var optionalInt: Int64?
    var optionalText: String?
    var optionalDate: Date?
    var optionalUUID: UUID?
    var optionalData: Data?
    var optionalBool: Bool?
    var optionalDouble: Double?
}

/// A stored enum: `String` raw values.
enum Genre: String, Codable, Sendable, DatabaseValueConvertible {
    case rock, jazz, classical
}

/// A stored enum: `Int` raw values.
enum Priority: Int, Codable, Sendable, DatabaseValueConvertible {
    case low = 1
    case high = 2
}

/// Every scalar type beyond the first set, for the limits check.
@Table("exact_values")
struct ExactValues: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var tiny: Int8
    var small: Int16
    var byte: UInt8
    var word: UInt16
    var unsigned: UInt32
    var single: Float
    var amount: Decimal
    @Column(.type(.numeric(precision: 10, scale: 2))) var price: Decimal
    var genre: Genre
    var priority: Priority?
    var optionalAmount: Decimal?
}

/// Dates without times, times of day, intervals and arrays, for the temporal and array check.
@Table("calendar_values")
struct CalendarValues: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var day: CalendarDate
    var opens: TimeOfDay
    var wait: Duration
    var period: Interval
    var tags: [String]
    var scores: [Int32?]
    var amounts: [Decimal]
    var flags: [Bool]
    var days: [CalendarDate]
    var ids: [UUID]
    var optionalDay: CalendarDate?
    var optionalTags: [Int64]?
}
