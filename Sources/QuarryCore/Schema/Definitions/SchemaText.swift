import Foundation

/// Reading the pieces of schema SQL that catalogs give as text: declared types, defaults, and
/// (on SQLite, which keeps only the `CREATE` statement) checks and partial-index conditions.
/// Also the normal forms the schema diff compares, so the same schema written two ways (a
/// model's DDL and the database's echo of it) is not a difference.
public enum SchemaText {
    // MARK: Types

    /// The column type a database reports as `declared` (PostgreSQL's `format_type`, SQLite's
    /// declared type): one of Quarry's own when it is one, else ``ColumnType/sql(_:)``.
    ///
    /// ```swift
    /// SchemaText.columnType("character varying(160)", dialect: .postgresql)   // .varchar(160)
    /// SchemaText.columnType("NVARCHAR(160)", dialect: .sqlite)                  // .sql("NVARCHAR(160)")
    /// ```
    public static func columnType(_ declared: String, dialect: Dialect) -> ColumnType {
        let text = declared.trimmingCharacters(in: .whitespaces)
        let upper = text.uppercased()
        if dialect == .postgresql {
            switch text {
            case "smallint": return .integer16
            case "integer": return .integer32
            case "bigint": return .integer64
            case "real": return .float
            case "double precision": return .double
            case "numeric": return .numeric
            case "text": return .text
            case "bytea": return .blob
            case "boolean": return .bool
            case "timestamp with time zone": return .timestamp
            case "timestamp without time zone": return .localTimestamp
            case "uuid": return .uuid
            case "jsonb": return .json
            case "date": return .date
            case "time without time zone": return .time
            case "interval": return .interval
            default: break
            }
            if text.hasSuffix("[]") {
                let element = Self.columnType(String(text.dropLast(2)), dialect: dialect)
                if case .sql = element.kind { return .sql(text) }
                return .array(element)
            }
            if let (p, s) = Self.numericLimits(upper) { return .numeric(precision: p, scale: s) }
            if text.hasPrefix("character varying("), let n = Self.singleLimit(text) { return .varchar(n) }
            return .sql(text)
        }
        switch upper {
        case "INTEGER": return .integer64
        case "REAL": return .double
        case "DECIMAL_BLOB": return .numeric
        case "TEXT": return .text
        case "BLOB": return .blob
        case "BOOLEAN": return .bool
        default: break
        }
        if upper.hasPrefix("VARCHAR("), let n = Self.singleLimit(upper) { return .varchar(n) }
        return .sql(text)
    }

    /// The storage SQLite gives a declared type (its "affinity", by SQLite's documented rules):
    /// on SQLite, two declared types with the same affinity store values the same way.
    public static func sqliteAffinity(_ declared: String) -> String {
        let upper = declared.uppercased()
        if upper.contains("INT") { return "INTEGER" }
        if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") { return "TEXT" }
        if upper.contains("BLOB") || upper.isEmpty { return "BLOB" }
        if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") { return "REAL" }
        return "NUMERIC"
    }

    /// `true` when `a` and `b` are the same type as `dialect` stores it: the same affinity on
    /// SQLite, the same type name (spacing and case aside) on PostgreSQL.
    public static func sameType(_ a: ColumnType, _ b: ColumnType, dialect: Dialect) -> Bool {
        let left = dialect.typeName(for: a)
        let right = dialect.typeName(for: b)
        if dialect == .sqlite { return Self.sqliteAffinity(left) == Self.sqliteAffinity(right) }
        return Self.compact(left) == Self.compact(right)
    }

    private static func numericLimits(_ upper: String) -> (Int, Int)? {
        guard upper.hasPrefix("NUMERIC("), upper.hasSuffix(")") else { return nil }
        let parts = upper.dropFirst(8).dropLast().split(separator: ",").map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard parts.count == 2, let p = parts[0], let s = parts[1] else { return nil }
        return (p, s)
    }

    private static func singleLimit(_ text: String) -> Int? {
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { return nil }
        return Int(text[text.index(after: open)..<text.index(before: text.endIndex)])
    }

    // MARK: Defaults

    /// A default as a catalog reports it (`'queued'::text`, `0`, `now()`, `CURRENT_TIMESTAMP`).
    ///
    /// ```swift
    /// SchemaText.columnDefault("'queued'::text")   // .literal(.text("queued"))
    /// ```
    public static func columnDefault(_ reported: String) -> ColumnDefault? {
        // `('now'::text)::date`: casts and the parentheses around them, until neither is left.
        var text = reported.trimmingCharacters(in: .whitespaces)
        while true {
            let next = Self.withoutOuterParentheses(Self.withoutCasts(text))
            if next == text { break }
            text = next
        }
        switch text.uppercased() {
        case "NULL": return nil
        case "CURRENT_TIMESTAMP", "NOW()", "DATETIME('NOW')", "LOCALTIMESTAMP": return .currentTimestamp
        case "TRUE": return .literal(.bool(true))
        case "FALSE": return .literal(.bool(false))
        default: break
        }
        if let quoted = Self.unquoted(text) {
            if let number = Self.number(quoted) { return .literal(number) }
            // A string cast to another type ('ok'::mood, ('now'::text)::date) is that type's value,
            // computed as written: kept as the expression it is.
            if Self.castsToNonText(reported) { return .expression(reported.trimmingCharacters(in: .whitespaces)) }
            return .literal(.text(quoted))
        }
        if let number = Self.number(text) { return .literal(number) }
        return .expression(text)
    }

    /// A default in the form the diff compares: casts, outer parentheses and quotes around
    /// numbers removed, keywords upper-cased, Booleans as SQLite and PostgreSQL both accept them.
    public static func comparableDefault(_ value: ColumnDefault?, dialect: Dialect) -> String? {
        guard let value else { return nil }
        guard let reread = Self.columnDefault(value.sql(for: dialect)) else { return nil }
        switch reread {
        case .literal(.bool(let b)): return b ? "1" : "0"
        case .literal(.integer(let i)): return String(i)
        case .literal(.double(let d)): return Self.decimalText(String(d))
        case .literal(.decimal(let d)): return Self.decimalText(d.description)
        case .literal(let other): return Dialect.sqlite.literal(other)  // text compared exactly
        case .currentTimestamp: return "CURRENT_TIMESTAMP"
        case .expression(let text): return Self.compact(text).lowercased()
        }
    }

    private static func decimalText(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    private static func number(_ text: String) -> DatabaseValue? {
        if let i = Int64(text) { return .integer(i) }
        let isDecimal = text.contains(".") && text.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" }
        if isDecimal, let d = Decimal(string: text) { return .decimal(d) }
        return nil
    }

    /// `true` when `reported` casts to a type other than a character type (outside quotes).
    static func castsToNonText(_ reported: String) -> Bool {
        var quoted = false
        var index = reported.startIndex
        while index < reported.endIndex {
            let c = reported[index]
            if c == "'" { quoted.toggle() }
            if !quoted, reported[index...].hasPrefix("::") {
                let rest = reported[reported.index(index, offsetBy: 2)...].lowercased()
                let textual = ["text", "character varying", "varchar", "character", "bpchar", "name", "citext"]
                if !textual.contains(where: { rest.hasPrefix($0) }) { return true }
            }
            index = reported.index(after: index)
        }
        return false
    }

    /// `'text'` → `text` (inner `''` → `'`); `nil` when `text` is not one quoted string.
    static func unquoted(_ text: String) -> String? {
        guard text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") else { return nil }
        let inner = text.dropFirst().dropLast()
        var result = ""
        var index = inner.startIndex
        while index < inner.endIndex {
            let c = inner[index]
            if c == "'" {
                let next = inner.index(after: index)
                guard next < inner.endIndex, inner[next] == "'" else { return nil }
                index = next
            }
            result.append(c)
            index = inner.index(after: index)
        }
        return result
    }

    /// Removes PostgreSQL casts outside quotes: `'a'::text` → `'a'`, `'1'::numeric(10,2)` → `'1'`.
    static func withoutCasts(_ text: String) -> String {
        var result = ""
        var quoted = false
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c == "'" { quoted.toggle() }
            if !quoted, c == ":", text[index...].hasPrefix("::") {
                // Skip the type name: letters, digits, spaces, brackets, parentheses of its limits,
                // and the dot of a schema-qualified name (`'G'::pagila.mpaa_rating`).
                index = text.index(index, offsetBy: 2)
                var depth = 0
                while index < text.endIndex {
                    let t = text[index]
                    if t == "(" {
                        depth += 1
                    } else if t == ")" {
                        if depth == 0 { break }
                        depth -= 1
                        index = text.index(after: index)  // the limits' closing parenthesis
                        continue
                    }
                    if depth == 0,
                        !(t.isLetter || t.isNumber || t == " " || t == "_" || t == "[" || t == "]" || t == "\""
                            || t == "(" || t == ".")
                    {
                        break
                    }
                    index = text.index(after: index)
                }
                continue
            }
            result.append(c)
            index = text.index(after: index)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// `((x))` → `x` when the parentheses enclose the whole text.
    public static func withoutOuterParentheses(_ text: String) -> String {
        var text = text
        while text.hasPrefix("("), text.hasSuffix(")"),
            Self.closingParenthesis(in: text, from: text.startIndex) == text.index(before: text.endIndex)
        {
            text = String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        return text
    }

    // MARK: Expressions

    /// An SQL condition in the form the diff compares: identifier quotes, casts, parentheses and
    /// spacing removed, lower-cased outside string literals. Two spellings of one condition
    /// (a model's `"composer" IS NOT NULL`, PostgreSQL's `(composer IS NOT NULL)`) compare equal.
    public static func comparableExpression(_ text: String) -> String {
        var result = ""
        var quoted = false
        for c in Self.withoutCasts(text) {
            if c == "'" { quoted.toggle() }
            if quoted || c == "'" {
                result.append(c)
            } else if !(c == "\"" || c == "(" || c == ")" || c == " " || c == "`" || c == "[" || c == "]") {
                result.append(contentsOf: c.lowercased())
            }
        }
        return result
    }

    static func compact(_ text: String) -> String {
        text.uppercased().filter { $0 != " " }
    }

    // MARK: SQLite's CREATE statements

    /// The named `CHECK` constraints of a `CREATE TABLE` statement: `CONSTRAINT name CHECK (…)`.
    public static func namedChecks(inCreateTable sql: String) -> [CheckDefinition] {
        let tokens = Self.tokens(sql)
        var checks: [CheckDefinition] = []
        var i = 0
        while i + 3 < tokens.count {
            if tokens[i].text.uppercased() == "CONSTRAINT", tokens[i + 2].text.uppercased() == "CHECK",
                tokens[i + 3].text == "("
            {
                let open = tokens[i + 3].range.lowerBound
                if let close = Self.closingParenthesis(in: sql, from: open) {
                    let body = sql[sql.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
                    checks.append(CheckDefinition(Self.identifier(tokens[i + 1].text), body))
                }
            }
            i += 1
        }
        return checks
    }

    /// The expression of a generated column in a `CREATE TABLE` statement
    /// (`total REAL GENERATED ALWAYS AS (price * quantity) STORED`, or SQLite's short
    /// `total AS (price * quantity)`), or `nil` when `column` is not generated there.
    ///
    /// ```swift
    /// SchemaText.generatedExpression(of: "total", inCreateTable: "CREATE TABLE t (price REAL, total REAL AS (price * 2))")
    /// // "price * 2"
    /// ```
    public static func generatedExpression(of column: String, inCreateTable sql: String) -> String? {
        guard let open = sql.firstIndex(of: "("), let close = Self.closingParenthesis(in: sql, from: open) else {
            return nil
        }
        for definition in Self.topLevelSplit(String(sql[sql.index(after: open)..<close])) {
            let tokens = Self.tokens(definition)
            guard let first = tokens.first, Self.identifier(first.text) == column else { continue }
            // `AS (` outside the name: the generation clause.
            for i in tokens.indices.dropFirst() where i + 1 < tokens.count {
                guard tokens[i].text.uppercased() == "AS", tokens[i + 1].text == "(",
                    let end = Self.closingParenthesis(in: definition, from: tokens[i + 1].range.lowerBound)
                else { continue }
                let body = definition[definition.index(after: tokens[i + 1].range.lowerBound)..<end]
                return body.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return nil
        }
        return nil
    }

    /// `true` when a `CREATE TABLE` statement declares `AUTOINCREMENT` (outside quotes).
    public static func declaresAutoincrement(_ sql: String) -> Bool {
        Self.tokens(sql).contains { $0.text.uppercased() == "AUTOINCREMENT" }
    }

    /// `true` when a SQLite `CREATE TABLE` statement makes a table `WITHOUT ROWID`.
    public static func declaresWithoutRowid(_ sql: String) -> Bool {
        let words = Self.tokens(sql).map { $0.text.uppercased() }
        return zip(words, words.dropFirst()).contains { $0 == ("WITHOUT", "ROWID") }
    }

    /// The entries of a `CREATE INDEX` statement's column list and its `WHERE` condition.
    public static func indexParts(_ sql: String) -> (entries: [String], predicate: String?) {
        let tokens = Self.tokens(sql)
        guard let on = tokens.firstIndex(where: { $0.text.uppercased() == "ON" }),
            let openToken = tokens[on...].first(where: { $0.text == "(" }),
            let close = Self.closingParenthesis(in: sql, from: openToken.range.lowerBound)
        else { return ([], nil) }
        let list = sql[sql.index(after: openToken.range.lowerBound)..<close]
        let entries = Self.topLevelSplit(String(list)).map { Self.identifier($0.trimmingCharacters(in: .whitespaces)) }
        let rest = sql[sql.index(after: close)...].trimmingCharacters(in: .whitespacesAndNewlines)
        guard rest.uppercased().hasPrefix("WHERE") else { return (entries, nil) }
        return (entries, rest.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `"name"`, `[name]`, `` `name` `` → `name`.
    static func identifier(_ text: String) -> String {
        guard let first = text.first, let last = text.last, text.count >= 2 else { return text }
        if (first == "\"" && last == "\"") || (first == "`" && last == "`") {
            return String(text.dropFirst().dropLast()).replacingOccurrences(of: "\(first)\(first)", with: "\(first)")
        }
        if first == "[" && last == "]" { return String(text.dropFirst().dropLast()) }
        return text
    }

    private struct Token {
        var text: String
        var range: Range<String.Index>
    }

    /// Words, quoted names and single punctuation marks; string literals are skipped.
    private static func tokens(_ sql: String) -> [Token] {
        var tokens: [Token] = []
        var index = sql.startIndex
        while index < sql.endIndex {
            let c = sql[index]
            if c.isWhitespace {
                index = sql.index(after: index)
            } else if c == "'" || c == "\"" || c == "`" || c == "[" {
                let closer: Character = c == "[" ? "]" : c
                var end = sql.index(after: index)
                while end < sql.endIndex {
                    if sql[end] == closer {
                        let next = sql.index(after: end)
                        if closer != "]", next < sql.endIndex, sql[next] == closer {
                            end = sql.index(after: next)
                            continue
                        }
                        break
                    }
                    end = sql.index(after: end)
                }
                let upper = end < sql.endIndex ? sql.index(after: end) : end
                if c != "'" { tokens.append(Token(text: String(sql[index..<upper]), range: index..<upper)) }
                index = upper
            } else if c.isLetter || c.isNumber || c == "_" {
                var end = index
                while end < sql.endIndex, sql[end].isLetter || sql[end].isNumber || sql[end] == "_" {
                    end = sql.index(after: end)
                }
                tokens.append(Token(text: String(sql[index..<end]), range: index..<end))
                index = end
            } else {
                let next = sql.index(after: index)
                tokens.append(Token(text: String(c), range: index..<next))
                index = next
            }
        }
        return tokens
    }

    /// The index of the `)` closing the `(` at `open`, skipping quoted text.
    static func closingParenthesis(in text: String, from open: String.Index) -> String.Index? {
        var depth = 0
        var quote: Character?
        var index = open
        while index < text.endIndex {
            let c = text[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" || c == "`" {
                quote = c
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// Splits at commas outside parentheses and quotes.
    static func topLevelSplit(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for c in text {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" || c == "`" {
                quote = c
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
            } else if c == ",", depth == 0 {
                parts.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        parts.append(current)
        return parts
    }
}
