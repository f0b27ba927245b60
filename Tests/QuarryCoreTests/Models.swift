import Foundation
import QuarryCore

@Table("users")
struct User: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    @Column(.unique) var email: String
    var createdAt: Date = Date(timeIntervalSince1970: 0)
}

@Table("posts")
struct Post: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.references(User.self), .indexed) var userId: Int64
    var title: String
    var body: String
    @Column(.named("rating")) var score: Double? = nil
}

struct Settings: Codable, Sendable, Equatable {
    var theme: String
}

@Table("profiles")
struct Profile: Sendable {
    @Column(.primaryKey) var id: UUID
    var settings: JSONColumn<Settings>
    var isActive: Bool = true
    var avatarURL: Data?
    var computed: String { "x" }
    static let ignored = 1
}

@Table("accounts")
struct Account: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var login: String
    @Column(.sensitive) var password: String
}

/// Properties named by Swift keywords.
@Table("lessons")
struct Lesson: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var `class`: String
    var `default`: Int
}

/// A name in a plain character type, a search vector in its text form, JSON held as bytes.
@Table("landmarks")
struct Landmark: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.type(.varchar(80))) var name: String
    @Column(.type(.sql("tsvector"))) var search: String
    @Column(.type(.json)) var details: Data? = nil
}
