public import QuarryCore
public import QuarryEngine

/// How `including(all:)` loads children.
public enum LoadStrategy: Sendable {
    /// One extra query, `WHERE child.fk IN (parent keys…)` (SQLAlchemy's `selectinload`): two
    /// statements whatever the number of parents (more only past 5,000 parents, in chunks).
    case selectIn
    /// One `LEFT JOIN` statement (SQLAlchemy's `joinedload`). A `limit` then counts joined rows,
    /// so prefer `.selectIn` for paging.
    case join
}

/// Parents selected together with all their children: run it with `all(_:)` on an engine,
/// connection or session, or `.all()` in ``Session/gather(_:)``.
///
/// ```swift
/// let authors = try await session.all(select(User.self).where(\.id < 10).including(all: User.posts))
/// ```
public struct IncludingAll<Parent: Table, Child: Table>: IncludingQuery {
    let parents: Select<Parent, Parent>
    let relation: HasMany<Parent, Child>
    let strategy: LoadStrategy

    public func rows(on executor: some DatabaseExecutor) async throws -> [WithChildren<Parent, Child>] {
        // A per-parent limit needs the ranking query of `.selectIn`.
        switch (self.strategy, self.relation.perParent) {
        case (.join, nil): return try await self.loadJoined(on: executor)
        default: return try await self.loadSelectIn(on: executor)
        }
    }

    private func loadSelectIn(on executor: some DatabaseExecutor) async throws -> [WithChildren<Parent, Child>] {
        let parents = try await executor.all(self.parents)
        let children = try await ChildLoader.children(of: parents, self.relation, on: executor)
        return zip(parents, children).map { WithChildren(parent: $0, children: $1) }
    }

    private func loadJoined(on executor: some DatabaseExecutor) async throws -> [WithChildren<Parent, Child>] {
        // A table related to itself (an employee's reports) joins its children under an alias;
        // the relation's own condition and order speak of the children, so they follow it.
        let isSelfRelation = Child.schema.name == Parent.schema.name
        let children = isSelfRelation ? "quarry_children" : Child.schema.name
        let condition = columnsEqual(children, self.relation.foreignKeys, Parent.schema.name, self.relation.parentKeys)
        let relationCondition = self.relation.condition.map {
            isSelfRelation ? SQLExpression<Bool>($0.sqlNode.realiased(Child.schema.name, as: children)) : $0
        }
        let on = relationCondition.map { condition && $0 } ?? condition
        var joined =
            isSelfRelation
            ? self.parents.leftJoin(TableAlias(Child.self, children), on: on)
            : self.parents.leftJoin(Child.self, on: on)
        if !self.relation.ordering.isEmpty {
            joined = joined.orderBy(
                self.relation.ordering.map { isSelfRelation ? $0.realiased(Child.schema.name, as: children) : $0 }
            )
        } else if let childKey = Child.schema.primaryKeyName {
            joined = joined.orderBy(SQLExpression<DatabaseValue>(.column(table: children, name: childKey)).asc)
        }
        let childKeyIndex = Child.schema.primaryKeyIndex
        let rows = try await executor.all(
            joined.appendingColumns(of: Child.self, alias: isSelfRelation ? children : nil) {
                parent,
                tail -> (Parent, Child?) in
                if let childKeyIndex, tail[childKeyIndex].isNull { return (parent, nil) }
                return (parent, try Child(row: tail))
            }
        )
        var result: [WithChildren<Parent, Child>] = []
        var position: [[DatabaseValue]: Int] = [:]
        for (parent, child) in rows {
            // A parent is known by its key (every column of a composite one), or all its values.
            let key = parent.primaryKeyValues ?? parent.databaseValues
            let index: Int
            if let known = position[key] {
                index = known
            } else {
                index = result.count
                position[key] = index
                result.append(WithChildren(parent: parent, children: []))
            }
            if let child { result[index].children.append(child) }
        }
        return result
    }
}

extension Select where From: Table, Output == From {
    /// Loads each selected parent's children along with it, decoding into ``WithChildren``.
    ///
    /// ```swift
    /// let authors = try await engine.all(select(User.self).orderBy(\.id).including(all: User.posts))
    /// for author in authors { print(author.name, author.children.count) }
    /// ```
    public func including<Child>(
        all relation: HasMany<From, Child>,
        using strategy: LoadStrategy = .selectIn
    ) -> IncludingAll<From, Child> {
        IncludingAll(parents: self, relation: relation, strategy: strategy)
    }

    /// Selects each row with its parent, by an inner join: rows without a parent are left out.
    ///
    /// ```swift
    /// let posts = try await engine.all(select(Post.self).including(required: Post.author))
    /// print(posts[0].title, posts[0].parent.name)
    /// ```
    public func including<Parent>(required relation: BelongsTo<From, Parent>) -> Select<From, WithParent<From, Parent>>
    {
        self.join(Parent.self, on: Self.joinCondition(relation))
            .appendingColumns(of: Parent.self) { child, tail in WithParent(child: child, parent: try Parent(row: tail))
            }
    }

    /// Selects each row with its parent when it has one, by a left join.
    ///
    /// ```swift
    /// let posts = try await engine.all(select(Post.self).including(optional: Post.author))
    /// ```
    public func including<Parent>(
        optional relation: BelongsTo<From, Parent>
    ) -> Select<From, WithOptionalParent<From, Parent>> {
        let parentKeyIndex = Parent.schema.columns.firstIndex { $0.name == relation.parentKey }
        return self.leftJoin(Parent.self, on: Self.joinCondition(relation))
            .appendingColumns(of: Parent.self) { child, tail in
                // (The join condition already failed to compile when the key is not a column.)
                guard let parentKeyIndex else { throw Self.unknownColumn(Parent.self, relation.parentKey) }
                return WithOptionalParent(
                    child: child,
                    parent: tail[parentKeyIndex].isNull ? nil : try Parent(row: tail)
                )
            }
    }

    /// `parent.key = child.foreign_key`, or a condition that fails to compile with `unknownColumn`
    /// when either is not a column (a relation declared with a computed property's key path).
    private static func joinCondition<Parent>(_ relation: BelongsTo<From, Parent>) -> SQLExpression<Bool> {
        let named = relation.parentKeys.map { (Parent.schema, $0) } + relation.foreignKeys.map { (From.schema, $0) }
        for (table, column) in named where !table.columns.contains(where: { $0.name == column }) {
            return SQLExpression(.invalid("\(table.name) has no column \(column)"))
        }
        return columnsEqual(Parent.schema.name, relation.parentKeys, From.schema.name, relation.foreignKeys)
    }

    private static func unknownColumn<T: Table>(_ table: T.Type, _ column: String) -> CompileError {
        CompileError(.unknownColumn, "\(T.schema.name) has no column \(column)")
    }
}

/// Loads the children of many parents through one relation: `WHERE child.fk IN (keys…)` in
/// chunks, with the relation's condition, order and per-parent limit.
enum ChildLoader {
    /// Each parent's children, in the parents' order.
    static func children<Parent: Table, Child: Table>(
        of parents: [Parent],
        _ relation: HasMany<Parent, Child>,
        on executor: some DatabaseExecutor
    ) async throws -> [[Child]] {
        let (keyIndexes, foreignKeyIndexes) = try self.keyIndexes(relation)
        let foreignKey = relation.foreignKeys.map { SQLNode.column(table: Child.schema.name, name: $0) }
        var ordering = relation.ordering
        if ordering.isEmpty, let childKey = Child.schema.primaryKeyName {
            ordering = [SQLExpression<DatabaseValue>(.column(table: Child.schema.name, name: childKey)).asc]
        }
        var childrenByKey: [[DatabaseValue]: [Child]] = [:]
        for chunk in self.keyChunks(of: parents, at: keyIndexes) {
            var inChunk = self.keyIn(foreignKey, chunk)
            if let condition = relation.condition { inChunk = inChunk && condition }
            var children = select(Child.self).where(inChunk)
            if let limit = relation.perParent {
                // Rank each parent's children in the database and keep the first `limit`.
                let rank = rowNumber().over(
                    partitionBy: foreignKey.map { SQLExpression<DatabaseValue>($0) },
                    orderBy: ordering
                )
                let ranked = select(Child.self).where(inChunk).appending(rank.as("quarry_rank"))
                children = select(Child.self).from(ranked)
                    .where(SQLExpression<Int64>(.column(table: Child.schema.name, name: "quarry_rank")) <= Int64(limit))
            }
            for child in try await executor.all(children.orderBy(ordering)) {
                let values = child.databaseValues
                childrenByKey[foreignKeyIndexes.map { values[$0] }, default: []].append(child)
            }
        }
        return parents.map { parent in
            let values = parent.databaseValues
            return childrenByKey[keyIndexes.map { values[$0] }] ?? []
        }
    }
}

/// Parents with their children and each child's own children, two relations deep (users → posts →
/// comments, or posts → tags through an association table): three statements whatever the number
/// of rows (more only past 5,000 keys a level).
///
/// ```swift
/// let users = try await session.all(select(User.self).including(all: User.posts, then: Post.comments))
/// users[0].children[0].children   // the first post's comments
/// ```
public struct IncludingNested<Parent: Table, Child: Table, Grandchild: Table>: IncludingQuery {
    let parents: Select<Parent, Parent>
    let relation: any ToManyRelation<Parent, Child>
    let nested: any ToManyRelation<Child, Grandchild>

    public func rows(
        on executor: some DatabaseExecutor
    ) async throws -> [WithChildren<Parent, WithChildren<Child, Grandchild>>] {
        let parents = try await executor.all(self.parents)
        let children = try await self.relation.children(of: parents, on: executor)
        let grandchildren = try await self.nested.children(of: children.flatMap { $0 }, on: executor)
        var next = grandchildren.makeIterator()
        return zip(parents, children).map { parent, kids in
            WithChildren(parent: parent, children: kids.map { WithChildren(parent: $0, children: next.next() ?? []) })
        }
    }
}

extension Select where From: Table, Output == From {
    /// Loads each selected parent's children through `relation`, and each child's children
    /// through `nested`: ``HasMany`` or ``ManyToMany`` at either level (users → posts → tags),
    /// each filtered, ordered and limited per parent as declared.
    ///
    /// ```swift
    /// let users = try await engine.all(
    ///     select(User.self).including(all: User.posts.orderBy(Post.Columns.id.desc).first(5), then: Post.comments)
    /// )
    /// ```
    public func including<R: ToManyRelation, N: ToManyRelation>(
        all relation: R,
        then nested: N
    ) -> IncludingNested<From, R.Child, N.Child> where R.Parent == From, N.Parent == R.Child {
        IncludingNested(parents: self, relation: relation, nested: nested)
    }
}
