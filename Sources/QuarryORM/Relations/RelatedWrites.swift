public import QuarryCore
import QuarryEngine

// Writes through a relation: a parent inserted with its new children (SQLAlchemy's save-update
// cascade), and a parent's children replaced by a new list, the ones left out deleted
// (delete-orphan). Models are values, so the children are passed beside their parent.

extension Session {
    /// Inserts `parent` and then its new `children`, each child's foreign key set to the parent's
    /// new key: two statements (one multi-row `INSERT … RETURNING` for the children), in the
    /// session's transaction. Both are filled in with what the database assigned.
    ///
    /// ```swift
    /// var ada = User(name: "Ada", email: "ada@example.com")
    /// var posts = [Post(userId: 0, title: "Notes"), Post(userId: 0, title: "More")]
    /// try await session.insert(&ada, children: &posts, through: User.posts)
    /// // posts[0].userId == ada.id!, posts[0].id != nil
    /// ```
    /// - Throws: `DatabaseError`; `CompileError` `unknownColumn` for a relation whose key is no
    ///   column; what a model's `willInsert` hook throws (nothing is written).
    public func insert<Parent: Table, Child: Table>(
        _ parent: inout Parent,
        children: inout [Child],
        through relation: HasMany<Parent, Child>
    ) async throws {
        let (keyIndexes, foreignKeyIndexes) = try ChildLoader.keyIndexes(relation)
        var rows = children
        for index in rows.indices { try Hooks.willInsert(&rows[index]) }
        var inserted = parent
        try await self.insert(&inserted)
        let key = Self.key(of: inserted, at: keyIndexes)
        rows = try rows.map { try Self.child($0, setting: foreignKeyIndexes, to: key) }
        if !rows.isEmpty {
            rows = try await self.all(QuarryCore.insert(rows).returning())
            for row in rows { (row as? any ModelHooks)?.didInsert() }
        }
        parent = inserted
        children = rows
    }

    /// Makes `children` the whole of `parent`'s children through `relation`: the rows it had
    /// that are not in the list (by primary key) are deleted — orphans do not survive — new rows
    /// (no key yet) are added with the foreign key set, and rows it keeps are updated where they
    /// changed. The writes are queued for the next flush; hooks and cascades run as for
    /// `delete`, `add` and `update`.
    ///
    /// ```swift
    /// var posts = try await session.scalars(select(Post.self).where(\.userId == ada.id!))
    /// posts.removeFirst()                                  // deleted at the flush
    /// posts.append(Post(userId: 0, title: "New"))          // inserted, userId set
    /// try await session.replaceChildren(of: ada, through: User.posts, with: posts)
    /// try await session.commit()
    /// ```
    /// - Throws: `DatabaseError`; `CompileError` (a key that is no column, a child of the list
    ///   that belongs to another parent).
    public func replaceChildren<Parent: Table, Child: Table>(
        of parent: Parent,
        through relation: HasMany<Parent, Child>,
        with children: [Child]
    ) async throws {
        let (keyIndexes, foreignKeyIndexes) = try ChildLoader.keyIndexes(relation)
        let key = Self.key(of: parent, at: keyIndexes)
        let current = try await relation.children(of: [parent], on: self)[0]
        let kept = Set(children.compactMap(\.primaryKeyValues))
        for child in current where !kept.contains(child.primaryKeyValues ?? []) {
            try self.delete(child)
        }
        let known = Set(current.compactMap(\.primaryKeyValues))
        for child in children {
            guard let childKey = child.primaryKeyValues, known.contains(childKey) else {
                if child.primaryKeyValues != nil, Self.key(of: child, at: foreignKeyIndexes) != key {
                    throw CompileError(
                        .invalidValue,
                        "a \(Child.schema.name) row given to replaceChildren belongs to another \(Parent.schema.name)"
                    )
                }
                try self.add(try Self.child(child, setting: foreignKeyIndexes, to: key))
                continue
            }
            try self.update(child)
        }
    }

    /// The values of `row` at `indexes`: a key, one column or several.
    private static func key<T: Table>(of row: T, at indexes: [Int]) -> [DatabaseValue] {
        let values = row.databaseValues
        return indexes.map { values[$0] }
    }

    /// `child` with the columns at `indexes` set to `key` (its foreign key to its parent).
    private static func child<Child: Table>(
        _ child: Child,
        setting indexes: [Int],
        to key: [DatabaseValue]
    ) throws
        -> Child
    {
        var values = child.databaseValues
        guard indexes.map({ values[$0] }) != key else { return child }
        for (index, value) in zip(indexes, key) { values[index] = value }
        return try Child(row: Row(values: values, columns: ColumnNames(Child.schema.columns.map(\.name))))
    }
}
