import Foundation
import Quarry
import QuarryTesting
import Testing

/// Exercises in the style of pgexercises.com (a country club's facilities, members and bookings),
/// written in the typed language the way a newcomer would from the docs, on both backends: basic
/// filters, CASE, dates, DISTINCT and UNION, scalar subqueries, joins and self-joins, computed
/// costs, aggregates with HAVING, window functions over a derived table, strings, series, and the
/// writes (insert from a computed row, update from a subquery, delete by NOT IN).
@Suite("Club exercises")
struct ClubExercisesTests {
    static func at(_ text: String) -> Date {
        Date.fromDatabaseValue(.text(text))!
    }

    static func load(_ engine: Engine) async throws {
        try await engine.createAll(CCFacility.self, CCMember.self, CCBooking.self)
        try await engine.execute(
            insert([
                CCFacility(
                    facid: 0,
                    name: "Tennis Court 1",
                    membercost: 5,
                    guestcost: 25,
                    initialoutlay: 10000,
                    monthlymaintenance: 200
                ),
                CCFacility(
                    facid: 1,
                    name: "Tennis Court 2",
                    membercost: 5,
                    guestcost: 25,
                    initialoutlay: 8000,
                    monthlymaintenance: 200
                ),
                CCFacility(
                    facid: 2,
                    name: "Badminton Court",
                    membercost: 0,
                    guestcost: Decimal(string: "15.5")!,
                    initialoutlay: 4000,
                    monthlymaintenance: 50
                ),
                CCFacility(
                    facid: 3,
                    name: "Table Tennis",
                    membercost: 0,
                    guestcost: 5,
                    initialoutlay: 320,
                    monthlymaintenance: 10
                ),
                CCFacility(
                    facid: 4,
                    name: "Massage Room 1",
                    membercost: 35,
                    guestcost: 80,
                    initialoutlay: 4000,
                    monthlymaintenance: 3000
                ),
            ])
        )
        try await engine.execute(
            insert([
                CCMember(memid: 0, surname: "GUEST", firstname: "GUEST", joindate: at("2012-07-01 00:00:00")),
                CCMember(memid: 1, surname: "Smith", firstname: "Darren", joindate: at("2012-07-02 12:02:05")),
                CCMember(memid: 2, surname: "Smith", firstname: "Tracy", joindate: at("2012-07-02 12:08:23")),
                CCMember(memid: 3, surname: "Rownam", firstname: "Tim", joindate: at("2012-07-03 09:32:15")),
                CCMember(
                    memid: 4,
                    surname: "Joplette",
                    firstname: "Janice",
                    recommendedby: 1,
                    joindate: at("2012-07-03 10:25:05")
                ),
                CCMember(
                    memid: 5,
                    surname: "Butters",
                    firstname: "Gerald",
                    recommendedby: 1,
                    joindate: at("2012-07-09 10:44:09")
                ),
            ])
        )
        try await engine.execute(
            insert([
                CCBooking(bookid: 0, facid: 3, memid: 1, starttime: at("2012-07-03 11:00:00"), slots: 2),
                CCBooking(bookid: 1, facid: 4, memid: 1, starttime: at("2012-07-03 08:00:00"), slots: 2),
                CCBooking(bookid: 2, facid: 0, memid: 0, starttime: at("2012-07-03 18:00:00"), slots: 2),
                CCBooking(bookid: 3, facid: 1, memid: 1, starttime: at("2012-07-03 19:00:00"), slots: 2),
                CCBooking(bookid: 4, facid: 0, memid: 4, starttime: at("2012-09-21 08:00:00"), slots: 3),
                CCBooking(bookid: 5, facid: 1, memid: 5, starttime: at("2012-09-21 10:00:00"), slots: 1),
                CCBooking(bookid: 6, facid: 4, memid: 0, starttime: at("2012-09-21 09:00:00"), slots: 4),
            ])
        )
    }

    @Test(arguments: Backend.allCases)
    func readingExercises(_ backend: Backend) async throws {
        try await withTestEngine(backend) { db in
            try await Self.load(db)
            let f = CCFacility.Columns.self
            let m = CCMember.Columns.self
            let b = CCBooking.Columns.self

            // Facilities charging members less than 1/50th of the monthly maintenance.
            let cheap = try await db.all(
                select(f.name, from: CCFacility.self)
                    .where(f.membercost > 0 && f.membercost < f.monthlymaintenance / Decimal(50))
            )
            #expect(cheap == ["Massage Room 1"])

            // LIKE, IN, CASE.
            #expect(
                try await db.all(
                    select(f.facid, from: CCFacility.self).where(f.name.like("%Tennis%")).orderBy(f.facid.asc)
                ) == [0, 1, 3]
            )
            #expect(
                try await db.all(select(CCFacility.self).where(f.facid.in([Int32(1), 5]))).map(\.name) == [
                    "Tennis Court 2"
                ]
            )
            let labels = try await db.all(
                select(f.name, when(f.monthlymaintenance > 100, then: "expensive").else("cheap"), from: CCFacility.self)
                    .orderBy(f.facid.asc)
            )
            #expect(labels.map(\.1) == ["expensive", "expensive", "cheap", "cheap", "expensive"])

            // Dates, DISTINCT, UNION, a scalar subquery.
            let joined = try await db.all(
                select(m.memid, from: CCMember.self).where(m.joindate >= Self.at("2012-07-03 00:00:00")).orderBy(
                    m.memid.asc
                )
            )
            #expect(joined == [3, 4, 5])
            #expect(
                try await db.all(select(m.surname, from: CCMember.self).distinct().orderBy(m.surname.asc).limit(3)) == [
                    "Butters", "GUEST", "Joplette",
                ]
            )
            let names = try await db.all(
                select(m.surname, from: CCMember.self).union(select(f.name, from: CCFacility.self))
            )
            #expect(names.count == 10)
            let latest = try await db.all(
                select(m.firstname, m.surname, from: CCMember.self)
                    .where(m.joindate == select(max(m.joindate), from: CCMember.self).asScalar())
            )
            #expect(latest.map { "\($0.0) \($0.1)" } == ["Gerald Butters"])

            // Joins and a self-join through an alias.
            let darren = try await db.all(
                select(b.bookid, from: CCBooking.self)
                    .join(CCMember.self, on: m.memid == b.memid)
                    .where(m.firstname == "Darren" && m.surname == "Smith")
                    .orderBy(b.starttime.asc)
            )
            #expect(darren == [1, 0, 3])
            // A range join: bookings made within a day of the member joining (BETWEEN two expressions).
            let early = try await db.all(
                select(b.bookid, from: CCBooking.self)
                    .join(CCMember.self, on: m.memid == b.memid)
                    .where(b.starttime.between(m.joindate, and: m.joindate + .days(1)))
                    .orderBy(b.bookid.asc)
            )
            #expect(early == [0, 1])
            let recs = TableAlias(CCMember.self, "recs")
            let recommenders = try await db.all(
                select(
                    m.surname,
                    m.firstname,
                    recs[\.firstname].nullable,
                    recs[\.surname].nullable,
                    from: CCMember.self
                )
                .leftJoin(recs, on: recs[\.memid] == m.recommendedby)
                .orderBy(m.surname.asc, m.firstname.asc)
            )
            #expect(recommenders.map { $0.2.map { "\($0)" } ?? "-" } == ["Darren", "-", "Darren", "-", "-", "-"])

            // A computed cost: guests pay the guest rate, an integer times a decimal.
            let cost = when(b.memid == 0, then: b.slots * f.guestcost).else(b.slots * f.membercost)
            let expensive = try await db.all(
                select(m.firstname.concat(" ").concat(m.surname), f.name, cost, from: CCMember.self)
                    .join(CCBooking.self, on: b.memid == m.memid)
                    .join(CCFacility.self, on: f.facid == b.facid)
                    .where(
                        b.starttime >= Self.at("2012-09-21 00:00:00") && b.starttime < Self.at("2012-09-22 00:00:00")
                    )
                    .where(cost > Decimal(30))
                    .orderBy(cost.desc)
            )
            #expect(expensive.count == 1)
            #expect(expensive.first?.0 == "GUEST GUEST" && expensive.first?.1 == "Massage Room 1")
            #expect(expensive.first?.2 == 320)

            // End times: a slot is half an hour.
            let ends = try await db.all(
                select(b.starttime + .minutes(30) * b.slots, from: CCBooking.self)
                    .where(b.bookid >= 4)
                    .orderBy(b.bookid.asc)
            )
            #expect(
                ends == [
                    Self.at("2012-09-21 09:30:00"), Self.at("2012-09-21 10:30:00"), Self.at("2012-09-21 11:00:00"),
                ]
            )
            let nextDay = try await db.one(
                select(b.starttime + .days(1) - .hours(2), from: CCBooking.self).where(b.bookid == 0)
            )
            #expect(nextDay == Self.at("2012-07-04 09:00:00"))
            let daysLater = try await db.all(
                select(
                    cast(b.starttime, as: CalendarDate.self) + Interval(months: 1, days: 1) * (b.slots - 3),
                    from: CCBooking.self
                )
                .where(b.bookid >= 4)
                .orderBy(b.bookid.asc)
            )
            #expect(daysLater.map(\.description) == ["2012-09-21", "2012-07-19", "2012-10-22"])

            // Aggregates: slots per facility over 3, and per month.
            let busy = try await db.all(
                select(b.facid, sum(b.slots), from: CCBooking.self)
                    .groupBy(b.facid)
                    .having(sum(b.slots) > 3)
                    .orderBy(b.facid.asc)
            )
            #expect(busy.map(\.0) == [0, 4] && busy.map(\.1) == [5, 6])
            // Money rounded stays a Decimal.
            let revenue = try await db.all(
                select(b.facid, round(sum(b.slots * f.membercost), 1), from: CCBooking.self)
                    .join(CCFacility.self, on: f.facid == b.facid)
                    .groupBy(b.facid)
                    .orderBy(b.facid.asc)
            )
            #expect(revenue.map(\.1) == [Decimal(25), 15, 0, 210])
            let month = extract(.month, from: b.starttime)
            let monthly = try await db.all(
                select(month, sum(b.slots), from: CCBooking.self).groupBy(month).orderBy(month.asc)
            )
            #expect(monthly.map(\.0) == [7, 9] && monthly.map(\.1) == [8, 8])

            // Window functions: the count beside every row, numbering, the top facility by rank.
            let numbered = try await db.all(
                select(count().over(), rowNumber().over(orderBy: m.joindate.asc), m.surname, from: CCMember.self)
                    .orderBy(m.joindate.asc)
            )
            #expect(numbered.map(\.0) == Array(repeating: 6, count: 6) && numbered.map(\.1) == [1, 2, 3, 4, 5, 6])
            let ranked = select(b.facid, sum(b.slots), rank().over(orderBy: sum(b.slots).desc), from: CCBooking.self)
                .groupBy(b.facid)
            let top = try await db.all(
                select(CCRankedFacility.self).from(ranked).where(CCRankedFacility.Columns.rank == 1)
            )
            #expect(top == [CCRankedFacility(facid: 4, total: 6, rank: 1)])

            // Strings: initials counted.
            let initial = substring(m.surname, from: 1, length: 1)
            let initials = try await db.all(
                select(initial, count(), from: CCMember.self).groupBy(initial).orderBy(initial.asc)
            )
            #expect(initials.map { "\($0.0)\($0.1)" } == ["B1", "G1", "J1", "R1", "S2"])

            // Every day of a range with its bookings, none counted as zero.
            let days = try await db.all(
                select(CCDay.Columns.number, count(b.bookid), from: CCDay.self)
                    .from(series(from: 1, through: 4))
                    .leftJoin(
                        CCBooking.self,
                        on: extract(.day, from: b.starttime) == CCDay.Columns.number + 20
                    )
                    .groupBy(CCDay.Columns.number)
                    .orderBy(CCDay.Columns.number.asc)
            )
            #expect(days.map(\.1) == [3, 0, 0, 0])
        }
    }

    @Test(arguments: Backend.allCases)
    func writingExercises(_ backend: Backend) async throws {
        try await withTestEngine(backend) { db in
            try await Self.load(db)
            let f = CCFacility.Columns.self
            let b = CCBooking.Columns.self
            let m = CCMember.Columns.self

            // A new facility whose id is computed: INSERT … SELECT of a row with no table.
            let nextID = select(max(f.facid), from: CCFacility.self).asScalar()
            try await db.execute(
                insert(
                    into: CCFacility.self,
                    columns: \.facid,
                    \.name,
                    \.membercost,
                    \.guestcost,
                    \.initialoutlay,
                    \.monthlymaintenance,
                    from: select(
                        coalesce(nextID, Int32(-1)) + 1,
                        value("Spa"),
                        value(Decimal(20)),
                        value(Decimal(30)),
                        value(Decimal(100_000)),
                        value(Decimal(800))
                    )
                )
            )
            #expect(try await db.one(select(CCFacility.self).where(f.name == "Spa")).facid == 5)

            // Tennis Court 2 costs 10% more than Tennis Court 1: an update from a subquery.
            try await db.execute(
                update(CCFacility.self)
                    .set(
                        \.membercost,
                        to: select(f.membercost * Decimal(string: "1.1")!, from: CCFacility.self).where(f.facid == 0)
                            .asScalar()
                    )
                    .where(f.facid == 1)
            )
            #expect(
                try await db.one(select(f.membercost, from: CCFacility.self).where(f.facid == 1))
                    == Decimal(string: "5.5")
            )

            // Members who never booked are removed: NOT IN a subquery.
            let removed = try await db.execute(
                delete(from: CCMember.self).where(m.memid.notIn(select(b.memid, from: CCBooking.self)))
            )
            #expect(removed == 2)
            #expect(try await db.all(select(m.memid, from: CCMember.self).orderBy(m.memid.asc)) == [0, 1, 4, 5])

            // Several values from the database and no table.
            let (answer, label) = try await db.one(select(value(Int64(6)) * 7, value("x").concat("y")))
            #expect(answer == 42 && label == "xy")
        }
    }
}

@Table("facilities")
struct CCFacility: Sendable, Equatable {
    @Column(.primaryKey) var facid: Int32
    var name: String
    var membercost: Decimal
    var guestcost: Decimal
    var initialoutlay: Decimal
    var monthlymaintenance: Decimal
}

@Table("members")
struct CCMember: Sendable, Equatable {
    @Column(.primaryKey) var memid: Int32
    var surname: String
    var firstname: String
    @Column(.references(CCMember.self)) var recommendedby: Int32? = nil
    var joindate: Date
}

@Table("bookings")
struct CCBooking: Sendable, Equatable {
    @Column(.primaryKey) var bookid: Int32
    @Column(.references(CCFacility.self)) var facid: Int32
    @Column(.references(CCMember.self)) var memid: Int32
    var starttime: Date
    var slots: Int32
}

/// The rows of the ranking derived table.
@Table("ranked")
struct CCRankedFacility: Sendable, Equatable {
    var facid: Int32
    var total: Int32?
    var rank: Int64
}

@Table("days")
struct CCDay: Sendable, Equatable {
    var number: Int64
}
