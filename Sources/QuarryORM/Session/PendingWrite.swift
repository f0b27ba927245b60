import QuarryCore
import QuarryEngine

/// One queued `INSERT`, `UPDATE` or `DELETE`, compiled when it was queued, waiting for the next
/// flush.
struct PendingWrite: Sendable {
    enum Kind: Sendable { case insert, update, delete }

    let kind: Kind
    let table: String
    let referencedTables: [String]
    let statement: CompiledStatement
    /// For `UPDATE`/`DELETE` of one row: the statement must match exactly one row.
    let expectsOneRow: Bool
    /// Records the outcome in the identity map (the returned row for inserts).
    let record: @Sendable (inout IdentityMap, QueryResult) throws -> Void
}

/// Orders queued writes so foreign keys hold at every step: inserts parents before children,
/// then updates in the order they were made, then deletes children before parents.
enum FlushPlan {
    static func order(_ writes: [PendingWrite]) -> [PendingWrite] {
        let depth = Self.depths(of: writes)
        let inserts = writes.filter { $0.kind == .insert }.enumerated()
            .sorted { (depth[$0.element.table]!, $0.offset) < (depth[$1.element.table]!, $1.offset) }.map(\.element)
        let updates = writes.filter { $0.kind == .update }
        let deletes = writes.filter { $0.kind == .delete }.enumerated()
            .sorted { (-depth[$0.element.table]!, $0.offset) < (-depth[$1.element.table]!, $1.offset) }.map(\.element)
        return inserts + updates + deletes
    }

    /// The length of the longest chain of references from each table to tables also being
    /// written (self-references and cycles do not count twice).
    static func depths(of writes: [PendingWrite]) -> [String: Int] {
        var references: [String: Set<String>] = [:]
        for write in writes { references[write.table, default: []].formUnion(write.referencedTables) }
        var depths: [String: Int] = [:]
        func depth(_ table: String, visiting: Set<String>) -> Int {
            if let known = depths[table] { return known }
            var result = 0
            for parent in references[table] ?? []
            where parent != table && references[parent] != nil && !visiting.contains(parent) {
                result = max(result, 1 + depth(parent, visiting: visiting.union([table])))
            }
            depths[table] = result
            return result
        }
        for table in references.keys { _ = depth(table, visiting: []) }
        return depths
    }
}
