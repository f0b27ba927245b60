/// The untyped syntax tree of an SQL expression. ``SQLExpression`` is its typed face; dialects
/// render it in ``SQLBuilder``.
public indirect enum SQLNode: Sendable {
    /// A column, qualified by its table when `table` is set.
    case column(table: String?, name: String)
    /// A bound value: always a placeholder in the SQL text.
    case bind(DatabaseValue)
    /// SQL text trusted verbatim: only reachable through `unsafeRaw` spellings.
    case unsafeRaw(String)
    /// A raw fragment whose interpolations are bound.
    case fragment(SQL)
    /// `*` or `"table".*`.
    case star(table: String?)
    /// `lhs op rhs`.
    case binary(SQLNode, BinaryOperator, SQLNode)
    /// `NOT x`.
    case not(SQLNode)
    /// `-x`.
    case negate(SQLNode)
    /// `x IS [NOT] NULL`.
    case isNull(SQLNode, negated: Bool)
    /// `x [NOT] IN (…)`; an empty list is always false (`IN`) or true (`NOT IN`).
    case inList(SQLNode, [SQLNode], negated: Bool)
    /// `(a, b)`: a row value, to compare composite keys (`(a, b) IN ((1, 2), …)`).
    case row([SQLNode])
    /// `x [NOT] IN (SELECT …)`.
    case inSubquery(SQLNode, SelectCore, negated: Bool)
    /// `[NOT] EXISTS (SELECT …)`.
    case exists(SelectCore, negated: Bool)
    /// `x op ALL (SELECT …)` or `x op ANY (SELECT …)` (see ``SubqueryComparison``).
    case quantified(SQLNode, BinaryOperator, SelectCore, all: Bool)
    /// `(SELECT …)` used as a value.
    case subquery(SelectCore)
    /// `x BETWEEN low AND high`.
    case between(SQLNode, SQLNode, SQLNode)
    /// `x [NOT] LIKE pattern`, case-insensitive when asked (`ILIKE` on PostgreSQL).
    case like(SQLNode, SQLNode, caseInsensitive: Bool, negated: Bool)
    /// `name(args)`, `name(DISTINCT args)`.
    case function(String, [SQLNode], distinct: Bool)
    /// An aggregate whose input is sorted: `STRING_AGG(x, sep ORDER BY …)`.
    case orderedAggregate(String, [SQLNode], orderBy: [Ordering])
    /// An aggregate over the rows that meet a condition: `COUNT(*) FILTER (WHERE …)`.
    case filtered(SQLNode, where: SQLNode)
    /// `COUNT(*)`.
    case countAll
    /// `x AS "alias"`.
    case alias(SQLNode, String)
    /// `CAST(x AS type)`, the type written in the dialect's own spelling.
    case cast(SQLNode, ColumnType)
    /// `CASE WHEN c1 THEN v1 … [ELSE e] END`
    case caseWhen([CaseBranch], otherwise: SQLNode?)
    /// `f(…) OVER (PARTITION BY … ORDER BY …)`
    case window(SQLNode, partitionBy: [SQLNode], orderBy: [Ordering], frame: WindowFrame? = nil)
    /// A part of a date as an integer, or a date truncated to a unit, in the dialect's spelling.
    case datePart(DateUnit, SQLNode, truncate: Bool)
    /// Date and time arithmetic (`NOW()`, `x + interval`, `a - b`) in the dialect's spelling.
    case dateArithmetic(DateArithmetic)
    /// A function each dialect spells its own way (`GREATEST`, `STRPOS`, `CEIL`, …).
    case portable(PortableFunction)
    /// A mistake found while building (an unknown key path); compiling it throws.
    case invalid(String)
}

/// A binary SQL operator.
public struct BinaryOperator: Sendable, Hashable {
    let sql: String
    let precedence: Int

    static let or = BinaryOperator(sql: "OR", precedence: 1)
    static let and = BinaryOperator(sql: "AND", precedence: 2)
    static let equal = BinaryOperator(sql: "=", precedence: 4)
    static let notEqual = BinaryOperator(sql: "<>", precedence: 4)
    static let less = BinaryOperator(sql: "<", precedence: 4)
    static let lessOrEqual = BinaryOperator(sql: "<=", precedence: 4)
    static let greater = BinaryOperator(sql: ">", precedence: 4)
    static let greaterOrEqual = BinaryOperator(sql: ">=", precedence: 4)
    static let isDistinctFrom = BinaryOperator(sql: "IS DISTINCT FROM", precedence: 4)
    static let isNotDistinctFrom = BinaryOperator(sql: "IS NOT DISTINCT FROM", precedence: 4)
    static let concat = BinaryOperator(sql: "||", precedence: 5)
    static let plus = BinaryOperator(sql: "+", precedence: 6)
    static let minus = BinaryOperator(sql: "-", precedence: 6)
    static let multiply = BinaryOperator(sql: "*", precedence: 7)
    static let divide = BinaryOperator(sql: "/", precedence: 7)
    static let modulo = BinaryOperator(sql: "%", precedence: 7)
}

extension SQLNode {
    /// A bound count or offset as PostgreSQL's functions take it (an `int4`: a bound integer is an
    /// `int8`, which `ROUND`, `SUBSTR`, `LAG` and the like do not accept).
    static func int32Argument(_ n: Int) -> SQLNode { .cast(.bind(.integer(Int64(n))), .integer32) }

    /// This expression with its columns' table names removed, for DDL conditions (`CHECK`, the
    /// `WHERE` of a partial index), where only the table's own columns exist. Subqueries are
    /// left as they are.
    var unqualified: SQLNode { self.requalified { _ in nil } }

    /// This expression with the columns of table `name` qualified by `alias` instead: a
    /// relation's condition on a table joined to itself. Subqueries are left as they are.
    package func realiased(_ name: String, as alias: String) -> SQLNode {
        self.requalified { $0 == name ? alias : $0 }
    }

    /// This expression with each column's table name replaced by `table(name)`.
    func requalified(_ table: (String?) -> String?) -> SQLNode {
        func map(_ node: SQLNode) -> SQLNode { node.requalified(table) }
        return switch self {
        case .column(let qualifier, let name): .column(table: table(qualifier), name: name)
        case .binary(let lhs, let op, let rhs): .binary(map(lhs), op, map(rhs))
        case .not(let x): .not(map(x))
        case .negate(let x): .negate(map(x))
        case .isNull(let x, let negated): .isNull(map(x), negated: negated)
        case .inList(let x, let list, let negated): .inList(map(x), list.map(map), negated: negated)
        case .row(let items): .row(items.map(map))
        case .between(let x, let low, let high): .between(map(x), map(low), map(high))
        case .like(let x, let pattern, let insensitive, let negated):
            .like(map(x), map(pattern), caseInsensitive: insensitive, negated: negated)
        case .function(let name, let arguments, let distinct): .function(name, arguments.map(map), distinct: distinct)
        case .orderedAggregate(let name, let arguments, let order):
            .orderedAggregate(
                name,
                arguments.map(map),
                orderBy: order.map { $0.requalified(table) }
            )
        case .filtered(let aggregate, let condition): .filtered(map(aggregate), where: map(condition))
        case .alias(let x, let name): .alias(map(x), name)
        case .cast(let x, let type): .cast(map(x), type)
        case .caseWhen(let branches, let otherwise):
            .caseWhen(
                branches.map { CaseBranch(condition: map($0.condition), result: map($0.result)) },
                otherwise: otherwise.map(map)
            )
        case .datePart(let unit, let x, let truncate): .datePart(unit, map(x), truncate: truncate)
        case .dateArithmetic(let arithmetic): .dateArithmetic(arithmetic.requalified(table))
        case .portable(let function): .portable(function.requalified(table))
        case .quantified(let x, let op, let core, let all): .quantified(map(x), op, core, all: all)
        case .window(let function, let partition, let order, let frame):
            .window(
                map(function),
                partitionBy: partition.map(map),
                orderBy: order.map { $0.requalified(table) },
                frame: frame
            )
        case .bind, .unsafeRaw, .fragment, .star, .inSubquery, .exists, .subquery, .countAll, .invalid: self
        }
    }
}

/// One `WHEN condition THEN result` of a `CASE`.
public struct CaseBranch: Sendable {
    let condition: SQLNode
    let result: SQLNode
}
