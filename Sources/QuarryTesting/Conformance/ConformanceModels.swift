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
