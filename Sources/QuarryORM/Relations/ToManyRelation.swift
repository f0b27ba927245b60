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

    /// The positions of a relation's key columns in the parent and in the child, or a
    /// `CompileError` when one is no column or the two lists differ in length.
    static func keyIndexes<Parent: Table, Child: Table>(
        _ relation: HasMany<Parent, Child>
    ) throws -> (parent: [Int], child: [Int]) {
        let parent = try relation.parentKeys.map { try self.index(of: $0, in: Parent.self) }
        let child = try relation.foreignKeys.map { try self.index(of: $0, in: Child.self) }
        guard parent.count == child.count else {
            throw CompileError(
                .invalidValue,
                "\(Child.schema.name)'s key (\(relation.foreignKeys.joined(separator: ", "))) does not match \(Parent.schema.name)'s (\(relation.parentKeys.joined(separator: ", ")))"
            )
        }
        return (parent, child)
    }

    /// The distinct keys (the values at `indexes`; none of them null) of `rows`, in chunks of at
    /// most ``chunkSize`` (each one `IN` list).
    static func keyChunks<T: Table>(of rows: [T], at indexes: [Int]) -> [[[DatabaseValue]]] {
        var keys: [[DatabaseValue]] = []
        var seen: Set<[DatabaseValue]> = []
        for row in rows {
            let values = row.databaseValues
            let key = indexes.map { values[$0] }
            if !key.contains(where: \.isNull), seen.insert(key).inserted { keys.append(key) }
        }
        return stride(from: 0, to: keys.count, by: self.chunkSize).map {
            Array(keys[$0..<min(keys.count, $0 + self.chunkSize)])
        }
    }

    /// `columns IN (keys…)`: one column against values, or a row of columns against rows.
    static func keyIn(_ columns: [SQLNode], _ keys: [[DatabaseValue]]) -> SQLExpression<Bool> {
        func node(_ items: [SQLNode]) -> SQLNode { items.count == 1 ? items[0] : .row(items) }
        return SQLExpression(.inList(node(columns), keys.map { node($0.map { .bind($0) }) }, negated: false))
    }
}

/// `a.x = b.y AND …` over pairs of columns: the join condition of a relation (one pair, or one
/// per column of a composite key).
func columnsEqual(
    _ table: String,
    _ columns: [String],
    _ otherTable: String,
    _ otherColumns: [String]
)
    -> SQLExpression<Bool>
{
    guard columns.count == otherColumns.count, !columns.isEmpty else {
        return SQLExpression(
            .invalid("\(table)'s key (\(columns.joined(separator: ", "))) does not match \(otherTable)'s")
        )
    }
    return zip(columns, otherColumns).map { column, other in
        SQLExpression<DatabaseValue>(.column(table: table, name: column))
            == SQLExpression<DatabaseValue>(.column(table: otherTable, name: other))
    }.reduce(nil) { (all: SQLExpression<Bool>?, next) in all.map { $0 && next } ?? next }!
}
