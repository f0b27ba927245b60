import QuarryCore

/// Reads a SQLite schema from `sqlite_master` and the `pragma_*` table functions.
enum SQLiteIntrospection {
    static func read(_ db: some DatabaseExecutor) async throws -> DatabaseSchema {
        let tables = try await db.all(
            SQL(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).readOnly()
        )
        var definitions: [TableDefinition] = []
        for row in tables {
            let name: String = try row.column("name")
            let sql: String = try row.column("sql")
            definitions.append(try await self.table(name, createSQL: sql, db))
        }
        return DatabaseSchema(tables: definitions)
    }

    static func table(_ name: String, createSQL: String, _ db: some DatabaseExecutor) async throws -> TableDefinition {
        let columnRows = try await db.all(
            // table_xinfo, not table_info: it lists generated columns too (hidden 2 and 3).
            SQL(
                "SELECT name, type, \"notnull\" AS nn, dflt_value, pk, hidden FROM pragma_table_xinfo(\(name)) WHERE hidden IN (0, 2, 3) ORDER BY cid"
            )
            .readOnly()
        )
        var columns: [ColumnDefinition] = []
        var keyed: [(Int, String)] = []
        let autoincrement = SchemaText.declaresAutoincrement(createSQL)
        let hasRowid = !SchemaText.declaresWithoutRowid(createSQL)
        for row in columnRows {
            let column: String = try row.column("name")
            let declared: String = try row.column("type")
            let key: Int = try row.column("pk")
            let defaultText: String? = try row.column("dflt_value")
            let hidden: Int = try row.column("hidden")
            if key > 0 { keyed.append((key, column)) }
            columns.append(
                ColumnDefinition(
                    column,
                    type: SchemaText.columnType(declared, dialect: .sqlite),
                    isNullable: try row.column("nn") as Int == 0 && key == 0,
                    default: defaultText.flatMap(SchemaText.columnDefault),
                    // An INTEGER PRIMARY KEY is the rowid, which SQLite assigns (AUTOINCREMENT
                    // only keeps it from reusing numbers).
                    isIdentity: key > 0 && (autoincrement || (declared.uppercased() == "INTEGER" && hasRowid)),
                    generated: hidden == 0 ? nil : SchemaText.generatedExpression(of: column, inCreateTable: createSQL)
                )
            )
        }
        let primaryKey = keyed.sorted { $0.0 < $1.0 }.map(\.1)
        if primaryKey.count != 1 {
            for i in columns.indices { columns[i].isIdentity = false }
        }
        var uniques: [UniqueDefinition] = []
        var indexes: [IndexDefinition] = []
        let indexRows = try await db.all(
            SQL(
                "SELECT l.name, l.\"unique\" AS uq, l.origin, m.sql FROM pragma_index_list(\(name)) l LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name ORDER BY l.name"
            ).readOnly()
        )
        for row in indexRows {
            let index: String = try row.column("name")
            let origin: String = try row.column("origin")
            let columnsOfIndex = try await db.all(
                SQL("SELECT name FROM pragma_index_info(\(index)) ORDER BY seqno").readOnly()
            ).map { try $0.decode(String?.self, at: 0) }
            switch origin {
            case "u": uniques.append(UniqueDefinition(columns: columnsOfIndex.compactMap { $0 }))
            case "c":
                let sql: String = try row.column("sql")
                let parts = SchemaText.indexParts(sql)
                let entries = columnsOfIndex.enumerated().map { i, column in
                    column ?? (i < parts.entries.count ? parts.entries[i] : "")
                }
                indexes.append(
                    IndexDefinition(
                        index,
                        columns: entries,
                        isUnique: try row.column("uq") as Int == 1,
                        predicate: parts.predicate
                    )
                )
            default: continue  // "pk": the primary key
            }
        }
        let keyRows = try await db.all(
            SQL(
                "SELECT id, \"table\" AS target, \"from\" AS source, \"to\" AS destination, on_update, on_delete FROM pragma_foreign_key_list(\(name)) ORDER BY id, seq"
            ).readOnly()
        )
        var keysByID: [(Int, ForeignKeyDefinition)] = []
        for row in keyRows {
            let id: Int = try row.column("id")
            let source: String = try row.column("source")
            let destination: String? = try row.column("destination")
            if let last = keysByID.last, last.0 == id {
                keysByID[keysByID.count - 1].1.columns.append(source)
                keysByID[keysByID.count - 1].1.referencedColumns.append(destination ?? "")
                continue
            }
            keysByID.append(
                (
                    id,
                    ForeignKeyDefinition(
                        columns: [source],
                        references: try row.column("target"),
                        columns: [destination ?? ""],
                        onDelete: ForeignKey.Action(sql: try row.column("on_delete")),
                        onUpdate: ForeignKey.Action(sql: try row.column("on_update"))
                    )
                )
            )
        }
        // A key that names no columns references the target's primary key.
        var foreignKeys: [ForeignKeyDefinition] = []
        for (_, key) in keysByID.reversed() {
            var key = key
            if key.referencedColumns.contains("") {
                let targetKey = try await db.all(
                    SQL("SELECT name FROM pragma_table_info(\(key.referencedTable)) WHERE pk > 0 ORDER BY pk")
                        .readOnly()
                ).map { try $0.decode(String.self, at: 0) }
                if targetKey.count == key.columns.count { key.referencedColumns = targetKey }
            }
            foreignKeys.append(key)
        }
        return TableDefinition(
            name,
            columns: columns,
            primaryKey: primaryKey,
            uniqueConstraints: uniques,
            indexes: indexes,
            foreignKeys: foreignKeys,
            checks: SchemaText.namedChecks(inCreateTable: createSQL)
        )
    }
}
