public import QuarryCore

/// A model whose rows take rows of other tables with them when a session deletes them: the
/// children of each declared relation, and theirs when the child declares cascades too, deleted in
/// the same flush before the parent (SQLAlchemy's `cascade="all, delete"`).
///
/// ```swift
/// extension User: CascadingDelete {
///     static let cascadingDeletes: [DeleteCascade<User>] = [.delete(User.posts)]
/// }
/// extension Post: CascadingDelete {
///     static let cascadingDeletes: [DeleteCascade<Post>] = [.delete(Post.comments)]
/// }
/// try session.delete(user)     // comments of the user's posts, the posts, then the user
/// try await session.commit()
/// ```
///
/// The children are deleted by `DELETE … WHERE fk IN (SELECT key FROM parent WHERE …)`: one
/// statement per relation however many rows, and rows of those tables that the session had
/// loaded are forgotten. A table reached twice on one path (a self-reference) is not followed
/// again: use a foreign key with `.onDelete(.cascade)` for trees.
public protocol CascadingDelete: Table {
    /// The relations whose children are deleted with a row.
    static var cascadingDeletes: [DeleteCascade<Self>] { get }
}

/// One relation whose children are deleted with their parent; see ``CascadingDelete``.
public struct DeleteCascade<Parent: Table>: Sendable {
    /// Appends the deletes of the children of the parent rows `parents` selects (a condition on
    /// the parent table's columns), theirs first.
    let plan: @Sendable (_ parents: SQL, _ visited: Set<String>, _ out: inout [CascadedDelete]) -> Void

    /// Deletes the children of `relation` with their parent.
    public static func delete<Child: Table>(_ relation: HasMany<Parent, Child>) -> DeleteCascade {
        DeleteCascade { parents, visited, out in
            guard !visited.contains(Child.schema.name) else { return }
            // `fk IN (SELECT key …)`, or `(fk1, fk2) IN (SELECT key1, key2 …)` for a composite key.
            func list(_ names: [String]) -> SQL {
                var list = SQL("")
                for (n, name) in names.enumerated() {
                    list.append(n == 0 ? SQL("\(identifier: name)") : SQL(", \(identifier: name)"))
                }
                return list
            }
            var selection: SQL
            if relation.foreignKeys.count == 1 {
                selection = list(relation.foreignKeys)
                selection.append(" IN (SELECT ")
            } else {
                selection = SQL("(")
                selection.append(list(relation.foreignKeys))
                selection.append(") IN (SELECT ")
            }
            selection.append(list(relation.parentKeys))
            selection.append(SQL(" FROM \(table: Parent.schema) WHERE "))
            selection.append(parents)
            selection.append(")")
            for cascade in deleteCascades(of: Child.self) {
                cascade.plan(selection, visited.union([Child.schema.name]), &out)
            }
            var statement = SQL("DELETE FROM \(table: Child.schema) WHERE ")
            statement.append(selection)
            out.append(
                CascadedDelete(
                    table: Child.schema.name,
                    referencedTables: Child.schema.referencedTables,
                    statement: statement,
                    tableIdentifier: ObjectIdentifier(Child.self)
                )
            )
        }
    }
}

/// A child delete planned by a cascade.
struct CascadedDelete: Sendable {
    let table: String
    let referencedTables: [String]
    let statement: SQL
    /// The child model type, whose rows the identity map forgets.
    let tableIdentifier: ObjectIdentifier
}

/// The cascades `T` declares, when it declares any.
func deleteCascades<T: Table>(of table: T.Type) -> [DeleteCascade<T>] {
    (T.self as? any CascadingDelete.Type).map { cascades(of: $0) as? [DeleteCascade<T>] ?? [] } ?? []
}

private func cascades<C: CascadingDelete>(of table: C.Type) -> Any { C.cascadingDeletes }
