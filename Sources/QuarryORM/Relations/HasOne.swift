public import QuarryCore
public import QuarryEngine

/// A one-to-one relation from `Parent` to the at most one `Child` row whose foreign key points at
/// it (a unique foreign key: a user's profile). Declare it on the parent; the child's side is a
/// ``BelongsTo``.
///
/// ```swift
/// extension User {
///     static let profile = HasOne<User, Profile>(\.userId)
/// }
/// let users = try await session.all(select(User.self).including(one: User.profile))
/// users[0].child?.bio
/// ```
public struct HasOne<Parent: Table, Child: Table>: Sendable {
    /// The relation's rows, loaded as for a ``HasMany``.
    let many: HasMany<Parent, Child>

    /// Declares the relation from the child's foreign-key property.
    public init<V: DatabaseValueConvertible>(_ foreignKey: KeyPath<Child, V>) {
        self.many = HasMany(foreignKey)
    }
}

/// A parent row with the child an `including(one:)` loaded, or `nil` when it has none.
@dynamicMemberLookup
public struct WithChild<Parent: Table, Child: Table>: Sendable {
    /// The parent row.
    public var parent: Parent
    /// Its child, or `nil`.
    public var child: Child?

    /// The parent's properties, read through (`user.name`).
    public subscript<V>(dynamicMember keyPath: KeyPath<Parent, V>) -> V { self.parent[keyPath: keyPath] }
}

extension WithChild: Equatable where Parent: Equatable, Child: Equatable {}

/// Parents selected with their one child each: two statements whatever the number of parents.
/// A parent with more than one child (a foreign key that is not unique) is a
/// `DatabaseError.multipleResults` naming the table, not a silently dropped row.
public struct IncludingOne<Parent: Table, Child: Table>: IncludingQuery {
    let parents: Select<Parent, Parent>
    let relation: HasOne<Parent, Child>

    public func rows(on executor: some DatabaseExecutor) async throws -> [WithChild<Parent, Child>] {
        let parents = try await executor.all(self.parents)
        let children = try await self.relation.many.children(of: parents, on: executor)
        return try zip(parents, children).map { parent, found in
            guard found.count <= 1 else {
                throw DatabaseError(
                    .multipleResults,
                    message:
                        "a \(Parent.schema.name) row has \(found.count) \(Child.schema.name) rows where HasOne expects at most one (make \(self.relation.many.foreignKeys.joined(separator: ", ")) unique)",
                    table: Child.schema.name
                )
            }
            return WithChild(parent: parent, child: found.first)
        }
    }
}

extension Select where From: Table, Output == From {
    /// Loads each selected parent's one child along with it (``HasOne``), decoding into
    /// ``WithChild``.
    ///
    /// ```swift
    /// let users = try await engine.all(select(User.self).orderBy(\.id).including(one: User.profile))
    /// ```
    public func including<Child>(one relation: HasOne<From, Child>) -> IncludingOne<From, Child> {
        IncludingOne(parents: self, relation: relation)
    }
}
