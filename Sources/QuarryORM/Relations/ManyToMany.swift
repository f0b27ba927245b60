public import QuarryCore
public import QuarryEngine

/// A many-to-many relation from `Parent` to `Child` through the association table `Link`, which
/// holds a foreign key to each (and may hold columns of its own). Declare it on the parent:
///
/// ```swift
/// @Table("post_tags")
/// struct PostTag: Sendable {
///     @Column(.primaryKey, .references(Post.self)) var postId: Int64
///     @Column(.primaryKey, .references(Tag.self)) var tagId: Int64
/// }
/// extension Post {
///     static let tags = ManyToMany<Post, PostTag, Tag>(\.postId, \.tagId)
/// }
/// let posts = try await session.all(select(Post.self).including(all: Post.tags))
/// posts[0].children    // the first post's tags
/// ```
public struct ManyToMany<Parent: Table, Link: Table, Child: Table>: Sendable {
    /// The association's column referencing the parent.
    public let parentForeignKey: String
    /// The association's column referencing the child.
    public let childForeignKey: String
    /// The parent's referenced column (its primary key).
    public let parentKey: String
    /// The child's referenced column (its primary key).
    public let childKey: String

    /// Declares the relation from the association's two foreign-key properties.
    public init<P: DatabaseValueConvertible, C: DatabaseValueConvertible>(
        _ parentForeignKey: KeyPath<Link, P>,
        _ childForeignKey: KeyPath<Link, C>
    ) {
        self.parentForeignKey = Link.columnName(for: parentForeignKey) ?? "\(parentForeignKey)"
        self.childForeignKey = Link.columnName(for: childForeignKey) ?? "\(childForeignKey)"
        self.parentKey = Parent.schema.primaryKeyName ?? "id"
        self.childKey = Child.schema.primaryKeyName ?? "id"
    }
}

extension ManyToMany: ToManyRelation {
    /// Each parent's related rows: `child JOIN link … WHERE link.parent_id IN (…)`, ordered by the
    /// child's key.
    public func children(of parents: [Parent], on executor: some DatabaseExecutor) async throws -> [[Child]] {
        let keyIndex = try ChildLoader.index(of: self.parentKey, in: Parent.self)
        guard let linkIndex = Link.schema.columns.firstIndex(where: { $0.name == self.parentForeignKey }),
            Link.schema.columns.contains(where: { $0.name == self.childForeignKey }),
            Child.schema.columns.contains(where: { $0.name == self.childKey })
        else {
            throw CompileError(
                .unknownColumn,
                "\(Link.schema.name) does not link \(Parent.schema.name) and \(Child.schema.name) by the columns given"
            )
        }
        let linkParent = SQLNode.column(table: Link.schema.name, name: self.parentForeignKey)
        let on =
            SQLExpression<DatabaseValue>(.column(table: Link.schema.name, name: self.childForeignKey))
            == SQLExpression<DatabaseValue>(.column(table: Child.schema.name, name: self.childKey))
        var childrenByKey: [DatabaseValue: [Child]] = [:]
        for chunk in ChildLoader.keyChunks(of: parents, at: [keyIndex]) {
            let rows = select(Child.self)
                .join(Link.self, on: on)
                .where(ChildLoader.keyIn([linkParent], chunk))
                .orderBy(SQLExpression<DatabaseValue>(.column(table: Child.schema.name, name: self.childKey)).asc)
                .appendingColumns(of: Link.self) { child, link in (child, link[linkIndex]) }
            for (child, parentKey) in try await executor.all(rows) {
                childrenByKey[parentKey, default: []].append(child)
            }
        }
        return parents.map { childrenByKey[$0.databaseValues[keyIndex]] ?? [] }
    }
}

/// Parents selected with their related rows through an association table, in two statements
/// whatever the number of parents (more only past 5,000 parents, in chunks): the parents, then
/// `child JOIN link … WHERE link.parent_id IN (…)`.
public struct IncludingMany<Parent: Table, Link: Table, Child: Table>: IncludingQuery {
    let parents: Select<Parent, Parent>
    let relation: ManyToMany<Parent, Link, Child>

    public func rows(on executor: some DatabaseExecutor) async throws -> [WithChildren<Parent, Child>] {
        let parents = try await executor.all(self.parents)
        let children = try await self.relation.children(of: parents, on: executor)
        return zip(parents, children).map { WithChildren(parent: $0, children: $1) }
    }
}

extension Select where From: Table, Output == From {
    /// Loads each selected parent's related rows through an association table.
    ///
    /// ```swift
    /// let posts = try await engine.all(select(Post.self).including(all: Post.tags))
    /// ```
    public func including<Link, Child>(all relation: ManyToMany<From, Link, Child>) -> IncludingMany<From, Link, Child>
    {
        IncludingMany(parents: self, relation: relation)
    }
}
