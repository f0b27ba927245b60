import Foundation
import QuarryCore
import Testing

/// Expressions a set of real reporting exercises needed (issue 17's basics).
@Suite("Expressions")
struct ExpressionTests {
    @Test func everyComparisonWorksBetweenTwoExpressions() throws {
        let cases: [(SQLExpression<Bool>, String)] = [
            (Post.Columns.id <= Post.Columns.userId, "<="),
            (Post.Columns.id >= Post.Columns.userId, ">="),
            (Post.Columns.userId <= Post.Columns.id, "<="),  // Int64 against Int64?
            (Post.Columns.id != Post.Columns.userId, "<>"),
        ]
        for (condition, op) in cases {
            let sql = try select(Post.Columns.title, from: Post.self).where(condition).compile(for: .sqlite).sql
            #expect(sql.contains(" \(op) "), "\(sql)")
        }
    }

    @Test func arithmeticPromotesMixedNumericTypes() throws {
        // Int64 * Double? once failed to compile ("requires the types 'Int64' and 'Double' be equivalent").
        let mixed: SQLExpression<Double> = Post.Columns.userId * Post.Columns.score
        let sameType: SQLExpression<Int64> = Post.Columns.userId + Post.Columns.userId
        let ratio: SQLExpression<Double> = Post.Columns.userId / value(2.5)
        let compared = Post.Columns.userId > Post.Columns.score
        let sql = try select(mixed, sameType, ratio, from: Post.self).where(compared).compile(for: .postgresql).sql
        #expect(
            sql
                == #"SELECT "posts"."user_id" * "posts"."rating", "posts"."user_id" + "posts"."user_id", "posts"."user_id" / $1 FROM "posts" WHERE "posts"."user_id" > "posts"."rating""#
        )
    }

    @Test func integerExpressionsTakeFloatingPointValues() throws {
        // `count() * 100.0` once failed: "cannot convert value of type 'Double' to expected argument type 'Int64'".
        let percent: SQLExpression<Double> = count() * 100.0 / value(Int64(7))
        let shifted: SQLExpression<Double> = Post.Columns.userId + 0.5 - 0.25
        try expectSQL(
            select(percent, shifted, from: Post.self).where(Post.Columns.userId >= 1.5 && count() < 2.5),
            postgres:
                #"SELECT (COUNT(*) * $1) / $2, ("posts"."user_id" + $3) - $4 FROM "posts" WHERE "posts"."user_id" >= $5 AND COUNT(*) < $6"#,
            sqlite:
                #"SELECT (COUNT(*) * ?) / ?, ("posts"."user_id" + ?) - ? FROM "posts" WHERE "posts"."user_id" >= ? AND COUNT(*) < ?"#,
            binds: [.double(100), .integer(7), .double(0.5), .double(0.25), .double(1.5), .double(2.5)]
        )
        // An integer value keeps integer arithmetic.
        let minutes: SQLExpression<Int64> = Post.Columns.userId / 60
        #expect(try select(minutes, from: Post.self).compile(for: .sqlite).binds == [.integer(60)])
    }

    @Test func roundCastAndNullif() throws {
        let rounded = try select(round(avg(Post.Columns.score), 2), from: Post.self).compile(for: .postgresql)
        #expect(
            rounded.sql == #"SELECT ROUND(CAST(AVG("posts"."rating") AS NUMERIC), CAST($1 AS INTEGER)) FROM "posts""#
        )
        let cast = try select(cast(Post.Columns.userId, as: String.self), from: Post.self).compile(for: .sqlite)
        #expect(cast.sql == #"SELECT CAST("posts"."user_id" AS TEXT) FROM "posts""#)
        let nullIf = try select(nullif(Post.Columns.title, ""), from: Post.self).compile(for: .sqlite)
        #expect(nullIf.sql == #"SELECT NULLIF("posts"."title", ?) FROM "posts""#)
    }

    /// Regression: each use of a constant got its own parameter, so PostgreSQL refused
    /// `SELECT DISTINCT name || ' ' … ORDER BY name || ' ' …` (42P10).
    @Test func aDistinctSelectBindsEachConstantOnce() throws {
        let label = User.Columns.name.concat(value(" <")).concat(User.Columns.email)
        let query = select(label, from: User.self).distinct().orderBy(label.asc)
        let pg = try query.compile(for: .postgresql)
        #expect(
            pg.sql
                == #"SELECT DISTINCT ("users"."name" || $1) || "users"."email" FROM "users" ORDER BY ("users"."name" || $1) || "users"."email" ASC"#
        )
        #expect(pg.binds == [.text(" <")])
        // Without DISTINCT, and on SQLite (positional placeholders), each use is bound as before.
        #expect(try select(label, from: User.self).orderBy(label.asc).compile(for: .postgresql).binds.count == 2)
        #expect(try query.compile(for: .sqlite).binds.count == 2)
    }
}
