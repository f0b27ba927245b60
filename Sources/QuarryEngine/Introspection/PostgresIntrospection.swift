import Foundation
import QuarryCore

/// Reads a PostgreSQL schema from `pg_catalog`, one query per kind of object for all tables.
enum PostgresIntrospection {
    static func read(_ db: some DatabaseExecutor, schema: String?) async throws -> DatabaseSchema {
        let namespace: String
        if let schema {
            namespace = schema
        } else {
            namespace = try await db.scalar(SQLQuery<String>("SELECT current_schema()").readOnly())
        }
        let qualifier = schema
        var tables: [Int64: TableDefinition] = [:]
        var order: [Int64] = []
        for row in try await db.all(
            SQL(
                """
                SELECT c.oid::int8 AS rel, c.relname::text AS name FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname = \(namespace) AND NOT c.relispartition ORDER BY c.relname
                """
            ).readOnly()
        ) {
            let rel: Int64 = try row.column("rel")
            order.append(rel)
            tables[rel] = TableDefinition(try row.column("name"), schema: qualifier, columns: [])
        }
        for row in try await db.all(
            SQL(
                """
                SELECT a.attrelid::int8 AS rel, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
                  a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attidentity::text AS identity,
                  a.attgenerated::text AS generated, a.attndims::int8 AS dimensions,
                  CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE n.nspname = \(namespace) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attrelid, a.attnum
                """
            ).readOnly()
        ) {
            let rel: Int64 = try row.column("rel")
            let defaultText: String? = try row.column("dflt")
            let identity: String = try row.column("identity")
            // A generated column's expression is where a default would be.
            let generated =
                try row.column("generated") as String == "s" ? defaultText.map(SchemaText.withoutOuterParentheses) : nil
            // A serial column's nextval() default is how PostgreSQL assigned keys before identity.
            let serial = defaultText?.hasPrefix("nextval(") == true
            // format_type writes an array of any dimensions as `integer[]`: a declared
            // `integer[][]` is kept as written, an array of arrays (`[[Int32]]`).
            var typeText: String = try row.column("type")
            let dimensions: Int64 = try row.column("dimensions")
            if dimensions > 1 { typeText += String(repeating: "[]", count: Int(dimensions) - 1) }
            tables[rel]?.columns.append(
                ColumnDefinition(
                    try row.column("name"),
                    type: SchemaText.columnType(typeText, dialect: .postgresql),
                    isNullable: !(try row.column("notnull")),
                    default: serial || generated != nil ? nil : defaultText.flatMap(SchemaText.columnDefault),
                    isIdentity: !identity.isEmpty || serial,
                    valueType: try (row.column("base_type") as String?).map {
                        SchemaText.columnType($0, dialect: .postgresql)
                    },
                    generated: generated
                )
            )
        }
        for row in try await db.all(
            SQL(
                """
                SELECT con.conrelid::int8 AS rel, con.conname::text AS name, con.contype::text AS kind,
                  array_to_json(ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o))::text AS columns,
                  array_to_json(ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o))::text AS targets,
                  fc.relname::text AS target, fn.nspname::text AS target_schema,
                  con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update,
                  pg_get_constraintdef(con.oid) AS definition
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
                WHERE n.nspname = \(namespace) AND con.contype IN ('p', 'u', 'f', 'c')
                ORDER BY con.conrelid, con.contype, con.conname
                """
            ).readOnly()
        ) {
            let rel: Int64 = try row.column("rel")
            guard tables[rel] != nil else { continue }
            let name: String = try row.column("name")
            let columns = try Self.names(try row.column("columns"))
            switch try row.column("kind") as String {
            case "p": tables[rel]?.primaryKey = columns
            case "u": tables[rel]?.uniqueConstraints.append(UniqueDefinition(name: name, columns: columns))
            case "f":
                let targetSchema: String? = try row.column("target_schema")
                tables[rel]?.foreignKeys.append(
                    ForeignKeyDefinition(
                        name: name,
                        columns: columns,
                        references: try row.column("target"),
                        schema: targetSchema == namespace ? nil : targetSchema,
                        columns: try Self.names(try row.column("targets")),
                        onDelete: Self.action(try row.column("on_delete")),
                        onUpdate: Self.action(try row.column("on_update"))
                    )
                )
            default:
                tables[rel]?.checks.append(CheckDefinition(name, Self.checkCondition(try row.column("definition"))))
            }
        }
        for row in try await db.all(
            SQL(
                """
                SELECT i.indrelid::int8 AS rel, ic.relname::text AS name, i.indisunique AS uq,
                  pg_get_expr(i.indpred, i.indrelid) AS predicate, am.amname::text AS method,
                  array_to_json(ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                    FROM generate_series(1, i.indnkeyatts) k ORDER BY k))::text AS columns
                FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = ic.relam
                WHERE n.nspname = \(namespace) AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
                ORDER BY i.indrelid, ic.relname
                """
            ).readOnly()
        ) {
            let rel: Int64 = try row.column("rel")
            tables[rel]?.indexes.append(
                IndexDefinition(
                    try row.column("name"),
                    columns: try Self.names(try row.column("columns")).map(Self.indexEntry),
                    isUnique: try row.column("uq"),
                    predicate: try row.column("predicate"),
                    method: IndexMethod(try row.column("method"))
                )
            )
        }
        var enumTypes: [String: [String]] = [:]
        for row in try await db.all(
            SQL(
                """
                SELECT t.typname::text AS name, array_to_json(array_agg(e.enumlabel::text ORDER BY e.enumsortorder))::text AS labels
                FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = \(namespace) GROUP BY t.typname
                """
            ).readOnly()
        ) {
            enumTypes[try row.column("name")] = try Self.names(try row.column("labels"))
        }
        return DatabaseSchema(tables: order.compactMap { tables[$0] }, enumTypes: enumTypes)
    }

    /// A JSON array of names, as `array_to_json(…)::text` gives it.
    static func names(_ json: String) throws -> [String] {
        (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]) ?? []
    }

    /// `"Name"` → `Name` for an index entry that is a quoted column name; expressions stay.
    static func indexEntry(_ entry: String) -> String {
        entry.hasPrefix("\"") && entry.hasSuffix("\"") && !entry.contains("(")
            ? String(entry.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") : entry
    }

    /// `CHECK ((x > 0))` → `x > 0`.
    static func checkCondition(_ definition: String) -> String {
        var text = definition.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix(" NOT VALID") { text = String(text.dropLast(10)) }
        if text.uppercased().hasPrefix("CHECK ") { text = String(text.dropFirst(6)) }
        return SchemaText.withoutOuterParentheses(text)
    }

    /// `pg_constraint`'s one-letter action codes.
    static func action(_ code: String) -> ForeignKey.Action? {
        switch code {
        case "c": .cascade
        case "n": .setNull
        case "d": .setDefault
        case "r": .restrict
        default: nil
        }
    }
}
