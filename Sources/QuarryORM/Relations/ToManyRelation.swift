public import QuarryCore
public import QuarryEngine

/// A relation from one row to many that `including(all:)` loads for a list of parents, in one
/// statement per relation (more only past 5,000 parents, in chunks): ``HasMany`` and
/// ``ManyToMany``. Relations of either kind combine — several on one query, or one inside
/// another.
///
/// ```swift
/// let users = try await session.all(
///     select(User.self).including(all: User.posts).including(all: User.comments)
/// )
/// for (user, posts, comments) in users { print(user.name, posts.count, comments.count) }
/// ```
public protocol ToManyRelation<Parent, Child>: Sendable {
    /// The table the relation starts from.
    associatedtype Parent: Table
    /// The table of the related rows.
    associatedtype Child: Table

    /// Each parent's related rows, in the parents' order.
    /// - Throws: `DatabaseError`, `CompileError` (`unknownColumn` for a relation declared with
    ///   a key path that is no stored column).
    func children(of parents: [Parent], on executor: some DatabaseExecutor) async throws -> [[Child]]
}

/// A select that loads relations along with its rows (`including(all:)` in any of its forms): run
/// it with `all(_:)` on an engine, connection or session, or `.all()` in ``Session/gather(_:)``.
///
/// ```swift
/// let authors = try await session.all(select(User.self).including(all: User.posts))
/// ```
public protocol IncludingQuery<Row>: Sendable {
    /// One parent with what was loaded for it.
    associatedtype Row: Sendable
    /// Every parent, with its related rows.
    /// - Throws: `DatabaseError`, `CompileError`.
    func rows(on executor: some DatabaseExecutor) async throws -> [Row]
}

extension IncludingQuery {
    /// Every parent with its related rows (``Session/gather(_:)``).
    public func all() -> Fetch<[Row]> { Fetch { try await self.rows(on: $0) } }
}

extension DatabaseExecutor {
    /// Runs an `including(all:)` select: the parents, then the rows of each relation (one
    /// statement per relation and level).
    ///
    /// ```swift
    /// let authors = try await engine.all(select(User.self).including(all: User.posts))
    /// ```
    /// - Throws: `DatabaseError`, `CompileError`.
    public func all<Query: IncludingQuery>(_ query: Query) async throws -> [Query.Row] {
        try await query.rows(on: self)
    }
}

extension HasMany: ToManyRelation {
    public func children(of parents: [Parent], on executor: some DatabaseExecutor) async throws -> [[Child]] {
        try await ChildLoader.children(of: parents, self, on: executor)
    }
}

extension ChildLoader {
    /// The largest number of parent keys bound in one `IN` list.
    static var chunkSize: Int { 5_000 }

    /// The position of `column` in `T`'s schema, or `unknownColumn`.
    static func index<T: Table>(of column: String, in table: T.Type) throws -> Int {
        guard let index = T.schema.columns.firstIndex(where: { $0.name == column }) else {
            throw CompileError(.unknownColumn, "\(T.schema.name) has no column \(column)")
        }
        return index
    }

    /// The distinct non-null values of the column at `index` of `rows`, in chunks of at most
    /// ``chunkSize`` (each one `IN` list).
    static func keyChunks<T: Table>(of rows: [T], at index: Int) -> [[DatabaseValue]] {
        var keys: [DatabaseValue] = []
        var seen: Set<DatabaseValue> = []
        for row in rows {
            let key = row.databaseValues[index]
            if !key.isNull, seen.insert(key).inserted { keys.append(key) }
        }
        return stride(from: 0, to: keys.count, by: self.chunkSize).map {
            Array(keys[$0..<min(keys.count, $0 + self.chunkSize)])
        }
    }
}
