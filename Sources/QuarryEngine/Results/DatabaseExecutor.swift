public import Logging
public import QuarryCore

/// Something statements run on: an ``Engine`` (a pooled connection per statement), a
/// ``Connection`` or a transaction. The result methods are SQLAlchemy's, typed.
///
/// ```swift
/// let user = try await engine.oneOrNone(select(User.self).where(\.id == 42))
/// let posts = try await engine.all(select(Post.self).where(\.userId == 42))
/// let n = try await engine.scalar(select(count(), from: Post.self))
/// ```
public protocol DatabaseExecutor {
    /// The SQL dialect statements are compiled for.
    var dialect: Dialect { get }
    /// Runs a compiled statement on a connection this executor chooses (by the statement's
    /// `StatementKind`) and reads its rows with `reader`: the one primitive every
    /// executor implements; everything else is written once, in extensions, over it.
    /// - Throws: `DatabaseError`, or what the reader's closure throws.
    func execute<R>(_ compiled: CompiledStatement, logger: Logger?, reading reader: RowReader<R>) async throws -> R

    /// Runs `body` so that the statements it runs apply together or not at all: in a transaction
    /// (an `Engine` or a `Connection` opens one, or a savepoint inside one), or as they are on an
    /// executor that is already transactional (a `Session`). Used to run a split statement.
    func atomically<R>(_ body: (any DatabaseExecutor) async throws -> R) async throws -> R
}

extension DatabaseExecutor {
    /// Runs `body` on this executor as it is (for executors whose writes are already in a transaction).
    public func atomically<R>(_ body: (any DatabaseExecutor) async throws -> R) async throws -> R {
        try await body(self)
    }

    /// Runs a compiled statement and collects its rows.
    /// - Throws: `DatabaseError`.
    public func run(_ compiled: CompiledStatement, logger: Logger?) async throws -> QueryResult {
        try await self.execute(compiled, logger: logger, reading: .rows)
    }

    /// Runs a compiled statement and decodes every row with `decode` as it is read.
    /// - Throws: `DatabaseError`, or what `decode` throws.
    public func runDecoding<T: Sendable>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        _ decode: @escaping @Sendable (Row) throws -> T
    ) async throws -> [T] {
        try await self.execute(compiled, logger: logger, reading: .decoded(decode))
    }

    /// Runs a compiled statement and streams its rows to `body`.
    /// - Throws: `DatabaseError`, or what `body` throws.
    public func withRows<R>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        _ body: @escaping (RowCursor) async throws -> R
    ) async throws -> R {
        try await self.execute(compiled, logger: logger, reading: .streamed(body))
    }

    /// Runs a statement that returns no rows (or ignores them).
    /// - Returns: The number of rows inserted, updated or deleted.
    /// - Throws: `DatabaseError` (constraint violations carry the constraint name);
    ///   `CompileError` when the statement cannot be compiled.
    @discardableResult
    public func execute(_ statement: some Statement, logger: Logger? = nil) async throws -> Int {
        if let parts = try statement.compiledChunks(for: self.dialect) {
            // More values than one statement may bind: the parts, together or not at all.
            return try await self.atomically { executor in
                var affected = 0
                for part in parts { affected += try await executor.run(part, logger: logger).rowsAffected }
                return affected
            }
        }
        return try await self.run(statement.compile(for: self.dialect), logger: logger).rowsAffected
    }

    /// Every row, decoded.
    /// - Throws: `DatabaseError`, `CompileError`.
    public func all<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> [S.Output] {
        if let parts = try statement.compiledChunks(for: self.dialect) {
            return try await self.atomically { executor in
                var rows: [S.Output] = []
                for part in parts {
                    rows += try await executor.runDecoding(part, logger: logger) { try statement.decode($0) }
                }
                return rows
            }
        }
        return try await self.runDecoding(statement.compile(for: self.dialect), logger: logger) {
            try statement.decode($0)
        }
    }

    /// Exactly one row.
    /// - Throws: `DatabaseError` `noResult` for zero rows, `multipleResults` for several.
    public func one<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> S.Output {
        let compiled = try statement.compile(for: self.dialect)
        let rows = try await self.run(compiled, logger: logger).rows
        guard rows.count == 1 else {
            throw rows.isEmpty
                ? DatabaseError(
                    .noResult,
                    message: "No row was found when one was required",
                    sql: compiled.sql,
                    bindCount: compiled.binds.count
                )
                : DatabaseError(
                    .multipleResults,
                    message: "\(rows.count) rows were found when exactly one was required",
                    sql: compiled.sql,
                    bindCount: compiled.binds.count
                )
        }
        return try statement.decode(rows[0])
    }

    /// One row or `nil`.
    /// - Throws: `DatabaseError` `multipleResults` for several rows.
    public func oneOrNone<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> S.Output? {
        try await self.oneOrNone(statement.compile(for: self.dialect), logger: logger, decode: statement.decode)
    }

    /// One row of an already compiled statement, decoded, or `nil`.
    /// - Throws: `DatabaseError` `multipleResults` for several rows.
    package func oneOrNone<T>(
        _ compiled: CompiledStatement,
        logger: Logger?,
        decode: (Row) throws -> T
    ) async throws -> T? {
        let rows = try await self.run(compiled, logger: logger).rows
        guard rows.count <= 1 else {
            throw DatabaseError(
                .multipleResults,
                message: "\(rows.count) rows were found when at most one was allowed",
                sql: compiled.sql,
                bindCount: compiled.binds.count
            )
        }
        return try rows.first.map(decode)
    }

    /// The first row, or `nil`; further rows are ignored.
    /// - Throws: `DatabaseError`.
    public func first<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> S.Output? {
        try await self.run(statement.compile(for: self.dialect), logger: logger).rows.first.map(statement.decode)
    }

    /// The value of the first row (`select(count(), from: …)`).
    /// - Throws: `DatabaseError` `noResult` when there is no row.
    public func scalar<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> S.Output {
        let compiled = try statement.compile(for: self.dialect)
        guard let row = try await self.run(compiled, logger: logger).rows.first else {
            throw DatabaseError(
                .noResult,
                message: "The scalar query returned no row",
                sql: compiled.sql,
                bindCount: compiled.binds.count
            )
        }
        return try statement.decode(row)
    }

    /// Every row, decoded (SQLAlchemy's `scalars().all()`).
    public func scalars<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> [S.Output] {
        try await self.all(statement, logger: logger)
    }

    /// One row or `nil` (SQLAlchemy's `scalar_one_or_none()`).
    /// - Throws: `DatabaseError` `multipleResults` for several rows.
    public func scalarOneOrNone<S: RowProducing>(_ statement: S, logger: Logger? = nil) async throws -> S.Output? {
        try await self.oneOrNone(statement, logger: logger)
    }

    /// Streams the rows to `body` as they arrive, holding one connection, with memory bounded by a
    /// small buffer whatever the result size.
    ///
    /// ```swift
    /// try await engine.stream(select(Post.self)) { posts in
    ///     for try await post in posts { … }
    /// }
    /// ```
    /// - Throws: `DatabaseError`, or what `body` throws.
    public func stream<S: RowProducing, R>(
        _ statement: S,
        logger: Logger? = nil,
        _ body: @escaping (RowStream<S.Output>) async throws -> R
    ) async throws -> R {
        try await self.withRows(statement.compile(for: self.dialect), logger: logger) { cursor in
            try await body(RowStream(cursor: cursor, decode: statement.decode))
        }
    }
}
