import Foundation
import Quarry
import Testing

/// Constraint errors, results and transactions: conformance checks.
enum ConstraintAndTransactionChecks {
    static let uniqueViolationIsTypedWithConstraint: ConformanceCheck = .init("uniqueViolationIsTypedWithConstraint") {
        backend in
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self, Post.self)
            try await engine.execute(insert(User(name: "Ada", email: "ada@example.com")))
            do {
                try await engine.execute(insert(User(name: "Eve", email: "ada@example.com")))
                Issue.record("expected a unique violation")
            } catch DatabaseError.uniqueViolation {
                // matched by code
            }
            let error = await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(User(name: "Eve", email: "ada@example.com")))
            }
            #expect(error?.code == .uniqueViolation)
            #expect(error?.constraintName?.contains("email") == true)
            #expect(error?.sql?.contains("INSERT INTO") == true)
            #expect(error?.description.contains("ada@example.com") == false)
        }
    }

    static let foreignKeyAndNotNullViolations: ConformanceCheck = .init("foreignKeyAndNotNullViolations") { backend in
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self, Post.self)
            let fk = await #expect(throws: DatabaseError.self) {
                try await engine.execute(insert(Post(userId: 999, title: "t", body: "b")))
            }
            #expect(fk?.code == .foreignKeyViolation)
            #expect(fk?.constraintName != nil)
            let notNull = await #expect(throws: DatabaseError.self) {
                try await engine.execute(
                    "INSERT INTO users (name, email, created_at) VALUES (\(nil as String?), 'x', \(Date()))" as SQL
                )
            }
            #expect(notNull?.code == .notNullViolation)
            try await engine.execute(
                SQL(unsafeRaw: "CREATE TABLE checked (n INTEGER CONSTRAINT n_positive CHECK (n > 0))")
            )
            let check = await #expect(throws: DatabaseError.self) {
                try await engine.execute("INSERT INTO checked (n) VALUES (\(-1))" as SQL)
            }
            #expect(check?.code == .checkViolation)
            #expect(check?.constraintName?.contains("n_positive") == true)
        }
    }

    static let oneAndOneOrNoneNameTheProblem: ConformanceCheck = .init("oneAndOneOrNoneNameTheProblem") { backend in
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self)
            let none = await #expect(throws: DatabaseError.self) { try await engine.one(select(User.self)) }
            #expect(none?.code == .noResult)
            try await engine.execute(insert([User(name: "A", email: "a@x"), User(name: "B", email: "b@x")]))
            let many = await #expect(throws: DatabaseError.self) { try await engine.one(select(User.self)) }
            #expect(many?.code == .multipleResults)
            #expect(many?.message.contains("2 rows") == true)
            await #expect(throws: DatabaseError.self) { try await engine.oneOrNone(select(User.self)) }
            #expect(try await engine.oneOrNone(select(User.self).where(\.email == "nobody")) == nil)
            #expect(try await engine.first(select(User.self).orderBy(\.id))?.name == "A")
            #expect(
                try await engine.scalars(select(User.Columns.name, from: User.self).orderBy(User.Columns.name.desc))
                    == ["B", "A"]
            )
        }
    }

    static let throwingTransactionLeavesNothingBehind: ConformanceCheck = .init(
        "throwingTransactionLeavesNothingBehind"
    ) {
        backend in
        struct Abort: Error {}
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self, Post.self)
            await #expect(throws: Abort.self) {
                try await engine.withTransaction { tx in
                    let user = try await tx.one(insert(User(name: "Ada", email: "ada@example.com")).returning())
                    try await tx.execute(insert(Post(userId: user.id!, title: "t", body: "b")))
                    throw Abort()
                }
            }
            #expect(try await engine.scalar(select(count(), from: User.self)) == 0)
            #expect(try await engine.scalar(select(count(), from: Post.self)) == 0)
            // A constraint failure mid-transaction rolls back the earlier statement too.
            await #expect(throws: DatabaseError.self) {
                try await engine.withTransaction { tx in
                    try await tx.execute(insert(User(name: "Ada", email: "ada@example.com")))
                    try await tx.execute(insert(Post(userId: 12345, title: "t", body: "b")))
                }
            }
            #expect(try await engine.scalar(select(count(), from: User.self)) == 0)
        }
    }

    static let savepointsRollBackOnlyTheirPart: ConformanceCheck = .init("savepointsRollBackOnlyTheirPart") { backend in
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self)
            try await engine.withTransaction { tx in
                try await tx.execute(insert(User(name: "Ada", email: "ada@example.com")))
                await #expect(throws: DatabaseError.self) {
                    try await tx.withSavepoint { sp in
                        try await sp.execute(insert(User(name: "Bob", email: "bob@example.com")))
                        try await sp.execute(insert(User(name: "Dup", email: "ada@example.com")))
                    }
                }
                try await tx.withSavepoint { sp in
                    try await sp.execute(insert(User(name: "Cy", email: "cy@example.com")))
                }
            }
            let names = try await engine.all(select(User.Columns.name, from: User.self).orderBy(User.Columns.name.asc))
            #expect(names == ["Ada", "Cy"])
        }
    }

    static let updateDeleteUpsertAndCounts: ConformanceCheck = .init("updateDeleteUpsertAndCounts") { backend in
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self)
            try await engine.execute(
                insert([User(name: "A", email: "a@x"), User(name: "B", email: "b@x"), User(name: "C", email: "c@x")])
            )
            #expect(
                try await engine.execute(
                    update(User.self).set(\.name, to: "Z").where(User.Columns.email.in(["a@x", "b@x"]))
                ) == 2
            )
            #expect(try await engine.execute(delete(from: User.self).where(\.email == "c@x")) == 1)
            try await engine.execute(insert(User(name: "New", email: "a@x")).onConflict(\.email).doUpdate(\.name))
            try await engine.execute(insert(User(name: "Ignored", email: "b@x")).onConflict(\.email).doNothing())
            let rows = try await engine.all(
                select(User.Columns.email, User.Columns.name, from: User.self).orderBy(User.Columns.email.asc)
            )
            #expect(rows.map(\.0) == ["a@x", "b@x"])
            #expect(rows.map(\.1) == ["New", "Z"])
            let updated = try await engine.all(
                update(User.self).set(\.name, to: "Q").where(\.email == "a@x").returning()
            )
            #expect(updated.map(\.name) == ["Q"])
        }
    }
}
