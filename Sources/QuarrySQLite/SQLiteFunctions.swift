import Foundation
import SQLiteNIO
import Synchronization

/// Functions each Quarry SQLite connection installs, so that SQLite answers as PostgreSQL does:
///
/// - `upper()` and `lower()` (and so `ilike`) with Unicode case mapping: SQLite's own change ASCII
///   letters only (`upper('gonçalves')` is `GONçALVES`). They stay deterministic and usable in
///   the schema (an index on `lower(email)`); a database written by another SQLite client keeps
///   that client's ASCII-only values in such an index.
/// - `sqrt`, `power`, `exp`, `ln`, `log10`, which the driver's SQLite is built without, with
///   PostgreSQL's errors for arguments outside their domain (`sqrt(-1)`, `ln(0)`).
/// - the aggregates `stddev_samp`, `stddev_pop`, `var_samp` and `var_pop`, and
///   `quarry_percentile_cont(x, fraction)` / `quarry_percentile_disc(x, fraction)`, PostgreSQL's
///   `PERCENTILE_CONT(fraction) WITHIN GROUP (ORDER BY x)` and `PERCENTILE_DISC`.
/// - `regexp`, which SQLite's `REGEXP` operator calls and has no definition of its own.
enum SQLiteFunctions {
    static let all: [SQLiteCustomFunction] = [
        Self.text("upper") { $0.uppercased() },
        Self.text("lower") { $0.lowercased() },
        Self.math("sqrt") { x in
            guard x >= 0 else { throw DomainError.negativeSquareRoot }
            return x.squareRoot()
        },
        Self.math("exp") { Foundation.exp($0) },
        Self.math("ln") { try Self.logarithm($0, Foundation.log) },
        Self.math("log10") { try Self.logarithm($0, Foundation.log10) },
        SQLiteCustomFunction("power", argumentCount: 2, pure: true, indirect: true) { arguments in
            guard let x = Self.number(arguments[0]), let y = Self.number(arguments[1]) else { return nil }
            if x == 0 && y < 0 { throw DomainError.zeroToNegativePower }
            if x < 0 && y.rounded() != y { throw DomainError.complexPower }
            return try Self.finite(Foundation.pow(x, y))
        },
        Self.spread("stddev_samp", SampleDeviation.self),
        Self.spread("stddev_pop", PopulationDeviation.self),
        Self.spread("var_samp", SampleVariance.self),
        Self.spread("var_pop", PopulationVariance.self),
        SQLiteCustomFunction(
            "quarry_percentile_cont",
            argumentCount: 2,
            pure: true,
            indirect: true,
            aggregate: Percentile<Interpolated>.self
        ),
        SQLiteCustomFunction(
            "quarry_percentile_disc",
            argumentCount: 2,
            pure: true,
            indirect: true,
            aggregate: Percentile<Discrete>.self
        ),
    ]

    /// What each connection installs: ``all``, and a `regexp` (SQLite's `REGEXP` operator) with
    /// its own cache of compiled patterns.
    static func forConnection() -> [SQLiteCustomFunction] {
        Self.all + [Self.regularExpression()]
    }

    /// `regexp(pattern, text)`: whether `text` contains a match of `pattern` (Swift `Regex`
    /// syntax); `NULL` when either is. Up to 64 patterns stay compiled; the cache starts over when
    /// it is full.
    static func regularExpression() -> SQLiteCustomFunction {
        let compiled = Mutex<[String: Regex<AnyRegexOutput>]>([:])
        return SQLiteCustomFunction("regexp", argumentCount: 2, pure: true, indirect: true) { arguments in
            guard let pattern = Self.text(arguments[0]), let text = Self.text(arguments[1]) else { return nil }
            let regex = try compiled.withLock { cache in
                if let regex = cache[pattern] { return regex }
                guard let regex = try? Regex(pattern) else { throw DomainError.invalidRegularExpression }
                if cache.count >= 64 { cache.removeAll() }
                cache[pattern] = regex
                return regex
            }
            return (try? regex.firstMatch(in: text)) != nil
        }
    }

    /// An argument outside a function's domain, with PostgreSQL's message for it.
    enum DomainError: String, Error, CustomStringConvertible, CaseIterable {
        case negativeSquareRoot = "cannot take square root of a negative number"
        case logarithmOfZero = "cannot take logarithm of zero"
        case logarithmOfNegative = "cannot take logarithm of a negative number"
        case zeroToNegativePower = "zero raised to a negative power is undefined"
        case complexPower = "a negative number raised to a non-integer power yields a complex result"
        case overflow = "value out of range: overflow"
        case invalidRegularExpression = "invalid regular expression"
        case percentileOutOfRange = "percentile value is not between 0 and 1"

        var description: String { self.rawValue }
    }

    /// Whether an SQLite error message is one of ``DomainError``'s.
    static func isDomainError(_ message: String) -> Bool {
        DomainError.allCases.contains { $0.rawValue == message }
    }

    private static func text(
        _ name: String,
        _ transform: @escaping @Sendable (String) -> String
    ) -> SQLiteCustomFunction {
        SQLiteCustomFunction(name, argumentCount: 1, pure: true, indirect: true) { arguments in
            Self.text(arguments[0]).map(transform)
        }
    }

    /// A text argument; `nil` for NULL. As SQLite's own functions read them, bytes are UTF-8 text
    /// and numbers their text.
    static func text(_ value: SQLiteData) -> String? {
        switch value {
        case .text(let text): text
        case .null: nil
        case .blob(let bytes): String(decoding: bytes.readableBytesView, as: UTF8.self)
        case .integer(let integer): String(integer)
        case .float(let double): String(double)
        }
    }

    private static func math(
        _ name: String,
        _ body: @escaping @Sendable (Double) throws -> Double
    ) -> SQLiteCustomFunction {
        SQLiteCustomFunction(name, argumentCount: 1, pure: true, indirect: true) { arguments in
            try Self.number(arguments[0]).map { try Self.finite(body($0)) }
        }
    }

    /// A variance or standard deviation aggregate (``Spread``) giving `measure`.
    private static func spread<Measure: SpreadMeasure>(
        _ name: String,
        _ measure: Measure.Type
    ) -> SQLiteCustomFunction {
        SQLiteCustomFunction(name, argumentCount: 1, pure: true, indirect: true, aggregate: Spread<Measure>.self)
    }

    private static func logarithm(_ x: Double, _ log: (Double) -> Double) throws -> Double {
        if x == 0 { throw DomainError.logarithmOfZero }
        if x < 0 { throw DomainError.logarithmOfNegative }
        return log(x)
    }

    private static func finite(_ x: Double) throws -> Double {
        guard x.isFinite else { throw DomainError.overflow }
        return x
    }

    /// A numeric argument (Quarry casts them to REAL); `nil` for NULL.
    static func number(_ value: SQLiteData) -> Double? {
        switch value {
        case .float(let double): double
        case .integer(let integer): Double(integer)
        case .null: nil
        case .text(let text): Double(text) ?? 0
        case .blob: 0
        }
    }
}

/// What a ``Spread`` aggregate gives from the running moments.
protocol SpreadMeasure: Sendable {
    static func result(count: Double, squaredDeviations: Double) -> Double?
}

enum SampleVariance: SpreadMeasure {
    static func result(count: Double, squaredDeviations: Double) -> Double? {
        count > 1 ? squaredDeviations / (count - 1) : nil
    }
}

enum PopulationVariance: SpreadMeasure {
    static func result(count: Double, squaredDeviations: Double) -> Double? {
        count > 0 ? squaredDeviations / count : nil
    }
}

enum SampleDeviation: SpreadMeasure {
    static func result(count: Double, squaredDeviations: Double) -> Double? {
        SampleVariance.result(count: count, squaredDeviations: squaredDeviations)?.squareRoot()
    }
}

enum PopulationDeviation: SpreadMeasure {
    static func result(count: Double, squaredDeviations: Double) -> Double? {
        PopulationVariance.result(count: count, squaredDeviations: squaredDeviations)?.squareRoot()
    }
}

/// Variance and standard deviation over a group, by Welford's running mean and sum of squared
/// deviations (stable where summing squares would cancel); `NULL`s are skipped.
struct Spread<Measure: SpreadMeasure>: SQLiteCustomAggregate {
    var count = 0.0
    var mean = 0.0
    var squaredDeviations = 0.0

    mutating func step(_ values: [SQLiteData]) throws {
        guard let x = SQLiteFunctions.number(values[0]) else { return }
        self.count += 1
        let delta = x - self.mean
        self.mean += delta / self.count
        self.squaredDeviations += delta * (x - self.mean)
    }

    func finalize() throws -> (any SQLiteDataConvertible)? {
        Measure.result(count: self.count, squaredDeviations: self.squaredDeviations)
    }
}

/// How a ``Percentile`` aggregate picks its answer from the group's sorted values.
protocol PercentileRule: Sendable {
    static func result(_ sorted: [Percentile<Self>.Value], at fraction: Double) -> any SQLiteDataConvertible
}

/// `PERCENTILE_CONT`: the value `fraction` of the way from the first to the last, interpolated
/// linearly between the two nearest (PostgreSQL's definition).
enum Interpolated: PercentileRule {
    static func result(_ sorted: [Percentile<Self>.Value], at fraction: Double) -> any SQLiteDataConvertible {
        let position = fraction * Double(sorted.count - 1)
        let lower = sorted[Int(position.rounded(.down))].number
        let upper = sorted[Int(position.rounded(.up))].number
        return lower + (upper - lower) * (position - position.rounded(.down))
    }
}

/// `PERCENTILE_DISC`: the first value whose position reaches `fraction` of the count, as stored
/// (an integer stays an integer).
enum Discrete: PercentileRule {
    static func result(_ sorted: [Percentile<Self>.Value], at fraction: Double) -> any SQLiteDataConvertible {
        let chosen = sorted[Swift.max(Int((fraction * Double(sorted.count)).rounded(.up)), 1) - 1]
        return chosen.integer.map { $0 as any SQLiteDataConvertible } ?? chosen.number
    }
}

/// A percentile of a group's numbers (`NULL`s skipped, `NULL` over none): every value is kept
/// and sorted once at the end, as PostgreSQL's ordered-set aggregates do. The fraction is the
/// second argument, the same on every row (Quarry binds it once); outside 0…1 it is an error.
struct Percentile<Rule: PercentileRule>: SQLiteCustomAggregate {
    struct Value: Sendable {
        var number: Double
        /// The stored integer, when the value is one.
        var integer: Int64?
    }

    var values: [Value] = []
    var fraction = 0.0

    mutating func step(_ arguments: [SQLiteData]) throws {
        if let fraction = SQLiteFunctions.number(arguments[1]) { self.fraction = fraction }
        guard let number = SQLiteFunctions.number(arguments[0]) else { return }
        if case .integer(let integer) = arguments[0] {
            self.values.append(Value(number: number, integer: Int64(integer)))
        } else {
            self.values.append(Value(number: number, integer: nil))
        }
    }

    func finalize() throws -> (any SQLiteDataConvertible)? {
        guard (0...1).contains(self.fraction) else { throw SQLiteFunctions.DomainError.percentileOutOfRange }
        guard !self.values.isEmpty else { return nil }
        return Rule.result(self.values.sorted { $0.number < $1.number }, at: self.fraction)
    }
}
