import QuarryCore
import QuarryEngine

/// One queued `INSERT`, `UPDATE` or `DELETE`, waiting for the next flush.
struct PendingWrite: Sendable {
    enum Kind: Sendable { case insert, update, delete }

    let kind: Kind
    let table: String
    let referencedTables: [String]
    /// The `UPDATE` or `DELETE`, compiled when it was queued; `nil` for an insert, which the flush
    /// compiles together with the table's other queued rows (``batch``).
    let statement: CompiledStatement?
    /// For `UPDATE`/`DELETE` of one row: the statement must match exactly one row.
    let expectsOneRow: Bool
    /// For a versioned row: the key and version it expected, named when no row matched
    /// (`staleData` instead of `noResult`).
    var versionCheck: String? = nil
    /// Records the outcome in the identity map (the returned row for inserts).
    let record: @Sendable (inout IdentityMap, QueryResult) throws -> Void
    /// The model's `did…` hook (``ModelHooks``), run after ``record``; `nil` when it has none.
    var completed: (@Sendable (QueryResult) throws -> Void)? = nil
    /// For a queued insert: what lets the flush write it with its neighbours of the same table
    /// as one multi-row `INSERT … RETURNING` (SQLAlchemy's insertmanyvalues).
    var batch: InsertBatch? = nil

    /// The statements that carry out this write alone (an insert `RETURNING` its row or not).
    func statements(for dialect: Dialect, returning: Bool) throws -> [CompiledStatement] {
        if let batch { return try batch.compile([batch.model], dialect, returning) }
        return self.statement.map { [$0] } ?? []
    }
}

/// A queued row of one table that can be inserted with others.
struct InsertBatch: Sendable {
    /// Rows with equal keys go into one statement: the same table, and the same columns left to
    /// the database (an omitted key or default must be omitted in every row of a statement).
    let key: Key

    /// The model type and which columns are left to the database: a bit per column, or the
    /// whole list for a table of more than 64 columns.
    struct Key: Hashable, Sendable {
        let table: ObjectIdentifier
        let omitted: UInt64
        var wideOmitted: [Bool]? = nil
    }
    /// The model (a `T`).
    let model: any Sendable
    /// Compiles models of this table as multi-row inserts under the dialect's bind limit, with
    /// `RETURNING` every column or without.
    let compile: @Sendable ([any Sendable], Dialect, _ returning: Bool) throws -> [CompiledStatement]
}

/// Orders queued writes so foreign keys hold at every step: inserts parents before children
/// (each table's rows together, in the order they were added), then updates in the order they
/// were made, then deletes children before parents.
enum FlushPlan {
    static func order(_ writes: [PendingWrite]) -> [PendingWrite] {
        let depth = Self.depths(of: writes)
        // Only sort keys are sorted, then the writes picked by them: a write is a large value, and
        // moving ten thousand of them through a sort cost more than the sort. Inserts of one table
        // stay together (tables of equal depth never reference each other), so the flush can
        // batch them; consecutive writes of one table look their table up once.
        var inserts: [(depth: Int, first: Int, offset: Int)] = []
        var updates: [Int] = []
        var deletes: [(depth: Int, offset: Int)] = []
        var firstSeen: [String: Int] = [:]
        var previous: (table: String, depth: Int, first: Int)?
        for (offset, write) in writes.enumerated() {
            switch write.kind {
            case .insert:
                if let previous, previous.table == write.table {
                    inserts.append((previous.depth, previous.first, offset))
                    continue
                }
                let first = firstSeen[write.table] ?? offset
                firstSeen[write.table] = first
                let tableDepth = depth[write.table] ?? 0
                previous = (write.table, tableDepth, first)
                inserts.append((tableDepth, first, offset))
            case .update:
                updates.append(offset)
            case .delete:
                deletes.append((-(depth[write.table] ?? 0), offset))
            }
        }
        inserts.sort { ($0.depth, $0.first, $0.offset) < ($1.depth, $1.first, $1.offset) }
        deletes.sort { ($0.depth, $0.offset) < ($1.depth, $1.offset) }
        var ordered: [PendingWrite] = []
        ordered.reserveCapacity(writes.count)
        for insert in inserts { ordered.append(writes[insert.offset]) }
        for offset in updates { ordered.append(writes[offset]) }
        for delete in deletes { ordered.append(writes[delete.offset]) }
        return ordered
    }

    /// The writes with each run of queued inserts of one table (same columns left to the
    /// database) merged into multi-row statements: 10,000 `add`s of one model flush as a handful
    /// of `INSERT`s, not 10,000. Each entry is a write (whose `record` handles every result) and
    /// the statements to run for it. Inserts return their rows when `returning` (the flush records
    /// them in the identity map) or when their model has `didInsert` hooks.
    static func batched(
        _ writes: [PendingWrite],
        dialect: Dialect,
        returning: Bool
    ) throws -> [(PendingWrite, [CompiledStatement])] {
        var result: [(PendingWrite, [CompiledStatement])] = []
        var index = 0
        while index < writes.count {
            let write = writes[index]
            let returnsRows = returning || write.completed != nil
            guard let batch = write.batch else {
                result.append((write, try write.statements(for: dialect, returning: returnsRows)))
                index += 1
                continue
            }
            var end = index + 1
            while end < writes.count, writes[end].batch?.key == batch.key { end += 1 }
            if end - index == 1 {
                result.append((write, try write.statements(for: dialect, returning: returnsRows)))
            } else {
                let models = writes[index..<end].compactMap { $0.batch?.model }
                result.append((write, try batch.compile(models, dialect, returnsRows)))
            }
            index = end
        }
        return result
    }

    /// The length of the longest chain of references from each table to tables also being
    /// written (self-references and cycles do not count twice).
    static func depths(of writes: [PendingWrite]) -> [String: Int] {
        var references: [String: Set<String>] = [:]
        var previous: String?
        for write in writes where write.table != previous {
            references[write.table, default: []].formUnion(write.referencedTables)
            previous = write.table
        }
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
