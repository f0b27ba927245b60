import Foundation
import Quarry
import QuarryTesting
import Testing

/// Functions each backend spells its own way (or, for SQLite's driver, lacks: it is built without
/// SQLite's math functions) give the same answers on both: `greatest`/`least` skip NULLs,
/// `ceil`/`floor` round negative numbers away from zero and keep decimals exact, `position`,
/// `left` and `right` at their edges, `upper`/`lower` of any letter; and the window functions that read other rows of a frame.
@Suite("Portable functions")
struct PortableFunctionTests {
    @Test(arguments: Backend.allCases)
    func greatestAndLeastSkipNulls(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let none = value(Int64?.none)
            let (high, low, withNull, onlyNulls) = try await engine.one(
                select(
                    greatest(value(Int64(3)), value(Int64(9)), value(Int64(-4))),
                    least(value(Int64(3)), value(Int64(9)), value(Int64(-4))),
                    greatest(value(Int64?(5)), none, value(Int64?(2))),
                    least(none, none)
                )
            )
            #expect(high == 9 && low == -4)
            #expect(withNull == 5)
            #expect(onlyNulls == nil)
            let (floored, capped, text) = try await engine.one(
                select(
                    greatest(value(Int64(-7)), 0),
                    least(value(Int64(70)), 50),
                    greatest(value("apple"), value("pear"))
                )
            )
            #expect(floored == 0 && capped == 50 && text == "pear")
        }
    }

    @Test(arguments: Backend.allCases)
    func ceilingFloorAndAbsolute(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            for (x, up, down) in [(2.5, 3.0, 2.0), (-2.5, -2.0, -3.0), (4.0, 4.0, 4.0), (-0.25, 0.0, -1.0)] {
                let (ceiling, floored, absolute) = try await engine.one(
                    select(ceil(value(x)), floor(value(x)), abs(value(x)))
                )
                #expect(ceiling == up && floored == down && absolute == Swift.abs(x), "\(x)")
            }
            let price = Decimal(string: "12.34")!
            let (ceiling, floored, negative) = try await engine.one(
                select(ceil(value(price)), floor(value(price)), floor(value(-price)))
            )
            #expect(ceiling == 13 && floored == 12 && negative == -13)
            #expect(try await engine.one(select(abs(value(Int64(-42))))) == 42)
            #expect(try await engine.one(select(ceil(value(Double?.none)))) == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func positionLeftAndRight(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let word = value("Quarry")
            let (found, missing, fromExpression) = try await engine.one(
                select(position(of: "rr", in: word), position(of: "x", in: word), position(of: value("Q"), in: word))
            )
            #expect(found == 4 && missing == 0 && fromExpression == 1)
            let (first, last, none, all, longer) = try await engine.one(
                select(left(word, 3), right(word, 3), right(word, 0), right(word, 6), right(word, 10))
            )
            #expect(first == "Qua" && last == "rry" && none == "" && all == "Quarry" && longer == "Quarry")
            #expect(try await engine.one(select(left(word, 0), left(word, 20))) == ("", "Quarry"))
        }
    }

    /// Over the numbers 1…5 in one window: the frame's first, last and second values, lagged and
    /// led values with defaults, and the relative ranks.
    @Test(arguments: Backend.allCases)
    func framesRanksAndDefaults(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let n = SeriesNumber.Columns.number
            let whole = WindowFrame.rows(.unboundedPreceding, .unboundedFollowing)
            let rows = try await engine.all(
                select(
                    firstValue(n).over(orderBy: [n.desc], frame: whole),
                    lastValue(n).over(orderBy: [n.desc], frame: whole),
                    nthValue(n, 2).over(orderBy: [n.asc], frame: .rows(.unboundedPreceding, .currentRow)),
                    lag(n, 1, default: 0).over(orderBy: n.asc),
                    lead(n, 2, default: -1).over(orderBy: n.asc),
                    percentRank().over(orderBy: n.asc),
                    cumeDist().over(orderBy: n.asc),
                    from: SeriesNumber.self
                )
                .from(series(from: 1, through: 5))
                .orderBy(n.asc)
            )
            #expect(rows.map(\.0) == [5, 5, 5, 5, 5])
            #expect(rows.map(\.1) == [1, 1, 1, 1, 1])
            #expect(rows.map(\.2) == [nil, 2, 2, 2, 2])
            #expect(rows.map(\.3) == [0, 1, 2, 3, 4])
            #expect(rows.map(\.4) == [3, 4, 5, -1, -1])
            #expect(rows.map(\.5) == [0, 0.25, 0.5, 0.75, 1])
            #expect(rows.map(\.6) == [0.2, 0.4, 0.6, 0.8, 1])
        }
    }

    /// `upper`, `lower` and `ilike` map every letter's case on both backends (SQLite's own
    /// functions change ASCII letters only), also in a unique index on `lower(…)`.
    @Test(arguments: Backend.allCases)
    func caseMappingIsUnicode(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let (upperCased, lowerCased, matches) = try await engine.one(
                select(upper(value("Gonçalves")), lower(value("ÉCOLE Ærø")), value("Ærøskøbing").ilike("ærø%"))
            )
            #expect(upperCased == "GONÇALVES" && lowerCased == "école ærø" && matches)
            #expect(try await engine.one(select(upper(value(String?.none)))) == nil)
            try await engine.execute(SQL(unsafeRaw: "CREATE TABLE mailbox (email TEXT NOT NULL)"))
            try await engine.execute(SQL(unsafeRaw: "CREATE UNIQUE INDEX mailbox_email ON mailbox (lower(email))"))
            try await engine.execute(SQL("INSERT INTO mailbox (email) VALUES (\("Éva@example.com"))"))
            let error = await #expect(throws: DatabaseError.self) {
                try await engine.execute(SQL("INSERT INTO mailbox (email) VALUES (\("éva@EXAMPLE.com"))"))
            }
            #expect(error?.code == .uniqueViolation)
        }
    }

    /// Square roots, powers, exponentials and logarithms in double precision on both backends
    /// (SQLite's driver is built without them; Quarry's connections install them), with a
    /// domain error as `invalidValue` on both; and the standard deviation and variance of a group.
    @Test(arguments: Backend.allCases)
    func floatingPointFunctionsAndSpread(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let (root, power10, one, e, thousand) = try await engine.one(
                select(
                    sqrt(value(Int64(2))),
                    power(value(Int64(2)), 10),
                    exp(value(0.0)),
                    ln(exp(value(1.0))),
                    log10(value(Decimal(1000)))
                )
            )
            #expect(Swift.abs(root - 2.0.squareRoot()) < 1e-12 && power10 == 1024 && one == 1)
            #expect(Swift.abs(e - 1) < 1e-12 && Swift.abs(thousand - 3) < 1e-12)
            #expect(try await engine.one(select(sqrt(value(Double?.none)), power(value(Int64?.none), 2))) == (nil, nil))
            let none = value(Double?.none)
            #expect(try await engine.one(select(exp(none), ln(none), log10(none))) == (nil, nil, nil))
            for invalid in [select(sqrt(value(-1.0))), select(ln(value(0.0))), select(power(value(0.0), -1))] {
                let error = await #expect(throws: DatabaseError.self) { try await engine.one(invalid) }
                #expect(error?.code == .invalidValue, "\(String(describing: error))")
            }
            let n = SeriesNumber.Columns.number
            let (sample, population, sampleVariance, populationVariance) = try await engine.one(
                select(
                    stddev(n),
                    stddev(n, population: true),
                    variance(n),
                    variance(n, population: true),
                    from: SeriesNumber.self
                )
                .from(series(from: 1, through: 5))
            )
            #expect(Swift.abs(sample! - 2.5.squareRoot()) < 1e-12 && Swift.abs(population! - 2.0.squareRoot()) < 1e-12)
            #expect(Swift.abs(sampleVariance! - 2.5) < 1e-12 && Swift.abs(populationVariance! - 2) < 1e-12)
            let (ofOne, ofOnePopulation) = try await engine.one(
                select(stddev(n), stddev(n, population: true), from: SeriesNumber.self).from(
                    series(from: 7, through: 7)
                )
            )
            #expect(ofOne == nil && ofOnePopulation == 0)
        }
    }

    /// `concat("…\(x)…")` is SQL's `CONCAT`: literal text bound, a `NULL` part empty.
    @Test(arguments: Backend.allCases)
    func concatenationSkipsNulls(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let (joined, withNull, literal) = try await engine.one(
                select(
                    concat("\(value("Ada")) #\(value(Int64(7))): \(value("it's"))"),
                    concat("(\(value(String?.none)))"),
                    concat("plain")
                )
            )
            #expect(joined == "Ada #7: it's" && withNull == "()" && literal == "plain")
            #expect(try await engine.one(select(value(String?.none).concat(value("x")))) == nil)
        }
    }

    /// `matches` is PostgreSQL's `~`/`~*` and SQLite's `REGEXP` (which Quarry's connections
    /// define): the same answers for the syntax both read, an invalid pattern `invalidValue`.
    @Test(arguments: Backend.allCases)
    func regularExpressions(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let word = value("Gonçalves 42")
            let (starts, digits, anchored, insensitive, sensitive, shorthand) = try await engine.one(
                select(
                    word.matches("^Gon"),
                    word.matches("[[:digit:]]{2}$"),
                    word.matches("^[a-z]+$"),
                    word.matches("^gonç", caseInsensitive: true),
                    word.matches("^gonç"),
                    word.matches("s \\d+")
                )
            )
            #expect(starts && digits && !anchored && insensitive && !sensitive && shorthand)
            try await engine.createAll(User.self)
            for name in ["Ada", "bob", "Eve", "Zed"] {
                try await engine.execute(insert(User(name: name, email: "\(name)@example.com")))
            }
            let vowels = try await engine.all(
                select(User.Columns.name, from: User.self).where(
                    User.Columns.name.matches("^[aeiou]", caseInsensitive: true)
                )
                .orderBy(User.Columns.name.asc)
            )
            #expect(vowels == ["Ada", "Eve"])
            let error = await #expect(throws: DatabaseError.self) {
                try await engine.one(select(word.matches("(unclosed")))
            }
            #expect(error?.code == .invalidValue, "\(String(describing: error))")
        }
    }

    /// `arrayAgg` over the numbers 1…5: ordered, per group, filtered, distinct, with `NULL`s, over
    /// no rows (`[]` on both: PostgreSQL's `ARRAY_AGG` alone would be `NULL`), and over a window.
    @Test(arguments: Backend.allCases)
    func arraysOfAGroup(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let n = SeriesNumber.Columns.number
            let numbers = series(from: 1, through: 5)
            let (descending, aboveThree, aboveNine, remainders, withNull) = try await engine.one(
                select(
                    arrayAgg(n, orderBy: n.desc),
                    arrayAgg(n, orderBy: n.asc).filter(where: n > 3),
                    arrayAgg(n).filter(where: n > 9),
                    arrayAgg(distinct: n % 3),
                    arrayAgg(nullif(n, 3), orderBy: n.asc),
                    from: SeriesNumber.self
                )
                .from(numbers)
            )
            #expect(descending == [5, 4, 3, 2, 1])
            #expect(aboveThree == [4, 5])
            #expect(aboveNine == [])
            #expect(remainders == [0, 1, 2])
            #expect(withNull == [1, 2, nil, 4, 5])
            #expect(try await engine.one(select(arrayAgg(n), from: SeriesNumber.self).from(numbers).where(n > 9)) == [])

            let byParity = try await engine.all(
                select(n % 2, arrayAgg(n, orderBy: n.desc), from: SeriesNumber.self).from(numbers)
                    .groupBy(n % 2).orderBy((n % 2).asc)
            )
            #expect(byParity.map(\.1) == [[4, 2], [5, 3, 1]])

            // Over a window: the values so far, and of those the ones above 2 ([] before any).
            let running = try await engine.all(
                select(
                    arrayAgg(n).over(orderBy: n.asc),
                    arrayAgg(n).filter(where: n > 2).over(orderBy: n.asc),
                    from: SeriesNumber.self
                )
                .from(numbers)
                .orderBy(n.asc)
            )
            #expect(running.map(\.0) == [[1], [1, 2], [1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5]])
            #expect(running.map(\.1) == [[], [], [3], [3, 4], [3, 4, 5]])

            // An aggregate's own order or DISTINCT has no meaning over a window: refused before
            // either database sees it.
            for windowed in [
                arrayAgg(n, orderBy: n.asc).over(orderBy: n.asc), arrayAgg(distinct: n).over(orderBy: n.asc),
            ] {
                let error = await #expect(throws: CompileError.self) {
                    try await engine.all(select(windowed, from: SeriesNumber.self).from(numbers))
                }
                #expect(error?.code == .invalidValue)
            }
        }
    }

    /// Percentiles over the numbers 1…5 (PostgreSQL's ordered-set aggregates; functions Quarry's
    /// SQLite connections install): interpolated and discrete, `NULL`s skipped, filtered, per
    /// group, over no rows; a fraction outside 0…1 and a window are refused.
    @Test(arguments: Backend.allCases)
    func percentilesOfAGroup(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let n = SeriesNumber.Columns.number
            let numbers = series(from: 1, through: 5)
            let (middle, ninety, lowest, discreteMiddle, highest) = try await engine.one(
                select(
                    median(n),
                    percentileCont(0.9, of: n),
                    percentileDisc(0, of: n),
                    percentileDisc(0.5, of: n),
                    percentileDisc(1, of: n),
                    from: SeriesNumber.self
                )
                .from(numbers)
            )
            #expect(middle == 3 && Swift.abs((ninety ?? 0) - 4.6) < 1e-9)
            #expect(lowest == 1 && discreteMiddle == 3 && highest == 5)
            let (withoutFive, aboveTwo, evenCount, discreteOfFour) = try await engine.one(
                select(
                    median(nullif(n, 5)),
                    median(n).filter(where: n > 2),
                    median(n).filter(where: n < 5),
                    percentileDisc(0.5, of: n).filter(where: n < 5),
                    from: SeriesNumber.self
                )
                .from(numbers)
            )
            #expect(withoutFive == 2.5 && aboveTwo == 4 && evenCount == 2.5 && discreteOfFour == 2)
            let (noMedian, noDisc) = try await engine.one(
                select(median(n), percentileDisc(0.5, of: n), from: SeriesNumber.self).from(numbers).where(n > 9)
            )
            #expect(noMedian == nil && noDisc == nil)
            let byParity = try await engine.all(
                select(n % 2, median(n), from: SeriesNumber.self).from(numbers).groupBy(n % 2).orderBy((n % 2).asc)
            )
            #expect(byParity.map(\.1) == [3, 3])

            for refused in [percentileCont(1.5, of: n), percentileCont(-0.1, of: n), median(n).over(orderBy: n.asc)] {
                let error = await #expect(throws: CompileError.self) {
                    try await engine.all(select(refused, from: SeriesNumber.self).from(numbers))
                }
                #expect(error?.code == .invalidValue)
            }
        }
    }

    /// `boolAnd`/`boolOr` over the numbers 1…5, and over no rows.
    @Test(arguments: Backend.allCases)
    func everyAndSomeRow(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let n = SeriesNumber.Columns.number
            let (allPositive, allAboveTwo, someAboveFour, someAboveFive) = try await engine.one(
                select(boolAnd(n > 0), boolAnd(n > 2), boolOr(n > 4), boolOr(n > 5), from: SeriesNumber.self)
                    .from(series(from: 1, through: 5))
            )
            #expect(allPositive == true && allAboveTwo == false && someAboveFour == true && someAboveFive == false)
            let (noneAll, noneSome) = try await engine.one(
                select(boolAnd(n > 0), boolOr(n > 0), from: SeriesNumber.self)
                    .from(series(from: 1, through: 5)).where(n > 9)
            )
            #expect(noneAll == nil && noneSome == nil)
            let oddEven = try await engine.all(
                select(n % 2, boolAnd(n > 1), from: SeriesNumber.self)
                    .from(series(from: 1, through: 5)).groupBy(n % 2).orderBy((n % 2).asc)
            )
            #expect(oddEven.map(\.1) == [true, false])
        }
    }

    /// `CROSS JOIN` (of two tables, and of a table with itself under an alias) and
    /// `IS [NOT] DISTINCT FROM`, which treat `NULL` as a value.
    @Test(arguments: Backend.allCases)
    func crossJoinsAndDistinctness(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(User.self, Post.self)
            let ada = try await engine.one(insert(User(name: "Ada", email: "ada@example.com")).returning())
            try await engine.execute(insert(User(name: "Bob", email: "bob@example.com")))
            try await engine.execute(insert(Post(userId: ada.id!, title: "Notes")))
            let pairs = try await engine.all(
                select(User.Columns.name, Post.Columns.title, from: User.self).crossJoin(Post.self)
                    .orderBy(User.Columns.name.asc)
            )
            #expect(pairs.map { "\($0.0)/\($0.1)" } == ["Ada/Notes", "Bob/Notes"])
            let other = TableAlias(User.self, "other")
            let couples = try await engine.all(
                select(User.Columns.name, other[\.name], from: User.self).crossJoin(other)
                    .where(User.Columns.id < other[\.id])
            )
            #expect(couples.map { "\($0.0)+\($0.1)" } == ["Ada+Bob"])
            #expect(
                try await engine.scalar(
                    select(count(), from: User.self).where(User.Columns.name.isDistinct(from: "Ada"))
                )
                    == 1
            )
            let none = value(Int64?.none)
            let (nullsDiffer, nullsSame, valueDiffers, equal) = try await engine.one(
                select(
                    none.isDistinct(from: none),
                    none.isNotDistinct(from: none),
                    value(Int64?(1)).isDistinct(from: none),
                    value(Int64(2)).isNotDistinct(from: 2)
                )
            )
            #expect(!nullsDiffer && nullsSame && valueDiffers && equal)
        }
    }

    /// `SUM`/`AVG` of distinct values, and `COALESCE` of three optional expressions.
    @Test(arguments: Backend.allCases)
    func distinctAggregatesAndLongerCoalesce(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let n = SeriesNumber.Columns.number
            // 1…6 halved (integer division): 0, 1, 1, 2, 2, 3.
            let (all, distinct, average) = try await engine.one(
                select(sum(n / 2), sum(n / 2, distinct: true), avg(n / 2, distinct: true), from: SeriesNumber.self)
                    .from(series(from: 1, through: 6))
            )
            #expect(all == 9 && distinct == 6 && average == 1.5)
            let none = value(String?.none)
            let (second, third, nothing) = try await engine.one(
                select(
                    coalesce(none, value(String?("b")), value(String?("c"))),
                    coalesce(none, none, value(String?("c")), value(String?("d"))),
                    coalesce(none, none, none)
                )
            )
            #expect(second == "b" && third == "c" && nothing == nil)
        }
    }

    @Test func sqliteSpellingsNeedNoMathFunctions() throws {
        let compiled = try select(ceil(value(2.5)), greatest(value(Int64?(1)), value(Int64?(2)))).compile(for: .sqlite)
        #expect(
            compiled.sql
                == "SELECT (CAST(? AS INTEGER) + (? > CAST(? AS INTEGER))), MAX(COALESCE(?, ?), COALESCE(?, ?))"
        )
        let postgres = try select(ceil(value(2.5)), position(of: "a", in: value("b"))).compile(for: .postgresql)
        #expect(postgres.sql == "SELECT CEIL($1), STRPOS($2, $3)")
    }
}
