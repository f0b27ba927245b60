/// An `INSERT` of one or more model rows, with optional upsert and `RETURNING`.
///
/// ```swift
/// try await engine.execute(insert(User(name: "Ada", email: "ada@example.com")))
/// let saved = try await engine.one(insert(draft).returning())          // id filled in
/// try await engine.execute(insert(user).onConflict(\.email).doUpdate(\.name))
/// ```
public struct Insert<T: Table>: Statement {
    let rows: [T]
    var conflict: ConflictClause?
    var returningColumns: [SQLNode] = []
    /// Set when `onConflict` or `doUpdate` was given a key path that is not a stored column:
    /// compiling then throws `unknownColumn` instead of writing some other column.
    var invalidKeyPath: String?

    /// The column names of `keyPaths`; one that is not a stored column is remembered as an error.
    mutating func columnNames(_ keyPaths: [PartialKeyPath<T>]) -> [String] {
        keyPaths.compactMap { keyPath in
            guard let name = T.columnName(for: keyPath) else {
                self.invalidKeyPath = T.notAColumn(keyPath)
                return nil
            }
            return name
        }
    }

    struct ConflictClause: Sendable {
        var target: [String]
        var updates: [String]?  // nil → DO NOTHING
    }

    /// The rows split so that each `INSERT` binds at most `dialect.maximumBindCount` values (every
    /// column of every row counted), compiled; `nil` when they fit in one.
    public func compiledChunks(for dialect: Dialect) throws -> [CompiledStatement]? {
        let perRow = max(T.schema.columns.count, 1)
        guard self.rows.count * perRow > dialect.maximumBindCount else { return nil }
        let rowsPerChunk = max(dialect.maximumBindCount / perRow, 1)
        return try stride(from: 0, to: self.rows.count, by: rowsPerChunk).map { start in
            let part = Insert(
                rows: Array(self.rows[start..<min(start + rowsPerChunk, self.rows.count)]),
                conflict: self.conflict,
                returningColumns: self.returningColumns,
                invalidKeyPath: self.invalidKeyPath
            )
            return try part.compile(for: dialect)
        }
    }

    public func compile(into builder: inout SQLBuilder) throws {
        let schema = T.schema
        if let invalidKeyPath = self.invalidKeyPath { throw CompileError(.unknownColumn, invalidKeyPath) }
        guard !self.rows.isEmpty else {
            throw CompileError(.emptyStatement, "INSERT into \(schema.name) has no rows")
        }
        let valueRows = self.rows.map(\.databaseValues)
        let included = Self.includedColumns(valueRows)
        guard valueRows.count * included.count <= builder.dialect.maximumBindCount else {
            throw CompileError(
                .tooManyBinds,
                "INSERT into \(schema.name) binds \(valueRows.count * included.count) values; \(builder.dialect) allows \(builder.dialect.maximumBindCount)"
            )
        }
        builder.append("INSERT INTO ")
        builder.appendTable(schema.name, schema: schema.schemaName)
        if included.isEmpty {
            builder.append(" DEFAULT VALUES")
        } else {
            builder.append(" (")
            builder.appendList(included) { $0.appendIdentifier(schema.columns[$1].name) }
            builder.append(") VALUES ")
            builder.appendList(valueRows) { b, values in
                b.append("(")
                b.appendList(included) { $0.appendBind(values[$1], sensitive: schema.columns[$1].isSensitive) }
                b.append(")")
            }
        }
        if let conflict = self.conflict {
            builder.append(" ON CONFLICT (")
            builder.appendList(conflict.target) { $0.appendIdentifier($1) }
            builder.append(")")
            if let updates = conflict.updates, !updates.isEmpty {
                builder.append(" DO UPDATE SET ")
                builder.appendList(updates) { b, name in
                    b.appendIdentifier(name)
                    b.append(" = excluded.")
                    b.appendIdentifier(name)
                }
            } else {
                builder.append(" DO NOTHING")
            }
        }
        appendReturning(self.returningColumns, into: &builder)
    }

    /// The positions of the columns an insert of `valueRows` writes: an auto-increment key, or a
    /// column with a server default, left nil in every row is omitted so the database assigns it
    /// (RETURNING reads it back); a generated column always is.
    static func includedColumns(_ valueRows: [[DatabaseValue]]) -> [Int] {
        let schema = T.schema
        return schema.columns.indices.filter { i in
            let column = schema.columns[i]
            return column.isWritable
                && !((column.isAutoIncrement || (column.hasServerDefault && column.isNullable))
                    && valueRows.allSatisfy { $0[i].isNull })
        }
    }

    /// `ON CONFLICT (columns)`: follow with ``ConflictTarget/doUpdate(_:)`` or ``ConflictTarget/doNothing()``.
    public func onConflict(_ columns: PartialKeyPath<T>...) -> ConflictTarget<T> {
        var insert = self
        let target = insert.columnNames(columns)
        return ConflictTarget(insert: insert, target: target)
    }

    /// Adds `RETURNING *` and decodes the inserted rows (keys and server defaults filled in).
    public func returning() -> Returning<Insert<T>, T> {
        var copy = self
        copy.returningColumns = modelColumns(T.self)
        return Returning(base: copy) { try T(row: $0) }
    }
}

/// The conflict target of an upsert.
public struct ConflictTarget<T: Table>: Sendable {
    let insert: Insert<T>
    let target: [String]

    /// `DO UPDATE SET c = excluded.c` for each given column.
    public func doUpdate(_ columns: PartialKeyPath<T>...) -> Insert<T> {
        var insert = self.insert
        let names = insert.columnNames(columns)
        insert.conflict = .init(target: self.target, updates: names)
        return insert
    }

    /// `DO UPDATE SET` every column that is not part of the conflict target or the primary key.
    public func doUpdateAll() -> Insert<T> {
        var insert = self.insert
        let names = T.schema.columns.filter { !$0.isPrimaryKey && $0.isUpdatable && !self.target.contains($0.name) }
            .map(\.name)
        insert.conflict = .init(target: self.target, updates: names)
        return insert
    }

    /// `DO NOTHING`
    public func doNothing() -> Insert<T> {
        var insert = self.insert
        insert.conflict = .init(target: self.target, updates: nil)
        return insert
    }
}

/// `INSERT` one row.
public func insert<T: Table>(_ row: T) -> Insert<T> { Insert(rows: [row]) }

/// `INSERT` several rows in one statement.
public func insert<T: Table>(_ rows: [T]) -> Insert<T> { Insert(rows: rows) }

func modelColumns<T: Table>(_ type: T.Type) -> [SQLNode] {
    T.schema.columns.map { $0.selected(from: nil) }
}

func appendReturning(_ returning: [SQLNode], into builder: inout SQLBuilder, qualifiedBy table: String? = nil) {
    guard !returning.isEmpty else { return }
    builder.append(" RETURNING ")
    // With other tables in the statement (UPDATE … FROM, DELETE … USING) PostgreSQL needs the
    // columns qualified; SQLite's RETURNING sees the modified table only.
    let columns =
        table.map { table in
            builder.dialect == .postgresql ? returning.map { $0.requalified { $0 ?? table } } : returning
        } ?? returning
    // Returning lists hold plain columns (some cast to text) only, which never throw.
    try? builder.appendList(columns) { try $0.append($1) }
}
