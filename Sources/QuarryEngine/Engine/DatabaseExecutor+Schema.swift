public import Logging
public import QuarryCore

extension DatabaseExecutor {
    /// Creates the tables of `tables` with their indexes, parents before children, skipping those
    /// that exist (SQLAlchemy's `metadata.create_all`).
    ///
    /// ```swift
    /// try await engine.createAll(User.self, Post.self)
    /// ```
    /// - Throws: `DatabaseError` from the database.
    public func createAll(_ tables: any Table.Type..., logger: Logger? = nil) async throws {
        try await self.createAll(tables, logger: logger)
    }

    /// Creates the tables of a list built at run time (a schema's table list), as
    /// the variadic `createAll` does.
    ///
    /// ```swift
    /// let schema: [any Table.Type] = [User.self, Post.self]
    /// try await engine.createAll(schema)
    /// ```
    /// - Throws: `DatabaseError` from the database.
    public func createAll(_ tables: [any Table.Type], logger: Logger? = nil) async throws {
        for table in SchemaOrder.sorted(tables) {
            try await self.createTableAndIndexes(table, logger: logger)
        }
    }

    /// Drops the tables of `tables` if they exist, children before parents.
    ///
    /// ```swift
    /// try await engine.dropAll(User.self, Post.self)
    /// ```
    /// - Throws: `DatabaseError` from the database.
    public func dropAll(_ tables: any Table.Type..., logger: Logger? = nil) async throws {
        try await self.dropAll(tables, logger: logger)
    }

    /// Drops the tables of a list built at run time, as the variadic `dropAll` does.
    ///
    /// ```swift
    /// let schema: [any Table.Type] = [User.self, Post.self]
    /// try await engine.dropAll(schema)
    /// ```
    /// - Throws: `DatabaseError` from the database.
    public func dropAll(_ tables: [any Table.Type], logger: Logger? = nil) async throws {
        for table in SchemaOrder.sorted(tables).reversed() {
            try await self.execute(
                DropTable(table: table.schema.name, schema: table.schema.schemaName, ifExists: true),
                logger: logger
            )
        }
    }

    private func createTableAndIndexes<T: Table>(_ table: T.Type, logger: Logger?) async throws {
        try await self.execute(createTable(T.self, ifNotExists: true), logger: logger)
        for index in createIndexes(T.self, ifNotExists: true) { try await self.execute(index, logger: logger) }
    }
}

/// Orders tables so that every table comes after the tables it references.
enum SchemaOrder {
    static func sorted(_ tables: [any Table.Type]) -> [any Table.Type] {
        var remaining = tables
        var done: Set<String> = []
        var ordered: [any Table.Type] = []
        let names = Set(tables.map { $0.schema.name })
        while !remaining.isEmpty {
            let index =
                remaining.firstIndex { table in
                    table.schema.referencedTables.allSatisfy {
                        !names.contains($0) || done.contains($0) || $0 == table.schema.name
                    }
                } ?? 0  // a reference cycle: keep declaration order
            let table = remaining.remove(at: index)
            done.insert(table.schema.name)
            ordered.append(table)
        }
        return ordered
    }
}
