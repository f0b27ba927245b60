/// One `ORDER BY` term.
///
/// ```swift
/// select(Post.self).orderBy(Post.Columns.createdAt.desc.nullsLast, Post.Columns.id.asc)
/// ```
public struct Ordering: Sendable {
    let node: SQLNode
    let descending: Bool
    var nulls: NullsPosition?

    enum NullsPosition: Sendable { case first, last }

    init(_ node: SQLNode, descending: Bool, nulls: NullsPosition? = nil) {
        self.node = node
        self.descending = descending
        self.nulls = nulls
    }

    /// Sorts `NULL`s before other values.
    public var nullsFirst: Ordering { Ordering(self.node, descending: self.descending, nulls: .first) }

    /// Sorts `NULL`s after other values.
    public var nullsLast: Ordering { Ordering(self.node, descending: self.descending, nulls: .last) }

    /// This ordering with the columns of table `name` qualified by `alias` instead.
    package func realiased(_ name: String, as alias: String) -> Ordering {
        self.requalified { $0 == name ? alias : $0 }
    }

    /// This ordering with each column's table name replaced by `table(name)`.
    func requalified(_ table: (String?) -> String?) -> Ordering {
        Ordering(self.node.requalified(table), descending: self.descending, nulls: self.nulls)
    }
}
