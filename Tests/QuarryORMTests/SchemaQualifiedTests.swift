import Foundation
import Quarry
import QuarryTesting
import Testing

/// pgexercises' `cd.members`.
@Table("members", schema: "cd")
struct ClubMember: Sendable, Equatable {
    @Column(.primaryKey) var memid: Int32
    var surname: String
    var firstname: String
    @Column(.references(ClubMember.self), .onDelete(.setNull)) var recommendedby: Int32?
}

/// Regression (issue 15, item 4): `@Table("cd.members")` was quoted as one name and failed with
/// 42P01; a table of another schema is named `"cd"."members"` in every statement.
@Suite("Schema-qualified tables")
struct SchemaQualifiedTests {
    @Test func everyStatementNamesTheSchema() throws {
        let member = ClubMember(memid: 1, surname: "Smith", firstname: "Darren")
        let statements: [any Statement] = [
            select(ClubMember.self), insert(member), update(member), delete(member), createTable(ClubMember.self),
        ]
        for statement in statements {
            #expect(try statement.compile(for: .postgresql).sql.contains(#""cd"."members""#))
        }
        #expect(try createTable(ClubMember.self).compile(for: .postgresql).sql.contains(#"REFERENCES "cd"."members""#))
    }

    @Test func aTableInAnotherSchemaIsReadWrittenAndSelfJoined() async throws {
        try await TestDatabase.withOwnPostgreSQLDatabase { url, _ in
            try await TestDatabase.run(Engine(url: url)) { engine in
                try await engine.execute("CREATE SCHEMA cd" as SQL)
                try await engine.createAll(ClubMember.self)
                try await engine.execute(
                    insert([
                        ClubMember(memid: 1, surname: "Smith", firstname: "Darren"),
                        ClubMember(memid: 2, surname: "Rumney", firstname: "Henrietta", recommendedby: 1),
                    ])
                )
                let recommender = TableAlias(ClubMember.self, "recs")
                let pairs = try await engine.all(
                    select(ClubMember.Columns.firstname, recommender[\.firstname], from: ClubMember.self)
                        .join(recommender, on: ClubMember.Columns.recommendedby == recommender[\.memid])
                )
                #expect(pairs.map { [$0.0, $0.1] } == [["Henrietta", "Darren"]])
                try await engine.withSession { session in
                    var henrietta = try #require(try await session.get(ClubMember.self, id: Int32(2)))
                    henrietta.surname = "Rumney-Smith"
                    try session.update(henrietta)
                    try session.delete(try #require(try await session.get(ClubMember.self, id: Int32(1))))
                    try await session.commit()
                }
                let left = try await engine.all(select(ClubMember.self))
                #expect(
                    left == [ClubMember(memid: 2, surname: "Rumney-Smith", firstname: "Henrietta", recommendedby: nil)]
                )
            }
        }
    }
}
