public import QuarryCore
public import QuarryEngine

/// Parents selected with the rows of several relations, one statement per relation (more only
/// past 5,000 parents, in chunks): each row is `(parent, first relation's rows, second's, …)`.
/// Chain `including(all:)` on an `including(all:)` select; relations of any kind (``HasMany``,
/// ``ManyToMany``, filtered, ordered or limited per parent) combine.
///
/// ```swift
/// let users = try await session.all(
///     select(User.self).orderBy(\.id).including(all: User.posts).including(all: User.comments)
/// )
/// for (user, posts, comments) in users { print(user.name, posts.count, comments.count) }
/// ```
public struct IncludingEach<Parent: Table, each Child: Table>: IncludingQuery {
    let parents: Select<Parent, Parent>
    let relations: (repeat any ToManyRelation<Parent, each Child>)

    public func rows(on executor: some DatabaseExecutor) async throws -> [(Parent, repeat [each Child])] {
        let parents = try await executor.all(self.parents)
        let loaded = (repeat try await (each self.relations).children(of: parents, on: executor))
        return parents.indices.map { index in (parents[index], repeat (each loaded)[index]) }
    }

    /// One more relation's rows, loaded with the others.
    ///
    /// ```swift
    /// select(User.self).including(all: User.posts).including(all: User.comments).including(all: User.badges)
    /// ```
    public func including<R: ToManyRelation>(
        all relation: R
    ) -> IncludingEach<Parent, repeat each Child, R.Child> where R.Parent == Parent {
        IncludingEach<Parent, repeat each Child, R.Child>(
            parents: self.parents,
            relations: (repeat each self.relations, relation)
        )
    }
}

extension IncludingAll {
    /// A second relation loaded with the first: rows become `(parent, first's, second's)`. Every
    /// relation is then loaded by its own `IN` query (a `.join` strategy of the first too).
    ///
    /// ```swift
    /// let users = try await engine.all(select(User.self).including(all: User.posts).including(all: User.comments))
    /// ```
    public func including<R: ToManyRelation>(
        all relation: R
    ) -> IncludingEach<Parent, Child, R.Child> where R.Parent == Parent {
        IncludingEach(parents: self.parents, relations: (self.relation, relation))
    }
}

extension IncludingMany {
    /// A second relation loaded with the first: rows become `(parent, first's, second's)`.
    ///
    /// ```swift
    /// let posts = try await engine.all(select(Post.self).including(all: Post.tags).including(all: Post.comments))
    /// ```
    public func including<R: ToManyRelation>(
        all relation: R
    ) -> IncludingEach<Parent, Child, R.Child> where R.Parent == Parent {
        IncludingEach(parents: self.parents, relations: (self.relation, relation))
    }
}
