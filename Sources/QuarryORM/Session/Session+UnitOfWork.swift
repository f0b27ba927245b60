import Foundation
public import QuarryCore
@_spi(Locking) import QuarryEngine
import Synchronization

extension Session {
    /// The row of `T` whose primary key is `id`, answered from the identity map without a query
    /// when this session already loaded it.
    ///
    /// ```swift
    /// let user = try await session.get(User.self, id: 42)    // nil when there is none
    /// ```
    /// - Throws: `DatabaseError`.
    public func get<T: Table, ID: DatabaseValueConvertible>(_ type: T.Type, id: ID) async throws -> T? {
        try await self.get(T.self, key: [id.databaseValue])
    }

    /// The row of `T` whose composite primary key is `key` (the values in the key columns'
    /// declaration order), from the identity map when this session already loaded it.
    ///
    /// ```swift
    /// let entry = try await session.get(PlaylistTrack.self, key: 1, 3402)
    /// ```
    /// - Throws: `DatabaseError`; `CompileError` `missingPrimaryKey` when the number of values
    ///   is not the key's.
    public func get<T: Table>(_ type: T.Type, key: any DatabaseValueConvertible...) async throws -> T? {
        try await self.get(T.self, key: key.map(\.databaseValue))
    }

    private func get<T: Table>(_ type: T.Type, key: [DatabaseValue]) async throws -> T? {
        let known = try self.state.withLockedValue { state in
            try state.checkOpen()
            return state.identityMap.model(T.self, primaryKey: key)
        }
        if let known { return known }
        // The same SQL for every key of the table: compiled once per engine.
        let dialect = self.dialect
        let compiled = try self.engine.templates.statement(.primaryKeySelect, of: T.self, binding: key) {
            try select(T.self).where(T.primaryKeyEquals($0)).compile(for: dialect)
        }
        return try await (self as any DatabaseExecutor).oneOrNone(compiled, logger: nil) { try T(row: $0) }
            .map(self.remember)
    }

    /// Inserts `model` now (after flushing queued writes) and fills in what the database assigned:
    /// the auto-increment primary key and server defaults (`RETURNING`).
    ///
    /// ```swift
    /// var post = Post(userId: 42, title: "Hi", body: "…")
    /// try await session.insert(&post)
    /// print(post.id!)
    /// ```
    /// - Throws: `DatabaseError` (for example `uniqueViolation` with the constraint
    ///   name); the transaction is then marked failed until ``rollback()``.
    public func insert<T: Table>(_ model: inout T) async throws {
        var row = model
        try Hooks.willInsert(&row)
        model = try await self.one(QuarryCore.insert(row).returning())
        (model as? any ModelHooks)?.didInsert()
    }

    /// Queues `model` for insertion at the next flush (SQLAlchemy's `session.add`). Queued rows are
    /// inserted parents first, whatever order they were added in.
    ///
    /// ```swift
    /// session.add(Post(id: 1, userId: 7, title: "child", body: ""))
    /// session.add(User(id: 7, name: "parent", email: "p@example.com"))
    /// try await session.commit()       // users row first, then posts
    /// ```
    /// - Throws: `CompileError` when a value cannot be stored (a NaN `Decimal`).
    public func add<T: Table>(_ model: T) throws {
        var model = model
        try Hooks.willInsert(&model)
        // The statement is compiled at the flush, with the table's other queued rows.
        let values = model.databaseValues
        let schema = T.schema
        let columns = schema.columns
        var omitted: UInt64 = 0
        var wideOmitted: [Bool]? = columns.count > 64 ? [] : nil
        for (i, value) in values.enumerated() {
            if value.isUnstorable { throw CompileError.nanDecimal }
            let isOmitted =
                value.isNull && (columns[i].isAutoIncrement || (columns[i].hasServerDefault && columns[i].isNullable))
            if isOmitted, i < 64 { omitted |= 1 << UInt64(i) }
            wideOmitted?.append(isOmitted)
        }
        self.enqueue(
            PendingWrite(
                kind: .insert,
                table: schema.name,
                referencedTables: schema.referencedTables,
                statement: nil,
                expectsOneRow: false,
                record: { map, result in
                    map.reserveCapacity(map.count + result.rows.count)
                    for row in result.rows { map.register(try T(row: row)) }
                },
                completed: Hooks.afterInsert(T.self),
                batch: InsertBatch(
                    key: InsertBatch.Key(table: ObjectIdentifier(T.self), omitted: omitted, wideOmitted: wideOmitted),
                    model: model,
                    compile: { models, dialect, returning in
                        func chunks(_ statement: some Statement) throws -> [CompiledStatement] {
                            try statement.compiledChunks(for: dialect) ?? [statement.compile(for: dialect)]
                        }
                        let statement = QuarryCore.insert(models.compactMap { $0 as? T })
                        return try returning ? chunks(statement.returning()) : chunks(statement)
                    }
                )
            )
        )
    }

    /// Queues an `UPDATE` of `model`, by primary key, at the next flush. When this session loaded
    /// the row, only the columns whose values changed are written (nothing at all when none did);
    /// otherwise every column is.
    ///
    /// ```swift
    /// var user = try await session.get(User.self, id: 42)!
    /// user.name = "Ada L."
    /// try session.update(user)     // UPDATE "users" SET "name" = $1 WHERE "id" = $2
    /// ```
    /// - Throws: `CompileError` when the model has no primary-key value.
    public func update<T: Table>(_ model: T) throws {
        guard let key = model.primaryKeyValues else {
            throw CompileError(.missingPrimaryKey, "update(_:) needs a \(T.schema.name) row with a primary-key value")
        }
        let loaded = self.state.withLockedValue { $0.identityMap.values(of: model) }
        let columns = T.schema.columns
        // What the model changed; the version and update time follow a change, never make one
        // (nor does the willUpdate hook, which runs only for a row that changed). A generated
        // column is the database's to change.
        func changes(_ values: [DatabaseValue]) -> [Int] {
            columns.indices.filter { i in
                !columns[i].isPrimaryKey && !columns[i].isVersion && !columns[i].isUpdateTime && columns[i].isUpdatable
                    && (loaded.map { $0[i] != values[i] } ?? true)
            }
        }
        guard !changes(model.databaseValues).isEmpty else { return }
        var model = model
        try Hooks.willUpdate(&model)
        guard model.primaryKeyValues == key else {
            throw CompileError(.invalidValue, "the willUpdate hook of \(T.schema.name) changed the row's primary key")
        }
        var values = model.databaseValues
        let changed = changes(values)
        let version = try Self.versionCheck(model)
        if let version { values[version.index] = .integer(version.read + 1) }
        let now = Date()
        for i in columns.indices where columns[i].isUpdateTime { values[i] = .date(now) }
        let written =
            values == model.databaseValues
            ? model : try T(row: Row(values: values, columns: ColumnNames(columns.map(\.name))))
        var sql = SQL("UPDATE \(table: T.schema) SET ")
        let assigned = changed + columns.indices.filter { columns[$0].isVersion || columns[$0].isUpdateTime }
        for (n, i) in assigned.enumerated() {
            if n > 0 { sql.append(", ") }
            sql.append(
                columns[i].isSensitive
                    ? SQL("\(identifier: columns[i].name) = \(sensitive: values[i])")
                    : SQL("\(identifier: columns[i].name) = \(values[i])")
            )
        }
        sql.append(" WHERE ")
        sql.append(Self.keyCondition(T.self, key))
        try self.enqueueOneRowWrite(
            .update,
            sql,
            of: T.self,
            key: key,
            version: version,
            record: { [written] map, _ in map.register(written) },
            completed: Hooks.afterUpdate(written)
        )
    }

    /// Loads the row of `T` whose key is `id`, lets `change` modify it, and queues the `UPDATE` of
    /// what changed — a change that cannot be lost by forgetting to give the model back.
    ///
    /// ```swift
    /// let renamed = try await session.modify(User.self, id: 42) { $0.name = "Ada L." }
    /// try await session.commit()
    /// ```
    /// - Returns: The row as changed, or `nil` when there is none (nothing is queued).
    /// - Throws: `DatabaseError`; what `change` throws (nothing is queued).
    @discardableResult
    public func modify<T: Table, ID: DatabaseValueConvertible>(
        _ type: T.Type,
        id: ID,
        _ change: (inout T) throws -> Void
    ) async throws -> T? {
        guard var model = try await self.get(T.self, id: id) else { return nil }
        try change(&model)
        try self.update(model)
        return model
    }

    /// Queues a `DELETE` of `model`, by primary key, at the next flush (children before parents).
    /// A row of a soft-deleted table (`ColumnOption.softDelete`) is kept and marked deleted
    /// instead — `UPDATE … SET deleted_at = now` — unless `permanently` is `true`; its cascades
    /// (``CascadingDelete``) run only when it is deleted permanently.
    ///
    /// ```swift
    /// try session.delete(post)
    /// try await session.commit()
    /// ```
    /// - Throws: `CompileError` when the model has no primary-key value; what the model's
    ///   `willDelete` hook throws (nothing is queued).
    public func delete<T: Table>(_ model: T, permanently: Bool = false) throws {
        guard let key = model.primaryKeyValues else {
            throw CompileError(.missingPrimaryKey, "delete(_:) needs a \(T.schema.name) row with a primary-key value")
        }
        try Hooks.willDelete(model)
        if !permanently, let deletedAt = T.schema.softDeleteIndex {
            return try self.markDeleted(model, key: key, column: T.schema.columns[deletedAt].name)
        }
        var cascaded: [CascadedDelete] = []
        for cascade in deleteCascades(of: T.self) {
            cascade.plan(Self.keyCondition(T.self, key), [T.schema.name], &cascaded)
        }
        for child in cascaded {
            let identifier = child.tableIdentifier
            self.enqueue(
                PendingWrite(
                    kind: .delete,
                    table: child.table,
                    referencedTables: child.referencedTables,
                    statement: try child.statement.compile(for: self.dialect),
                    expectsOneRow: false,
                    record: { map, _ in map.removeAll(of: identifier) }
                )
            )
        }
        var sql = SQL("DELETE FROM \(table: T.schema) WHERE ")
        sql.append(Self.keyCondition(T.self, key))
        try self.enqueueOneRowWrite(
            .delete,
            sql,
            of: T.self,
            key: key,
            version: try Self.versionCheck(model),
            record: { map, _ in map.remove(model) },
            completed: Hooks.afterDelete(model)
        )
    }

    /// Queues the soft delete of `model`: its delete time set, its version bumped when it has one;
    /// a row already marked deleted matches nothing (`noResult`).
    private func markDeleted<T: Table>(_ model: T, key: [DatabaseValue], column: String) throws {
        var sql = SQL("UPDATE \(table: T.schema) SET \(identifier: column) = \(DatabaseValue.date(Date()))")
        let version = try Self.versionCheck(model)
        if let version {
            sql.append(SQL(", \(identifier: T.schema.columns[version.index].name) = \(version.read + 1)"))
        }
        sql.append(" WHERE ")
        sql.append(Self.keyCondition(T.self, key))
        sql.append(SQL(" AND \(identifier: column) IS NULL"))
        try self.enqueueOneRowWrite(
            .update,
            sql,
            of: T.self,
            key: key,
            version: version,
            record: { map, _ in map.remove(model) },
            completed: Hooks.afterDelete(model)
        )
    }

    /// Queues `sql` — an `UPDATE` or `DELETE` of the one row of `T` whose key is `key`, up to the
    /// end of its `WHERE` clause — with the optimistic lock's condition when the row is versioned:
    /// a flush that matches no row then fails with `staleData` naming the table, key and version.
    private func enqueueOneRowWrite<T: Table>(
        _ kind: PendingWrite.Kind,
        _ sql: SQL,
        of type: T.Type,
        key: [DatabaseValue],
        version: (index: Int, read: Int64)?,
        record: @escaping @Sendable (inout IdentityMap, QueryResult) throws -> Void,
        completed: (@Sendable (QueryResult) throws -> Void)?
    ) throws {
        var sql = sql
        if let version { sql.append(SQL(" AND \(identifier: T.schema.columns[version.index].name) = \(version.read)")) }
        self.enqueue(
            PendingWrite(
                kind: kind,
                table: T.schema.name,
                referencedTables: T.schema.referencedTables,
                statement: try sql.compile(for: self.dialect),
                expectsOneRow: true,
                versionCheck: version.map { "\(T.schema.name) \(Self.describe(key)) at version \($0.read)" },
                record: record,
                completed: completed
            )
        )
    }

    /// Reloads `model` from the database (after flushing queued writes).
    ///
    /// ```swift
    /// try await session.refresh(&user)
    /// ```
    /// - Throws: `DatabaseError` `noResult` when the row no longer exists.
    public func refresh<T: Table>(_ model: inout T) async throws {
        guard let key = model.primaryKeyValues else {
            throw CompileError(.missingPrimaryKey, "refresh(_:) needs a \(T.schema.name) row with a primary-key value")
        }
        model = try await self.one(select(T.self).where(T.primaryKeyEquals(key)))
    }

    /// Sends queued writes to the database, in foreign-key order, inside the session's
    /// transaction (beginning one if needed). Nothing is committed yet.
    ///
    /// ```swift
    /// session.add(user)
    /// try await session.flush()
    /// ```
    /// - Throws: `DatabaseError`. A failed flush marks the transaction failed: the
    ///   session refuses further statements with a clear error until ``rollback()``.
    public func flush() async throws {
        try await self.flush(beforeCommit: false)
    }

    /// The flush; `beforeCommit` when ``commit()`` runs it: the identity map is cleared at the
    /// commit, so rows are not recorded in it, and inserts of models without `didInsert` hooks
    /// return no rows (models are values: nothing else reads what an `INSERT` returned).
    func flush(beforeCommit: Bool) async throws {
        try self.checkOpen()
        let writes = self.state.withLockedValue { state in
            defer { state.pending.removeAll() }
            return state.pending
        }
        guard !writes.isEmpty else { return }
        let connection = try await self.transactionConnection()
        let plan: [(PendingWrite, [CompiledStatement])]
        do {
            plan = try FlushPlan.batched(FlushPlan.order(writes), dialect: self.dialect, returning: !beforeCommit)
        } catch {
            self.markFailed(error)
            throw error
        }
        for (write, statements) in plan {
            do {
                for statement in statements.dropLast() {
                    let result = try await connection.run(statement, logger: self.logger)
                    if !beforeCommit { try self.state.withLockedValue { try write.record(&$0.identityMap, result) } }
                    try write.completed?(result)
                }
                let result = try await connection.run(statements.last!, logger: self.logger)
                if write.expectsOneRow, result.rowsAffected != 1, let expected = write.versionCheck {
                    throw DatabaseError(
                        .staleData,
                        message:
                            "\(write.kind == .update ? "UPDATE" : "DELETE") of \(expected) matched no row: another writer changed or deleted it since it was read; nothing was written",
                        sql: write.statement?.sql,
                        bindCount: write.statement?.binds.count ?? 0,
                        table: write.table
                    )
                }
                if write.expectsOneRow, result.rowsAffected != 1 {
                    throw DatabaseError(
                        .noResult,
                        message:
                            "\(write.kind == .update ? "UPDATE" : "DELETE") of \(write.table) matched \(result.rowsAffected) rows instead of one (was the row deleted?)",
                        sql: write.statement?.sql,
                        bindCount: write.statement?.binds.count ?? 0
                    )
                }
                if !beforeCommit { try self.state.withLockedValue { try write.record(&$0.identityMap, result) } }
                try write.completed?(result)
            } catch {
                self.state.withLockedValue { $0.pending.removeAll() }
                self.markFailed(error)
                throw error
            }
        }
    }

    private func enqueue(_ write: PendingWrite) {
        self.state.withLockedValue { $0.pending.append(write) }
    }

    /// The version column's position and the version `model` was read at, when `T` is versioned.
    private static func versionCheck<T: Table>(_ model: T) throws -> (index: Int, read: Int64)? {
        guard let index = T.schema.versionIndex else { return nil }
        guard case .integer(let read) = model.databaseValues[index] else {
            throw CompileError(.invalidValue, "the version column of \(T.schema.name) must hold an integer")
        }
        return (index, read)
    }

    /// `id 42`, `(playlist_id, track_id) (1, 3402)`: a key for messages (never a sensitive one).
    private static func describe(_ key: [DatabaseValue]) -> String {
        let values = key.map { value -> String in
            switch value {
            case .integer(let i): String(i)
            default: "<key>"
            }
        }
        return "key " + values.joined(separator: ", ")
    }

    /// `"a" = $1 AND "b" = $2` over the key columns of `T` (sensitive key values redacted).
    private static func keyCondition<T: Table>(_ type: T.Type, _ key: [DatabaseValue]) -> SQL {
        var condition = SQL("")
        for (n, index) in T.schema.primaryKeyIndexes.enumerated() {
            let column = T.schema.columns[index]
            if n > 0 { condition.append(" AND ") }
            condition.append(
                column.isSensitive
                    ? SQL("\(identifier: column.name) = \(sensitive: key[n])")
                    : SQL("\(identifier: column.name) = \(key[n])")
            )
        }
        return condition
    }
}
