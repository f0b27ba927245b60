public import QuarryCore

extension DatabaseExecutor {
    /// Reads the live database's schema: tables (`quarry_migrations` and the database's own
    /// excepted), columns with types, nullability, defaults and identity, primary keys, unique
    /// constraints, indexes (partial and, on PostgreSQL, expression indexes), foreign keys with
    /// their actions, named checks, and PostgreSQL enum types — from `pg_catalog` on PostgreSQL
    /// (the connection's current schema, or `schema`), from `sqlite_master` and the table pragmas
    /// on SQLite.
    ///
    /// ```swift
    /// let schema = try await engine.introspect()
    /// for table in schema.tables { print(table.name, table.columns.map(\.name)) }
    /// ```
    /// - Parameters:
    ///   - tables: only these tables (all when `nil`).
    ///   - schema: the PostgreSQL schema to read (`nil`: the connection's current schema; ignored on SQLite).
    /// - Throws: `DatabaseError` from the database.
    public func introspect(tables: [String]? = nil, schema: String? = nil) async throws -> DatabaseSchema {
        var result: DatabaseSchema
        if self.dialect == .postgresql {
            result = try await PostgresIntrospection.read(self, schema: schema)
        } else {
            result = try await SQLiteIntrospection.read(self)
        }
        result.tables.removeAll { $0.name == "quarry_migrations" }
        if let tables {
            let wanted = Set(tables)
            result.tables.removeAll { !wanted.contains($0.name) }
        }
        return result
    }
}

extension Row {
    /// The value of the column `name`, its type inferred (catalog rows are read by name).
    func column<T: DatabaseValueConvertible>(_ name: String) throws -> T { try self.decode(T.self, name) }
}
