public import QuarryCore

/// A one-to-many relation from `Parent` to the `Child` rows whose foreign key holds the parent's
/// key. Declare it once, on the parent, from the child's foreign-key column:
///
/// ```swift
/// extension User {
///     static let posts = HasMany<User, Post>(\.userId)
/// }
/// let authors = try await session.all(select(User.self).including(all: User.posts))
/// authors[0].parent.name; authors[0].children.count
/// ```
public struct HasMany<Parent: Table, Child: Table>: Sendable {
    /// The child's foreign-key columns: one, or several for a composite key.
    public let foreignKeys: [String]
    /// The parent's referenced columns, in the same order (its primary key unless the foreign key
    /// names another column).
    public let parentKeys: [String]
    /// The child's foreign-key column (the first, for a composite key).
    public var foreignKey: String { self.foreignKeys[0] }
    /// The parent's referenced column (the first, for a composite key).
    public var parentKey: String { self.parentKeys[0] }
    /// Only the children that meet this condition are loaded.
    var condition: SQLExpression<Bool>? = nil
    /// The order of each parent's children (the child's primary key when empty).
    var ordering: [Ordering] = []
    /// At most this many children per parent, the first in ``ordering``.
    var perParent: Int? = nil

    /// Declares the relation from the child's foreign-key property.
    public init<V: DatabaseValueConvertible>(_ foreignKey: KeyPath<Child, V>) {
        let (column, parentKey) = relationColumns(Child.self, foreignKey, Parent.self)
        (self.foreignKeys, self.parentKeys) = ([column], [parentKey])
    }

    /// Declares a relation over a composite key: the child's two properties that hold the
    /// parent's two-column primary key, in the key's order.
    ///
    /// ```swift
    /// extension Release {    // primary key (label, catalogNumber)
    ///     static let pressings = HasMany<Release, Pressing>(\.label, \.catalogNumber)
    /// }
    /// ```
    public init<V1: DatabaseValueConvertible, V2: DatabaseValueConvertible>(
        _ first: KeyPath<Child, V1>,
        _ second: KeyPath<Child, V2>
    ) {
        (self.foreignKeys, self.parentKeys) = compositeRelationColumns(Child.self, [first, second], Parent.self)
    }

    /// The relation loading only the children that meet `condition`.
    ///
    /// ```swift
    /// select(User.self).including(all: User.posts.where(Post.Columns.published == true))
    /// ```
    public func `where`(_ condition: SQLExpression<Bool>) -> HasMany {
        var copy = self
        copy.condition = copy.condition.map { $0 && condition } ?? condition
        return copy
    }

    /// The relation with each parent's children in this order.
    ///
    /// ```swift
    /// select(User.self).including(all: User.posts.orderBy(Post.Columns.id.desc))
    /// ```
    public func orderBy(_ orderings: Ordering...) -> HasMany {
        var copy = self
        copy.ordering = orderings
        return copy
    }

    /// The relation loading at most `count` children per parent — the first in its order (a
    /// window function ranks them in the database, so no parent's extra rows are read).
    ///
    /// ```swift
    /// select(User.self).including(all: User.posts.orderBy(Post.Columns.id.desc).first(3))
    /// ```
    public func first(_ count: Int) -> HasMany {
        var copy = self
        copy.perParent = max(count, 0)
        return copy
    }
}

/// A many-to-one relation from `Child` to the `Parent` row its foreign key points at. Declare it
/// once, on the child:
///
/// ```swift
/// extension Post {
///     static let author = BelongsTo<Post, User>(\.userId)
/// }
/// let rows = try await session.all(select(Post.self).including(required: Post.author))
/// rows[0].child.title; rows[0].parent.name
/// ```
public struct BelongsTo<Child: Table, Parent: Table>: Sendable {
    /// The child's foreign-key columns: one, or several for a composite key.
    public let foreignKeys: [String]
    /// The parent's referenced columns, in the same order (its primary key unless the foreign key
    /// names another column).
    public let parentKeys: [String]
    /// The child's foreign-key column (the first, for a composite key).
    public var foreignKey: String { self.foreignKeys[0] }
    /// The parent's referenced column (the first, for a composite key).
    public var parentKey: String { self.parentKeys[0] }

    /// Declares the relation from the child's foreign-key property.
    public init<V: DatabaseValueConvertible>(_ foreignKey: KeyPath<Child, V>) {
        let (column, parentKey) = relationColumns(Child.self, foreignKey, Parent.self)
        (self.foreignKeys, self.parentKeys) = ([column], [parentKey])
    }

    /// Declares a relation over a composite key: the child's two properties that hold the
    /// parent's two-column primary key, in the key's order.
    ///
    /// ```swift
    /// extension Pressing {    // Release's primary key is (label, catalogNumber)
    ///     static let release = BelongsTo<Pressing, Release>(\.label, \.catalogNumber)
    /// }
    /// ```
    public init<V1: DatabaseValueConvertible, V2: DatabaseValueConvertible>(
        _ first: KeyPath<Child, V1>,
        _ second: KeyPath<Child, V2>
    ) {
        (self.foreignKeys, self.parentKeys) = compositeRelationColumns(Child.self, [first, second], Parent.self)
    }
}

/// The child's columns of a composite-key relation and the parent's primary key.
private func compositeRelationColumns<Child: Table, Parent: Table>(
    _ child: Child.Type,
    _ keyPaths: [PartialKeyPath<Child>],
    _ parent: Parent.Type
) -> ([String], [String]) {
    let columns = keyPaths.map { keyPath in
        // A key path that is no stored column keeps a name no table has: loading fails with
        // `unknownColumn` naming it.
        Child.columnName(for: keyPath) ?? "\(keyPath) (not a stored column of \(Child.schema.name))"
    }
    return (columns, Parent.schema.primaryKeyNames)
}

private func relationColumns<Child: Table, Parent: Table, V>(
    _ child: Child.Type,
    _ keyPath: KeyPath<Child, V>,
    _ parent: Parent.Type
) -> (String, String) {
    guard let index = Child.columnIndex(for: keyPath) else {
        // Not a stored column (a computed property): the relation keeps a name no table has, so
        // every statement that uses it fails to compile with `unknownColumn` naming the key path.
        return ("\(keyPath) (not a stored column of \(Child.schema.name))", Parent.schema.primaryKeyName ?? "id")
    }
    let column = Child.schema.columns[index]
    let target = column.foreignKey?.target
    let parentKey =
        target.flatMap { $0.table == Parent.schema.name ? $0.column : nil } ?? Parent.schema.primaryKeyName ?? "id"
    return (column.name, parentKey)
}

/// A parent row with the children an `including(all:)` loaded. The children exist only in this
/// type, so a relation that was not loaded cannot be touched.
@dynamicMemberLookup
public struct WithChildren<Parent: Table, Child: Sendable>: Sendable {
    /// The parent row.
    public var parent: Parent
    /// Its children, in the relation's order (primary key unless ordered otherwise); each a
    /// `WithChildren` itself when the load went a level deeper.
    public var children: [Child]

    /// The parent's properties, read through (`author.name`).
    public subscript<V>(dynamicMember keyPath: KeyPath<Parent, V>) -> V { self.parent[keyPath: keyPath] }
}

extension WithChildren: Equatable where Parent: Equatable, Child: Equatable {}

/// A child row with its parent, loaded by a join (`including(required:)`).
@dynamicMemberLookup
public struct WithParent<Child: Table, Parent: Table>: Sendable {
    /// The child row.
    public var child: Child
    /// Its parent.
    public var parent: Parent

    /// The child's properties, read through (`post.title`).
    public subscript<V>(dynamicMember keyPath: KeyPath<Child, V>) -> V { self.child[keyPath: keyPath] }
}

extension WithParent: Equatable where Parent: Equatable, Child: Equatable {}

/// A child row with its parent if there is one, loaded by a left join (`including(optional:)`).
@dynamicMemberLookup
public struct WithOptionalParent<Child: Table, Parent: Table>: Sendable {
    /// The child row.
    public var child: Child
    /// Its parent, or `nil`.
    public var parent: Parent?

    /// The child's properties, read through (`post.title`).
    public subscript<V>(dynamicMember keyPath: KeyPath<Child, V>) -> V { self.child[keyPath: keyPath] }
}

extension WithOptionalParent: Equatable where Parent: Equatable, Child: Equatable {}
