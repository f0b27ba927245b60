import Foundation

/// Values of the schema model written back as Swift source, for the code `quarry reflect` and
/// `quarry revision --autogenerate` generate.
public protocol SwiftExpressible {
    /// This value as a Swift expression that creates it (`.varchar(40)`, `"users"`).
    var swiftExpression: String { get }
}

extension String: SwiftExpressible {
    /// A Swift string literal of this text, escaped.
    public var swiftExpression: String {
        var out = "\""
        for scalar in self.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension ColumnType: SwiftExpressible {
    public var swiftExpression: String {
        switch self.kind {
        case .integer16: ".integer16"
        case .integer32: ".integer32"
        case .integer64: ".integer64"
        case .float: ".float"
        case .double: ".double"
        case .numeric(let precision?, let scale): ".numeric(precision: \(precision), scale: \(scale ?? 0))"
        case .numeric: ".numeric"
        case .text: ".text"
        case .blob: ".blob"
        case .bool: ".bool"
        case .timestamp: ".timestamp"
        case .localTimestamp: ".localTimestamp"
        case .uuid: ".uuid"
        case .json: ".json"
        case .date: ".date"
        case .time: ".time"
        case .interval: ".interval"
        case .array(let element): ".array(\(ColumnType(kind: element).swiftExpression))"
        case .varchar(let length): ".varchar(\(length))"
        case .sql(let name): ".sql(\(name.swiftExpression))"
        }
    }

    /// The Swift type `quarry reflect` gives a column of this type in `dialect`: `Int32` for
    /// `INTEGER` on PostgreSQL, `Decimal` for `NUMERIC`, `Date` for timestamps, `CalendarDate`,
    /// `TimeOfDay` and `Interval` for `DATE`, `TIME` and `INTERVAL`, `[T]` for arrays. For a type
    /// Quarry has no name for: on SQLite what its affinity rules suggest; on PostgreSQL `Data` (the
    /// binary value as PostgreSQL sends it) for ranges, `time with time zone`, geometry, network and
    /// text-search types, else `String` (enums, domains over text, `xml`, `citext`, whose values
    /// arrive as their text).
    public func swiftTypeName(for dialect: Dialect) -> String {
        switch self.kind {
        case .integer16: return "Int16"
        case .integer32: return "Int32"
        case .integer64: return "Int64"
        case .float: return "Float"
        case .double: return "Double"
        case .numeric: return "Decimal"
        case .text, .varchar: return "String"
        case .blob: return "Data"
        case .bool: return "Bool"
        case .timestamp, .localTimestamp: return "Date"
        case .uuid: return "UUID"
        case .json: return "Data"
        case .date: return "CalendarDate"
        case .time: return "TimeOfDay"
        case .interval: return "Interval"
        case .array(let element): return "[" + ColumnType(kind: element).swiftTypeName(for: dialect) + "]"
        case .sql(let name): return dialect == .postgresql ? Self.postgresSwiftType(name) : Self.sqliteSwiftType(name)
        }
    }

    private static func sqliteSwiftType(_ name: String) -> String {
        switch name.lowercased() {
        // No declared type: the column keeps any value as given.
        case "": return "DatabaseValue"
        case "date", "datetime", "timestamp": return "Date"
        case "boolean", "bool": return "Bool"
        default:
            switch SchemaText.sqliteAffinity(name) {
            case "INTEGER": return "Int64"
            case "REAL": return "Double"
            case "NUMERIC": return "Decimal"
            case "BLOB": return "Data"
            default: return "String"
            }
        }
    }

    /// A type without a Swift type of its own is a `String` in its text form
    /// (``ColumnDescriptor/travelsAsText``: `tsvector`, `inet`, `money`, ranges, composite
    /// types); as an array element, whose binary form arrives as is, it is `Data`.
    private static func postgresSwiftType(_ name: String, isElement: Bool = false) -> String {
        let lower = name.lowercased()
        if lower == "date" || lower.hasPrefix("timestamp") { return "Date" }
        if lower.hasPrefix("numeric") || lower.hasPrefix("decimal") { return "Decimal" }
        // An array of arrays of a type without a Swift type (`inet[][]`) travels whole in its
        // text form: `{{…},{…}}`.
        if lower.hasSuffix("[][]") { return "String" }
        if lower.hasSuffix("[]") {
            return "[" + Self.postgresSwiftType(String(name.dropLast(2)), isElement: true) + "]"
        }
        if lower.hasSuffix("]") { return "Data" }
        guard isElement else { return "String" }
        let binary: Set<String> = [
            "interval", "time", "tsvector", "tsquery", "point", "line", "lseg", "box", "path", "polygon", "circle",
            "inet", "cidr", "macaddr", "macaddr8", "bit", "bit varying", "money", "oid", "pg_lsn",
        ]
        if lower.hasSuffix("range")
            || binary.contains(where: { lower == $0 || lower.hasPrefix($0 + "(") || lower.hasPrefix($0 + " ") })
        {
            return "Data"
        }
        return "String"
    }
}

extension ForeignKey.Action: SwiftExpressible {
    public var swiftExpression: String {
        switch self.sql {
        case "CASCADE": ".cascade"
        case "SET NULL": ".setNull"
        case "SET DEFAULT": ".setDefault"
        case "RESTRICT": ".restrict"
        default: ".noAction"
        }
    }
}

extension DatabaseValue: SwiftExpressible {
    public var swiftExpression: String {
        switch self {
        case .null: ".null"
        case .integer(let v): ".integer(\(v))"
        case .double(let v): ".double(\(v))"
        case .decimal(let v): ".decimal(Decimal(string: \(v.description.swiftExpression))!)"
        case .bool(let v): ".bool(\(v))"
        case .text(let v): ".text(\(v.swiftExpression))"
        case .blob(let v): ".blob(Data(\(Array(v))))"
        case .uuid(let v): ".uuid(UUID(uuidString: \(v.uuidString.swiftExpression))!)"
        case .date(let v): ".date(Date(timeIntervalSince1970: \(v.timeIntervalSince1970)))"
        case .json(let v): ".json(Data(\(String(decoding: v, as: UTF8.self).swiftExpression).utf8))"
        case .calendarDate(let v): ".calendarDate(CalendarDate(\(v.description.swiftExpression))!)"
        case .timeOfDay(let v): ".timeOfDay(TimeOfDay(\(v.storedText.swiftExpression))!)"
        case .interval(let v): ".interval(Interval(\(v.description.swiftExpression))!)"
        case .enumLabel(let v): ".enumLabel(\(v.swiftExpression))"
        case .array(let elements, let element):
            ".array([\(elements.map(\.swiftExpression).joined(separator: ", "))], element: \(element.swiftExpression))"
        }
    }
}

extension ColumnDefault: SwiftExpressible {
    public var swiftExpression: String {
        switch self {
        case .literal(let value): ".literal(\(value.swiftExpression))"
        case .currentTimestamp: ".currentTimestamp"
        case .expression(let text): ".expression(\(text.swiftExpression))"
        }
    }
}

extension ColumnDefinition: SwiftExpressible {
    public var swiftExpression: String {
        var arguments = [self.name.swiftExpression, "type: \(self.type.swiftExpression)"]
        if self.isNullable { arguments.append("isNullable: true") }
        if let value = self.defaultValue { arguments.append("default: \(value.swiftExpression)") }
        if self.isIdentity { arguments.append("isIdentity: true") }
        if let expression = self.generated { arguments.append("generated: \(expression.swiftExpression)") }
        return "ColumnDefinition(\(arguments.joined(separator: ", ")))"
    }
}

extension IndexDefinition: SwiftExpressible {
    public var swiftExpression: String {
        var arguments = [self.name.swiftExpression, "columns: \(Self.list(self.columns))"]
        if self.isUnique { arguments.append("isUnique: true") }
        if let predicate = self.predicate { arguments.append("predicate: \(predicate.swiftExpression)") }
        if let method = self.method { arguments.append("method: \(method.swiftExpression)") }
        return "IndexDefinition(\(arguments.joined(separator: ", ")))"
    }

    static func list(_ names: [String]) -> String { "[" + names.map(\.swiftExpression).joined(separator: ", ") + "]" }
}

extension IndexMethod: SwiftExpressible {
    /// `.gin` for a built-in method, `IndexMethod("hnsw")` for another.
    public var swiftExpression: String {
        let builtIn: [IndexMethod] = [.btree, .hash, .gin, .gist, .spgist, .brin]
        return builtIn.contains(self) ? ".\(self.name)" : "IndexMethod(\(self.name.swiftExpression))"
    }
}

extension UniqueDefinition: SwiftExpressible {
    public var swiftExpression: String {
        let name = self.name.map { "name: \($0.swiftExpression), " } ?? ""
        return "UniqueDefinition(\(name)columns: \(IndexDefinition.list(self.columns)))"
    }
}

extension ForeignKeyDefinition: SwiftExpressible {
    public var swiftExpression: String {
        var arguments: [String] = []
        if let name = self.name { arguments.append("name: \(name.swiftExpression)") }
        arguments.append("columns: \(IndexDefinition.list(self.columns))")
        arguments.append("references: \(self.referencedTable.swiftExpression)")
        if let schema = self.referencedSchema { arguments.append("schema: \(schema.swiftExpression)") }
        arguments.append("columns: \(IndexDefinition.list(self.referencedColumns))")
        if let action = self.onDelete { arguments.append("onDelete: \(action.swiftExpression)") }
        if let action = self.onUpdate { arguments.append("onUpdate: \(action.swiftExpression)") }
        return "ForeignKeyDefinition(\(arguments.joined(separator: ", ")))"
    }
}

extension CheckDefinition: SwiftExpressible {
    public var swiftExpression: String {
        "CheckDefinition(\(self.name.swiftExpression), \(self.expression.swiftExpression))"
    }
}

extension TableDefinition: SwiftExpressible {
    /// The definition as a multi-line Swift expression, indented by `indent` spaces after the first line.
    public func swiftExpression(indent: Int) -> String {
        let pad = String(repeating: " ", count: indent + 4)
        let inner = String(repeating: " ", count: indent + 8)
        func list(_ label: String, _ items: [some SwiftExpressible]) -> String? {
            guard !items.isEmpty else { return nil }
            // swift-format's layout: a trailing comma only when there are several elements.
            let comma = items.count > 1 ? "," : ""
            return "\(pad)\(label): [\n" + items.map { "\(inner)\($0.swiftExpression)\(comma)\n" }.joined() + "\(pad)]"
        }
        var arguments = ["\(pad)\(self.name.swiftExpression)"]
        if let schema = self.schema { arguments.append("\(pad)schema: \(schema.swiftExpression)") }
        arguments += [
            list("columns", self.columns),
            self.primaryKey.isEmpty ? nil : "\(pad)primaryKey: \(IndexDefinition.list(self.primaryKey))",
            list("uniqueConstraints", self.uniqueConstraints),
            list("indexes", self.indexes),
            list("foreignKeys", self.foreignKeys),
            list("checks", self.checks),
        ].compactMap { $0 }
        return "TableDefinition(\n" + arguments.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent)
            + ")"
    }

    public var swiftExpression: String { self.swiftExpression(indent: 0) }
}

extension SchemaChange: SwiftExpressible {
    public var swiftExpression: String { self.swiftExpression(indent: 0) }

    /// The step as Swift source (`.addColumn("users", ColumnDefinition(…))`); a table is written
    /// over several lines indented by `indent`.
    public func swiftExpression(indent: Int) -> String {
        // A table is laid out as swift-format lays it out: the definition on lines of its own.
        let pad = String(repeating: " ", count: indent)
        func table(_ label: String, _ table: TableDefinition) -> String {
            ".\(label)(\n\(pad)    \(table.swiftExpression(indent: indent + 4))\n\(pad))"
        }
        switch self {
        case .createTable(let definition): return table("createTable", definition)
        case .dropTable(let definition): return table("dropTable", definition)
        case .renameTable(let from, let to): return ".renameTable(\(from.swiftExpression), to: \(to.swiftExpression))"
        case .addColumn(let t, let c): return ".addColumn(\(t.swiftExpression), \(c.swiftExpression))"
        case .dropColumn(let t, let c): return ".dropColumn(\(t.swiftExpression), \(c.swiftExpression))"
        case .renameColumn(let t, let from, let to):
            return ".renameColumn(\(t.swiftExpression), from: \(from.swiftExpression), to: \(to.swiftExpression))"
        case .alterColumn(let t, let from, let to):
            return ".alterColumn(\(t.swiftExpression), from: \(from.swiftExpression), to: \(to.swiftExpression))"
        case .createIndex(let t, let i): return ".createIndex(\(t.swiftExpression), \(i.swiftExpression))"
        case .dropIndex(let t, let i): return ".dropIndex(\(t.swiftExpression), \(i.swiftExpression))"
        case .addUnique(let t, let u): return ".addUnique(\(t.swiftExpression), \(u.swiftExpression))"
        case .dropUnique(let t, let u): return ".dropUnique(\(t.swiftExpression), \(u.swiftExpression))"
        case .addForeignKey(let t, let k): return ".addForeignKey(\(t.swiftExpression), \(k.swiftExpression))"
        case .dropForeignKey(let t, let k): return ".dropForeignKey(\(t.swiftExpression), \(k.swiftExpression))"
        case .addCheck(let t, let c): return ".addCheck(\(t.swiftExpression), \(c.swiftExpression))"
        case .dropCheck(let t, let c): return ".dropCheck(\(t.swiftExpression), \(c.swiftExpression))"
        case .sql(let sql, let reverse):
            return ".sql(\(sql.swiftExpression), reverse: \(reverse.map(\.swiftExpression) ?? "nil"))"
        }
    }
}
