/// A function each dialect spells its own way, rendered so both give the same answer: SQLite's
/// driver is built without its math functions, and it names `GREATEST` and `STRPOS` differently.
public indirect enum PortableFunction: Sendable {
    /// The largest (`greatest: true`) or smallest argument, `NULL`s skipped (`NULL` when all are).
    case extreme([SQLNode], greatest: Bool)
    /// The 1-based position of `needle` in `text`, 0 when it does not occur.
    case position(SQLNode, in: SQLNode)
    /// The smallest integer not below (`up: true`) or the largest not above `x`.
    case round(SQLNode, up: Bool)
    /// The last `count` characters of `text` (all of it when it is shorter).
    case suffix(SQLNode, count: Int)
    /// A date or timestamp as text in a pattern of `to_char` fields (`YYYY-MM-DD`).
    case dateText(SQLNode, pattern: String)
    /// Whether `text` contains a match of the regular expression `pattern` (`~`/`~*` on
    /// PostgreSQL, `REGEXP` on SQLite, whose Quarry connections implement it with Swift's `Regex`).
    case matches(SQLNode, pattern: SQLNode, caseInsensitive: Bool)
    /// Over a group: whether `x` is true in every row (`all: true`) or in some row; `NULL`s
    /// skipped, `NULL` over none.
    case truth(SQLNode, all: Bool)
    /// Over a group: its values as an array (`NULL`s kept), each once when `distinct`, in
    /// `order`; an empty array over no rows (``arrayAgg(_:orderBy:)``).
    case arrayAggregate(SQLNode, distinct: Bool, orderBy: [Ordering])
    /// Over a group: its distinct non-`NULL` texts in ascending order, joined by `separator`;
    /// `NULL` over none (``stringAgg(distinct:separator:)``).
    case distinctStringAggregate(SQLNode, separator: String)
    /// Over a group: the value `fraction` of the way through its sorted values, interpolated
    /// (`continuous`) or the first at or past it (``percentileCont(_:of:)``).
    case percentile(SQLNode, fraction: Double, continuous: Bool)

    func requalified(_ table: (String?) -> String?) -> PortableFunction {
        switch self {
        case .extreme(let arguments, let greatest):
            .extreme(arguments.map { $0.requalified(table) }, greatest: greatest)
        case .position(let needle, let text): .position(needle.requalified(table), in: text.requalified(table))
        case .round(let x, let up): .round(x.requalified(table), up: up)
        case .suffix(let text, let count): .suffix(text.requalified(table), count: count)
        case .truth(let x, let all): .truth(x.requalified(table), all: all)
        case .arrayAggregate(let x, let distinct, let order):
            .arrayAggregate(x.requalified(table), distinct: distinct, orderBy: order.map { $0.requalified(table) })
        case .percentile(let x, let fraction, let continuous):
            .percentile(x.requalified(table), fraction: fraction, continuous: continuous)
        case .distinctStringAggregate(let x, let separator):
            .distinctStringAggregate(x.requalified(table), separator: separator)
        case .dateText(let x, let pattern): .dateText(x.requalified(table), pattern: pattern)
        case .matches(let text, let pattern, let caseInsensitive):
            .matches(text.requalified(table), pattern: pattern.requalified(table), caseInsensitive: caseInsensitive)
        }
    }

    func render(into builder: inout SQLBuilder) throws {
        let postgres = builder.dialect == .postgresql
        switch self {
        case .extreme(let arguments, let greatest) where postgres:
            builder.append(greatest ? "GREATEST(" : "LEAST(")
            try builder.appendList(arguments) { try $0.append($1) }
            builder.append(")")
        case .extreme(let arguments, let greatest):
            // SQLite's many-argument MAX/MIN is NULL when any argument is; PostgreSQL skips NULLs.
            // Each argument is replaced by itself or, when NULL, by another that is not, so the
            // extreme is over the non-NULL arguments only (and NULL when all are).
            builder.append(greatest ? "MAX(" : "MIN(")
            let fallbacks: [[SQLNode]] = arguments.indices.map { index in
                [arguments[index]] + arguments.indices.filter { $0 != index }.map { arguments[$0] }
            }
            try builder.appendList(fallbacks) { builder, candidates in
                try builder.append(.function("COALESCE", candidates, distinct: false))
            }
            builder.append(")")
        case .position(let needle, let text):
            builder.append(postgres ? "STRPOS(" : "INSTR(")
            try builder.append(text)
            builder.append(", ")
            try builder.append(needle)
            builder.append(")")
        case .round(let x, let up) where postgres:
            builder.append(up ? "CEIL(" : "FLOOR(")
            try builder.append(x)
            builder.append(")")
        case .round(let x, let up):
            // CAST to INTEGER truncates toward zero; one more (less) where that lost a fraction.
            let truncated = SQLNode.cast(x, .integer64)
            builder.append("(")
            try builder.append(truncated)
            builder.append(up ? " + (" : " - (")
            try builder.append(.binary(x, up ? .greater : .less, truncated))
            builder.append("))")
        case .suffix(let text, let count) where postgres:
            builder.append("RIGHT(")
            try builder.append(text)
            builder.append(", ")
            try builder.append(.int32Argument(max(count, 0)))
            builder.append(")")
        case .suffix(let text, let count):
            // SUBSTR from a negative start counts from the end; a start of 0 would be the whole text.
            builder.append("SUBSTR(")
            try builder.append(text)
            builder.append(", ")
            builder.appendBind(.integer(count > 0 ? -Int64(count) : 1))
            if count <= 0 { builder.append(", 0") }
            builder.append(")")
        case .dateText(let x, let pattern) where postgres:
            _ = try Self.strftimePattern(pattern)  // only the portable fields, on both
            builder.append("TO_CHAR(")
            try builder.append(x)
            builder.append(", ")
            builder.appendBind(.text(pattern))
            builder.append(")")
        case .dateText(let x, let pattern):
            builder.append("STRFTIME(")
            builder.appendBind(.text(try Self.strftimePattern(pattern)))
            builder.append(", ")
            try builder.append(x)
            builder.append(")")
        case .matches(let text, let pattern, let caseInsensitive):
            builder.append("(")
            try builder.append(text)
            builder.append(postgres ? (caseInsensitive ? " ~* " : " ~ ") : " REGEXP ")
            // Swift's Regex takes the flag inline.
            if !postgres && caseInsensitive { builder.append("('(?i)' || ") }
            try builder.append(pattern)
            if !postgres && caseInsensitive { builder.append(")") }
            builder.append(")")
        case .truth(let x, let all):
            // SQLite's booleans are 0 and 1: every row is true when the least is 1.
            builder.append(postgres ? (all ? "BOOL_AND(" : "BOOL_OR(") : (all ? "MIN(" : "MAX("))
            try builder.append(x)
            builder.append(")")
        case .arrayAggregate, .percentile, .distinctStringAggregate:
            try self.renderAggregate(into: &builder) { _ in }
        }
    }

    /// Renders this function followed by `clause` — an aggregate's `FILTER (WHERE …)` or
    /// `OVER (…)`, which belong right after the aggregate call — in the form that makes both
    /// dialects agree: PostgreSQL's `ARRAY_AGG` is `NULL` over no rows where SQLite's
    /// `JSON_GROUP_ARRAY` (the array form Quarry reads on SQLite) is `[]`, so PostgreSQL's is
    /// written `COALESCE(ARRAY_AGG(x) clause, '{}')`; a percentile is PostgreSQL's ordered-set
    /// aggregate, or the function Quarry's SQLite connections install.
    func renderAggregate(into builder: inout SQLBuilder, then clause: (inout SQLBuilder) throws -> Void) throws {
        let postgres = builder.dialect == .postgresql
        switch self {
        case .percentile(let x, let fraction, let continuous):
            guard (0...1).contains(fraction) else {
                throw CompileError(.invalidValue, "a percentile's fraction must be between 0 and 1, not \(fraction)")
            }
            if postgres {
                // PERCENTILE_CONT reads double precision; PERCENTILE_DISC returns a value as it is.
                builder.append(continuous ? "PERCENTILE_CONT(" : "PERCENTILE_DISC(")
                builder.appendBind(.double(fraction))
                builder.append(") WITHIN GROUP (ORDER BY ")
                try builder.append(continuous ? .cast(x, .double) : x)
            } else {
                builder.append(continuous ? "QUARRY_PERCENTILE_CONT(" : "QUARRY_PERCENTILE_DISC(")
                try builder.append(x)
                builder.append(", ")
                builder.appendBind(.double(fraction))
            }
            builder.append(")")
            try clause(&builder)
        case .arrayAggregate(let x, let distinct, let order):
            builder.append(postgres ? "COALESCE(ARRAY_AGG(" : "JSON_GROUP_ARRAY(")
            // `DISTINCT x ORDER BY x`: PostgreSQL wants the same expression twice, so a value
            // bound in `x` gets the same placeholder in both.
            let reusesBinds = distinct && builder.reusableBinds == nil
            if reusesBinds { builder.reusableBinds = [:] }
            if distinct { builder.append("DISTINCT ") }
            try builder.append(x)
            if !order.isEmpty {
                builder.append(" ORDER BY ")
                try builder.appendList(order) { try $0.append($1) }
            }
            if reusesBinds { builder.reusableBinds = nil }
            builder.append(")")
            try clause(&builder)
            if postgres { builder.append(", '{}')") }
        case .distinctStringAggregate(let x, let separator) where postgres:
            // `DISTINCT x … ORDER BY x`: the same expression twice, a bound value in it with one
            // placeholder (as for arrayAgg(distinct:)).
            let reusesBinds = builder.reusableBinds == nil
            if reusesBinds { builder.reusableBinds = [:] }
            builder.append("STRING_AGG(DISTINCT ")
            try builder.append(x)
            builder.append(", ")
            builder.appendBind(.text(separator))
            builder.append(" ORDER BY ")
            try builder.append(x)
            if reusesBinds { builder.reusableBinds = nil }
            builder.append(")")
            try clause(&builder)
        case .distinctStringAggregate(let x, let separator):
            // SQLite's DISTINCT aggregates take one argument, so no separator: the distinct
            // values are gathered as a JSON array, in order, and joined by a subquery over it.
            builder.append("(SELECT STRING_AGG(\"value\", ")
            builder.appendBind(.text(separator))
            builder.append(" ORDER BY \"key\") FROM JSON_EACH(JSON_GROUP_ARRAY(DISTINCT ")
            try builder.append(x)
            builder.append(" ORDER BY ")
            try builder.append(x)
            builder.append(")")
            try clause(&builder)
            builder.append("))")
        default:
            try self.render(into: &builder)
            try clause(&builder)
        }
    }

    /// The `strftime` pattern of a `to_char` pattern of Quarry's portable fields.
    /// - Throws: ``CompileError`` `invalidValue` for anything else.
    static func strftimePattern(_ pattern: String) throws -> String {
        let fields: [(String, String)] = [
            ("YYYY", "%Y"), ("HH24", "%H"), ("MM", "%m"), ("DD", "%d"), ("MI", "%M"), ("SS", "%S"),
        ]
        let separators: Set<Character> = ["-", "/", ":", ".", ",", "_", " "]
        var rest = Substring(pattern)
        var out = ""
        while let next = rest.first {
            if let (field, format) = fields.first(where: { rest.hasPrefix($0.0) }) {
                out += format
                rest = rest.dropFirst(field.count)
            } else if separators.contains(next) {
                out.append(next)
                rest = rest.dropFirst()
            } else {
                throw CompileError(
                    .invalidValue,
                    "date pattern '\(pattern)': use YYYY, MM, DD, HH24, MI, SS and the separators - / : . , _ and space"
                )
            }
        }
        return out
    }
}
