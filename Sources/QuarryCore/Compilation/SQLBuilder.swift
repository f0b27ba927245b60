import Foundation

/// Accumulates SQL text and bound values for one statement, rendering expressions in a dialect.
///
/// Statements call it from ``Statement/compile(into:)``; users rarely need it directly.
///
/// ```swift
/// var builder = SQLBuilder(dialect: .postgresql)
/// builder.append("SELECT ")
/// builder.appendBind(.integer(1))
/// builder.finish().sql   // "SELECT $1"
/// ```
public struct SQLBuilder: Sendable {
    /// The dialect being rendered.
    public let dialect: Dialect
    /// The SQL text so far.
    public private(set) var sql: String = ""
    /// The values bound so far.
    public private(set) var binds: [DatabaseValue] = []
    /// Names of ``ColumnOption/sensitive`` columns of the tables this statement touches: a value
    /// compared with one of them (`email = $1`, `email IN (…)`, `email LIKE …`) is marked
    /// sensitive, so logs and errors show `<redacted>` in its place.
    public var sensitiveColumns: Set<String> = []
    /// The positions (0-based) of the binds that must not be logged.
    public private(set) var sensitiveBindIndexes: Set<Int> = []
    private var redacting = false
    /// Set when a value no database stores was bound (a NaN `Decimal`); compiling then throws.
    var hasUnstorableValue = false
    /// Values are written as SQL literals instead of bound (for DDL conditions).
    private var inlinesValues = false
    /// When set (a `SELECT DISTINCT` on PostgreSQL), each distinct value is bound once: the
    /// placeholder number of each value bound so far.
    var reusableBinds: [DatabaseValue: Int]?

    /// Renders `node` with its values written as literals, for DDL, which takes no bound values.
    mutating func appendInlined(_ node: SQLNode) throws {
        self.inlinesValues = true
        defer { self.inlinesValues = false }
        try self.append(node)
    }

    /// Creates an empty builder.
    public init(dialect: Dialect) {
        self.dialect = dialect
        self.sql.reserveCapacity(128)
    }

    /// Appends trusted SQL text.
    public mutating func append(_ text: String) { self.sql += text }

    /// Appends a placeholder and binds `value` to it; a `sensitive` value is never logged.
    public mutating func appendBind(_ value: DatabaseValue, sensitive: Bool = false) {
        if self.inlinesValues {
            // DDL (CHECK, partial indexes) takes no parameters: the value is written as a literal.
            self.sql += self.dialect.literal(value)
            return
        }
        if value.isUnstorable { self.hasUnstorableValue = true }
        if let reused = self.reusableBinds?[value], self.dialect == .postgresql {
            // The same value again gets the same placeholder, so an expression repeated in
            // ORDER BY is the select list's expression to PostgreSQL (SELECT DISTINCT needs that).
            if sensitive || self.redacting { self.sensitiveBindIndexes.insert(reused - 1) }
            self.sql += self.dialect.placeholder(reused)
            return
        }
        self.binds.append(value)
        if self.reusableBinds != nil { self.reusableBinds?[value] = self.binds.count }
        if sensitive || self.redacting { self.sensitiveBindIndexes.insert(self.binds.count - 1) }
        self.sql += self.dialect.placeholder(self.binds.count)
    }

    /// Throws `CompileError.unsupportedByDialect` with `message` (what to write instead) unless
    /// the statement is being compiled for PostgreSQL.
    func requirePostgreSQL(_ message: @autoclosure () -> String) throws {
        guard self.dialect == .postgresql else { throw CompileError(.unsupportedByDialect, message()) }
    }

    /// Renders `node`, marking every value bound inside it sensitive when `redacted`.
    public mutating func append(_ node: SQLNode, redacted: Bool) throws {
        try self.redactingBinds(redacted) { try $0.append(node) }
    }

    /// Whether `node` is a column declared sensitive.
    private func isSensitiveColumn(_ node: SQLNode) -> Bool {
        guard !self.sensitiveColumns.isEmpty, case .column(_, let name) = node else { return false }
        return self.sensitiveColumns.contains(name)
    }

    /// Runs `body` with every value it binds marked sensitive when `redacted` (or already inside
    /// a redacted part).
    private mutating func redactingBinds(_ redacted: Bool, _ body: (inout SQLBuilder) throws -> Void) rethrows {
        let outer = self.redacting
        self.redacting = outer || redacted
        defer { self.redacting = outer }
        try body(&self)
    }

    /// Runs `body` with binds marked sensitive when `node` or `other` is a sensitive column.
    private mutating func redactingBinds(
        when node: SQLNode,
        or other: SQLNode? = nil,
        _ body: (inout SQLBuilder) throws -> Void
    ) rethrows {
        try self.redactingBinds(self.isSensitiveColumn(node) || other.map(self.isSensitiveColumn) == true, body)
    }

    /// Appends a quoted identifier.
    public mutating func appendIdentifier(_ name: String) { Dialect.appendQuoted(name, to: &self.sql) }

    /// Appends a table name, schema-qualified when `schema` is set: `"cd"."members"`.
    public mutating func appendTable(_ name: String, schema: String?) {
        if let schema {
            Dialect.appendQuoted(schema, to: &self.sql)
            self.sql += "."
        }
        Dialect.appendQuoted(name, to: &self.sql)
    }

    /// Appends `"table"."column"` or `"column"`.
    mutating func appendColumn(table: String?, name: String) {
        if let table {
            self.appendIdentifier(table)
            self.sql += "."
        }
        self.appendIdentifier(name)
    }

    /// Appends `items` separated by `", "`.
    mutating func appendList<T>(_ items: [T], _ appendOne: (inout SQLBuilder, T) throws -> Void) rethrows {
        for (i, item) in items.enumerated() {
            if i > 0 { self.sql += ", " }
            try appendOne(&self, item)
        }
    }

    /// Appends SQLite's `CAST(STRFTIME('format', node) AS INTEGER)`: one field of a date as a number.
    private mutating func appendSQLiteField(_ format: String, of node: SQLNode) throws {
        self.sql += "CAST(STRFTIME('\(format)', "
        try self.append(node)
        self.sql += ") AS INTEGER)"
    }

    /// The finished statement.
    /// - Returns: the SQL text and its binds.
    public func finish() -> CompiledStatement {
        var statement = CompiledStatement(sql: self.sql, binds: self.binds)
        statement.sensitiveBindIndexes = self.sensitiveBindIndexes
        return statement
    }

    /// Renders an expression.
    /// - Throws: ``CompileError`` for an invalid expression (such as an unknown key path).
    public mutating func append(_ node: SQLNode) throws {
        try self.append(node, parentPrecedence: 0)
    }

    private mutating func append(_ node: SQLNode, parentPrecedence: Int) throws {
        switch node {
        case .column(let table, let name):
            self.appendColumn(table: table, name: name)
        case .bind(let value):
            self.appendBind(value)
        case .unsafeRaw(let text):
            self.sql += text
        case .fragment(let fragment):
            try fragment.compile(into: &self)
        case .star(let table):
            if let table {
                self.appendIdentifier(table)
                self.sql += ".*"
            } else {
                self.sql += "*"
            }
        case .binary(let lhs, let op, let rhs):
            let needsParens =
                op.precedence < parentPrecedence || (op.precedence == parentPrecedence && op.precedence >= 4)
            if needsParens { self.sql += "(" }
            try self.redactingBinds(when: lhs, or: rhs) { b in
                try b.append(lhs, parentPrecedence: op.precedence)
                b.sql += " \(op.sql) "
                // Right operands bind tighter so `a - (b - c)` keeps its parentheses.
                try b.append(rhs, parentPrecedence: op.precedence + (op.precedence >= 6 ? 1 : 0))
            }
            if needsParens { self.sql += ")" }
        case .not(let inner):
            self.sql += "NOT ("
            try self.append(inner)
            self.sql += ")"
        case .negate(let inner):
            self.sql += "-("
            try self.append(inner)
            self.sql += ")"
        case .isNull(let inner, let negated):
            try self.append(inner, parentPrecedence: 8)
            self.sql += negated ? " IS NOT NULL" : " IS NULL"
        case .inList(let inner, let items, let negated):
            if items.isEmpty {
                // `x IN ()` is not SQL: an empty list matches nothing, its negation everything.
                self.sql += negated ? "1 = 1" : "1 = 0"
                return
            }
            try self.append(inner, parentPrecedence: 8)
            self.sql += negated ? " NOT IN (" : " IN ("
            try self.redactingBinds(when: inner) { b in try b.appendList(items) { try $0.append($1) } }
            self.sql += ")"
        case .row(let items):
            self.sql += "("
            try self.appendList(items) { try $0.append($1) }
            self.sql += ")"
        case .inSubquery(let inner, let core, let negated):
            try self.redactingBinds(core.selectsSensitiveColumn) { b in try b.append(inner, parentPrecedence: 8) }
            self.sql += negated ? " NOT IN (" : " IN ("
            try core.compile(into: &self)
            self.sql += ")"
        case .exists(let core, let negated):
            self.sql += negated ? "NOT EXISTS (" : "EXISTS ("
            try core.compile(into: &self)
            self.sql += ")"
        case .subquery(let core):
            self.sql += "("
            try core.compile(into: &self)
            self.sql += ")"
        case .quantified(let inner, let op, let core, let all):
            try self.appendQuantified(inner, op, core, all: all)
        case .between(let inner, let low, let high):
            if parentPrecedence >= 4 { self.sql += "(" }
            try self.append(inner, parentPrecedence: 8)
            try self.redactingBinds(when: inner) { b in
                b.sql += " BETWEEN "
                try b.append(low, parentPrecedence: 8)
                b.sql += " AND "
                try b.append(high, parentPrecedence: 8)
            }
            if parentPrecedence >= 4 { self.sql += ")" }
        case .like(let inner, let pattern, let caseInsensitive, let negated):
            let not = negated ? " NOT" : ""
            try self.redactingBinds(when: inner) { b in
                if caseInsensitive && b.dialect == .sqlite {
                    b.sql += "LOWER("
                    try b.append(inner)
                    b.sql += ")\(not) LIKE LOWER("
                    try b.append(pattern)
                    b.sql += ")"
                } else {
                    try b.append(inner, parentPrecedence: 8)
                    b.sql += caseInsensitive ? "\(not) ILIKE " : "\(not) LIKE "
                    try b.append(pattern, parentPrecedence: 8)
                }
            }
        case .function(let name, let args, let distinct):
            // Names come from Quarry or from `function(_:…)`: a name is written as it is, so it
            // must be one (letters, digits, `_`, and `.` for a schema), never text to splice.
            guard Self.isFunctionName(name) else {
                throw CompileError(
                    .invalidValue,
                    "'\(name)' is not an SQL function name (letters, digits, _ and . only)"
                )
            }
            self.sql += name
            self.sql += distinct ? "(DISTINCT " : "("
            try self.appendList(args) { try $0.append($1) }
            self.sql += ")"
        case .countAll:
            self.sql += "COUNT(*)"
        case .alias(let inner, let alias):
            try self.append(inner)
            self.sql += " AS "
            self.appendIdentifier(alias)
        case .cast(let inner, let type):
            self.sql += "CAST("
            try self.append(inner)
            self.sql += " AS \(self.dialect.typeName(for: type)))"
        case .caseWhen(let branches, let otherwise):
            self.sql += "CASE"
            for branch in branches {
                self.sql += " WHEN "
                try self.append(branch.condition)
                self.sql += " THEN "
                try self.append(branch.result)
            }
            if let otherwise {
                self.sql += " ELSE "
                try self.append(otherwise)
            }
            self.sql += " END"
        case .datePart(let unit, let inner, let truncate):
            if truncate, !unit.truncates {
                throw CompileError(.invalidValue, "a timestamp cannot be truncated to \(unit); extract it instead")
            }
            switch (self.dialect == .postgresql, truncate) {
            case (true, false) where unit == .second || unit == .epoch:
                // Fractional on PostgreSQL: whole seconds, as SQLite's strftime gives them.
                self.sql += "CAST(FLOOR(EXTRACT(\(unit.rawValue.uppercased()) FROM "
                try self.append(inner)
                self.sql += ")) AS BIGINT)"
            case (true, false):
                self.sql += "CAST(EXTRACT(\(unit.rawValue.uppercased()) FROM "
                try self.append(inner)
                self.sql += ") AS INTEGER)"
            case (true, true):
                self.sql += "DATE_TRUNC('\(unit.rawValue)', "
                try self.append(inner)
                self.sql += ")"
            case (false, false) where unit == .quarter:
                self.sql += "(("
                try self.appendSQLiteField("%m", of: inner)
                self.sql += " + 2) / 3)"
            case (false, false):
                try self.appendSQLiteField(unit.sqliteFormat, of: inner)
            case (false, true) where unit == .week:
                // The Monday on or before the day.
                self.sql += "STRFTIME('\(unit.sqliteTruncation)', "
                try self.append(inner)
                self.sql += ", '-6 days', 'weekday 1')"
            case (false, true) where unit == .quarter:
                // The first day of the month that starts the quarter: the month minus (month - 1) % 3.
                self.sql += "STRFTIME('\(unit.sqliteTruncation)', "
                try self.append(inner)
                self.sql += ", 'start of month', '-' || (("
                try self.appendSQLiteField("%m", of: inner)
                self.sql += " - 1) % 3) || ' months')"
            case (false, true):
                self.sql += "STRFTIME('\(unit.sqliteTruncation)', "
                try self.append(inner)
                self.sql += ")"
            }
        case .filtered:
            try self.appendAggregate(node) { _ in }
        case .orderedAggregate(let name, let args, let order):
            // Quarry's own names only.
            self.sql += name + "("
            try self.appendList(args) { try $0.append($1) }
            if !order.isEmpty {
                self.sql += " ORDER BY "
                try self.appendList(order) { try $0.append($1) }
            }
            self.sql += ")"
        case .window(let function, let partition, let order, let frame):
            if Self.sortsItsInput(function) {
                // Neither backend has it ("aggregate ORDER BY is not implemented for window
                // functions", "DISTINCT is not implemented for window functions").
                throw CompileError(
                    .invalidValue,
                    "an aggregate over a window cannot take distinct or an orderBy of its own: it reads the rows in the window's order (.over(orderBy: …))"
                )
            }
            try self.appendAggregate(function) { builder in
                builder.sql += " OVER ("
                if !partition.isEmpty {
                    builder.sql += "PARTITION BY "
                    try builder.appendList(partition) { try $0.append($1) }
                }
                if !order.isEmpty {
                    builder.sql += partition.isEmpty ? "ORDER BY " : " ORDER BY "
                    try builder.appendList(order) { try $0.append($1) }
                }
                if let frame {
                    builder.sql += partition.isEmpty && order.isEmpty ? frame.sql : " " + frame.sql
                }
                builder.sql += ")"
            }
        case .dateArithmetic(let arithmetic):
            try arithmetic.render(into: &self)
        case .portable(let function):
            try function.render(into: &self)
        case .invalid(let message):
            throw CompileError(.unknownColumn, message)
        }
    }

    /// Renders `aggregate`, then `clause` (its `FILTER` or `OVER`) right after the aggregate call,
    /// which a portable aggregate may wrap (see ``PortableFunction/renderAggregate(into:then:)``).
    private mutating func appendAggregate(
        _ aggregate: SQLNode,
        then clause: (inout SQLBuilder) throws -> Void
    ) throws {
        switch aggregate {
        case .portable(let function):
            try function.renderAggregate(into: &self, then: clause)
        case .filtered(let inner, let condition):
            try self.appendAggregate(inner) { builder in
                builder.sql += " FILTER (WHERE "
                try builder.append(condition)
                builder.sql += ")"
                try clause(&builder)
            }
        default:
            try self.append(aggregate)
            try clause(&self)
        }
    }

    /// Whether `aggregate` sorts or deduplicates its own input (`count(x, distinct: true)`,
    /// `stringAgg`/`arrayAgg` with an order, a percentile), which no window function may.
    private static func sortsItsInput(_ aggregate: SQLNode) -> Bool {
        switch aggregate {
        case .function(_, _, let distinct): distinct
        case .orderedAggregate(_, _, let order): !order.isEmpty
        case .portable(.arrayAggregate(_, let distinct, let order)): distinct || !order.isEmpty
        case .portable(.percentile): true
        case .portable(.distinctStringAggregate): true
        case .filtered(let inner, _): Self.sortsItsInput(inner)
        default: false
        }
    }

    /// `true` for a name that can be written as a function name: ASCII letters, digits (not
    /// first), `_` and `.`.
    static func isFunctionName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        }
    }

    /// Renders one `ORDER BY` term.
    mutating func append(_ ordering: Ordering) throws {
        if case .alias(let inner, _) = ordering.node {
            try self.append(inner)
        } else {
            try self.append(ordering.node)
        }
        self.sql += ordering.descending ? " DESC" : " ASC"
        switch ordering.nulls {
        case .first: self.sql += " NULLS FIRST"
        case .last: self.sql += " NULLS LAST"
        case nil: break
        }
    }
}
