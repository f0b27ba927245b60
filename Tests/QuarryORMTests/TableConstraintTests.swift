import Foundation
import Quarry
import QuarryTesting
import Testing

@Table("rooms")
struct Room: Sendable, Equatable {
    @Column(.primaryKey) var code: String
    var floor: Int16
}

@Table("bookings")
struct Booking: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    @Column(.references(Room.self), .onDelete(.cascade), .onUpdate(.cascade)) var roomCode: String
    var day: Int32
    var nights: Int16
    @Column(.type(.numeric(precision: 8, scale: 2))) var price: Decimal
    var guest: String?
    @Column(.references(Booking.self), .onDelete(.setNull)) var extendsBooking: Int64?
}

extension Booking: ConstrainedTable {
    static let constraints: [TableConstraint<Booking>] = [
        .unique(\.roomCode, \.day),
        .check(Booking.Columns.nights > 0 && Booking.Columns.price >= Decimal(0), name: "booking_is_paid_stay"),
        .index(\.guest, where: Booking.Columns.guest != nil),
        .index(\.day, \.nights, unique: false, name: "bookings_by_day"),
    ]
}

@Table("jobs")
struct Job: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var name: String
    @Column(.default("queued")) var state: String? = nil
    @Column(.defaultNow) var createdAt: Date? = nil
}

/// Table-level constraints (multi-column UNIQUE, CHECK, multi-column and partial indexes) and
/// foreign-key actions (ON DELETE / ON UPDATE, a self-reference), created and enforced on both
/// backends (issue 15).
@Suite("Table constraints")
struct TableConstraintTests {
    @Test func theDDLNamesEveryConstraint() throws {
        let table = try createTable(Booking.self).compile(for: .postgresql).sql
        #expect(table.contains(#"CONSTRAINT "uq_bookings_room_code_day" UNIQUE ("room_code", "day")"#))
        #expect(table.contains(#"CONSTRAINT "booking_is_paid_stay" CHECK ("nights" > 0 AND "price" >= 0)"#), "\(table)")
        #expect(table.contains(#"REFERENCES "rooms" ("code") ON DELETE CASCADE ON UPDATE CASCADE"#))
        let indexes = try createIndexes(Booking.self).map { try $0.compile(for: .sqlite).sql }
        #expect(
            indexes.contains(#"CREATE INDEX "ix_bookings_guest" ON "bookings" ("guest") WHERE "guest" IS NOT NULL"#),
            "\(indexes)"
        )
        #expect(indexes.contains(#"CREATE INDEX "bookings_by_day" ON "bookings" ("day", "nights")"#))
    }

    @Test(arguments: Backend.allCases)
    func constraintsAndActionsAreEnforced(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(Room.self, Booking.self)
            try await engine.execute(insert([Room(code: "A1", floor: 1), Room(code: "B2", floor: 2)]))
            let first = try await engine.one(
                insert(Booking(roomCode: "A1", day: 10, nights: 2, price: Decimal(string: "99.50")!)).returning()
            )
            let unique = await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(Booking(roomCode: "A1", day: 10, nights: 1, price: 10)))
            }
            #expect(unique?.code == .uniqueViolation)
            let check = await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(Booking(roomCode: "B2", day: 10, nights: 0, price: 10)))
            }
            #expect(check?.code == .checkViolation)
            #expect(check?.constraintName?.contains("booking_is_paid_stay") == true, "\(String(describing: check))")

            // A self-reference, cleared when the referenced booking goes (ON DELETE SET NULL).
            let extensionStay = try await engine.one(
                insert(
                    Booking(roomCode: "B2", day: 12, nights: 1, price: 10, guest: "Ada", extendsBooking: first.id)
                ).returning()
            )
            // ON UPDATE CASCADE: re-keying a room re-keys its bookings.
            try await engine.execute(update(Room.self).set(\.code, to: "A9").where(\.code == "A1"))
            #expect(try await engine.one(select(Booking.self).where(\.id == first.id!)).roomCode == "A9")
            // ON DELETE CASCADE: deleting the room deletes its bookings; the extension loses its link.
            try await engine.execute(delete(from: Room.self).where(\.code == "A9"))
            let left = try await engine.all(select(Booking.self))
            #expect(left.map(\.id) == [extensionStay.id])
            #expect(left.first?.extendsBooking == nil)
        }
    }

    /// Regression (issue 15, item 3): `.default(…)` was documented as a server default, but every
    /// column was bound on insert, so it never applied.
    @Test(arguments: Backend.allCases)
    func serverDefaultsApplyToColumnsLeftNil(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(Job.self)
            let before = Date(timeIntervalSinceNow: -120)
            let queued = try await engine.one(insert(Job(name: "a")).returning())
            #expect(queued.state == "queued")
            let created = try #require(queued.createdAt)
            #expect(created > before && created < Date(timeIntervalSinceNow: 120))
            let given = try await engine.one(insert(Job(name: "b", state: "running")).returning())
            #expect(given.state == "running")
            try await engine.withSession { session in
                var job = Job(name: "c")
                try await session.insert(&job)
                #expect(job.state == "queued" && job.createdAt != nil)
            }
        }
    }
}
