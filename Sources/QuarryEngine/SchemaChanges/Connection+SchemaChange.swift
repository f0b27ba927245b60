public import QuarryCore

extension Connection {
    /// Makes one schema change: in place where the database can, by SQLite's documented table
    /// rebuild where it cannot (see `SchemaChange`). Run it inside
    /// ``Engine/withSchemaTransaction(retries:_:)`` (migrations do), so a rebuild runs with
    /// SQLite's foreign keys off and is checked before the commit.
    ///
    /// ```swift
    /// try await engine.withSchemaTransaction { tx in
    ///     try await tx.apply(.dropColumn("users", ColumnDefinition("nickname", type: .text, isNullable: true)))
    /// }
    /// ```
    /// - Throws: `DatabaseError` from the database (a constraint the existing rows violate:
    ///   `foreignKeyViolation`, `checkViolation`, `uniqueViolation`, `notNullViolation`); `CompileError`
    ///   when the change names something the table does not have.
    public func apply(_ change: SchemaChange) async throws {
        if let statements = change.sql(for: self.dialect) {
            for statement in statements { try await self.execute(SQL(unsafeRaw: statement)) }
            return
        }
        guard let name = change.tableName else { return }
        let schema = try await self.introspect(tables: [name])
        guard let current = schema.tables.first else {
            throw CompileError(.unknownColumn, "table \(name) does not exist")
        }
        try await self.rebuildSQLiteTable(from: current, to: try current.applying(change))
    }

    /// Applies `changes` in order.
    ///
    /// ```swift
    /// try await tx.apply([.renameTable("people", to: "users")])
    /// ```
    public func apply(_ changes: [SchemaChange]) async throws {
        for change in changes { try await self.apply(change) }
    }

    /// SQLite's twelve-step rebuild, in the caller's transaction: every trigger and view is
    /// saved and dropped (a rename checks them all), the table rebuilt with its rows, then the
    /// triggers and views recreated.
    func rebuildSQLiteTable(from old: TableDefinition, to new: TableDefinition) async throws {
        let foreignKeysOn = try await self.scalar(SQLQuery<Int>("PRAGMA foreign_keys"))
        guard foreignKeysOn == 0 else {
            throw DatabaseError(
                .transactionRequired,
                message:
                    "Rebuilding SQLite table \(old.name) needs foreign keys off: run the change in engine.withSchemaTransaction or a migration"
            )
        }
        let saved = try await self.all(
            SQL(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') AND sql IS NOT NULL ORDER BY type DESC"
            )
        )
        for object in saved {
            let type: String = try object.decode(String.self, "type")
            let name: String = try object.decode(String.self, "name")
            try await self.execute(
                SQL(
                    unsafeRaw:
                        "DROP \(type == "view" ? "VIEW" : "TRIGGER") IF EXISTS \"\(name.replacing("\"", with: "\"\""))\""
                )
            )
        }
        for statement in new.rebuildSQL(from: old, for: .sqlite) { try await self.execute(SQL(unsafeRaw: statement)) }
        for object in saved.reversed() { try await self.execute(SQL(unsafeRaw: try object.decode(String.self, "sql"))) }
    }
}
