/// The steps that take a live database's schema to the one the models describe — what
/// `quarry revision --autogenerate` writes as a migration.
///
/// Names are compared as the database stores them; types as the database stores them (the same
/// affinity on SQLite, the same type name on PostgreSQL); defaults, index conditions and checks
/// in a normal form (casts, quotes and parentheses aside), so a schema the models created
/// compares equal to its introspection. Renames are never guessed: a table or column that
/// disappears while another appears becomes a drop and an add with a ``warnings`` entry, unless
/// a ``Rename`` hint says otherwise.
///
/// ```swift
/// let live = try await engine.introspect()
/// let wanted = try [User.self, Post.self].map { try TableDefinition($0, for: engine.dialect) }
/// let diff = SchemaDiff(from: live, to: wanted, dialect: engine.dialect)
/// diff.changes      // [] when the database matches the models
/// ```
public struct SchemaDiff: Sendable {
    /// A rename the diff must not guess: `users` → `accounts`, or `users.mail` → `users.email`.
    public struct Rename: Sendable, Hashable {
        /// The table the column is in, for a column rename; `nil` for a table rename.
        public var table: String?
        /// The old name.
        public var from: String
        /// The new name.
        public var to: String

        /// A table rename.
        public static func table(_ from: String, to: String) -> Rename { Rename(table: nil, from: from, to: to) }
        /// A column rename in `table` (the table's new name, when it is renamed too).
        public static func column(_ table: String, _ from: String, to: String) -> Rename {
            Rename(table: table, from: from, to: to)
        }

        /// Parses a `--rename` hint: `old:new` for a table, `table.old:new` for a column.
        public init?(hint: String) {
            let parts = hint.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            let left = parts[0].split(separator: ".", maxSplits: 1).map(String.init)
            self.init(table: left.count == 2 ? left[0] : nil, from: left.last!, to: parts[1])
        }

        init(table: String?, from: String, to: String) {
            self.table = table
            self.from = from
            self.to = to
        }
    }

    /// The steps, in an order that applies: renames, new tables (referenced before referencing),
    /// per-table changes (constraints dropped before columns change, added after), dropped tables.
    public private(set) var changes: [SchemaChange] = []
    /// Changes that lose data or might be renames, one sentence each.
    public private(set) var warnings: [String] = []

    /// Compares `live` with `target` in `dialect`.
    public init(from live: DatabaseSchema, to target: [TableDefinition], dialect: Dialect, renames: [Rename] = []) {
        var liveTables = live.tables
        for rename in renames where rename.table == nil {
            guard let i = liveTables.firstIndex(where: { $0.name == rename.from }),
                target.contains(where: { $0.name == rename.to })
            else { continue }
            self.changes.append(.renameTable(rename.from, to: rename.to))
            liveTables[i].name = rename.to
        }
        let liveNames = Set(liveTables.map(\.name))
        let targetNames = Set(target.map(\.name))
        let created = target.filter { !liveNames.contains($0.name) }
        let dropped = liveTables.filter { !targetNames.contains($0.name) }
        for table in Self.referencedFirst(created) { self.changes.append(.createTable(table)) }
        for wanted in target {
            guard let current = liveTables.first(where: { $0.name == wanted.name }) else { continue }
            self.compare(current, wanted, dialect, renames.filter { $0.table == wanted.name })
        }
        for table in Self.referencedFirst(dropped).reversed() {
            self.changes.append(.dropTable(table))
            self.warnings.append("drops table \(table.name) and every row in it")
        }
        if !created.isEmpty && !dropped.isEmpty {
            let example = created.count == 1 && dropped.count == 1 ? "\(dropped[0].name):\(created[0].name)" : "old:new"
            self.warnings.append(
                "table(s) \(dropped.map(\.name).joined(separator: ", ")) go and \(created.map(\.name).joined(separator: ", ")) come: if that is a rename, pass --rename \(example)"
            )
        }
    }

    private mutating func compare(
        _ live: TableDefinition,
        _ wanted: TableDefinition,
        _ dialect: Dialect,
        _ renames: [Rename]
    ) {
        let table = wanted.name
        var current = live
        var before: [SchemaChange] = []
        var columns: [SchemaChange] = []
        var after: [SchemaChange] = []
        for rename in renames where current.column(named: rename.from) != nil && wanted.column(named: rename.to) != nil
        {
            columns.append(.renameColumn(table, from: rename.from, to: rename.to))
            current = (try? current.applying(.renameColumn(table, from: rename.from, to: rename.to))) ?? current
        }
        // Constraints that go or change are dropped first, then columns change, then the new ones come.
        for key in current.foreignKeys where !wanted.foreignKeys.contains(where: { Self.same(key, $0) }) {
            before.append(.dropForeignKey(table, key))
        }
        for key in wanted.foreignKeys where !current.foreignKeys.contains(where: { Self.same(key, $0) }) {
            after.append(.addForeignKey(table, key))
        }
        for index in current.indexes {
            guard let match = wanted.indexes.first(where: { $0.name == index.name }) else {
                before.append(.dropIndex(table, index))
                continue
            }
            if !Self.same(index, match, dialect) {
                before.append(.dropIndex(table, index))
                after.append(.createIndex(table, match))
            }
        }
        for index in wanted.indexes where !current.indexes.contains(where: { $0.name == index.name }) {
            after.append(.createIndex(table, index))
        }
        for unique in current.uniqueConstraints
        where !wanted.uniqueConstraints.contains(where: { $0.columns == unique.columns }) {
            before.append(.dropUnique(table, unique))
        }
        for unique in wanted.uniqueConstraints
        where !current.uniqueConstraints.contains(where: { $0.columns == unique.columns }) {
            after.append(.addUnique(table, unique))
        }
        for check in current.checks {
            let match = wanted.checks.first { $0.name == check.name }
            if match.map({ Self.same(check, $0) }) != true { before.append(.dropCheck(table, check)) }
        }
        for check in wanted.checks {
            let match = current.checks.first { $0.name == check.name }
            if match.map({ Self.same(check, $0) }) != true { after.append(.addCheck(table, check)) }
        }
        let added = wanted.columns.filter { current.column(named: $0.name) == nil }
        let removed = current.columns.filter { wanted.column(named: $0.name) == nil }
        for column in added { columns.append(.addColumn(table, column)) }
        for column in wanted.columns {
            guard let old = current.column(named: column.name), !Self.same(old, column, dialect) else { continue }
            columns.append(.alterColumn(table, from: old, to: column))
        }
        for column in removed {
            columns.append(.dropColumn(table, column))
            self.warnings.append("drops column \(table).\(column.name) and its values")
        }
        if !added.isEmpty && !removed.isEmpty {
            let example = added.count == 1 && removed.count == 1 ? "\(removed[0].name):\(added[0].name)" : "old:new"
            self.warnings.append(
                "in \(table), column(s) \(removed.map(\.name).joined(separator: ", ")) go and \(added.map(\.name).joined(separator: ", ")) come: if that is a rename, pass --rename \(table).\(example)"
            )
        }
        if current.primaryKey != wanted.primaryKey {
            self.warnings.append(
                "the primary key of \(table) changes from (\(current.primaryKey.joined(separator: ", "))) to (\(wanted.primaryKey.joined(separator: ", "))): write that step by hand"
            )
        }
        self.changes += before + columns + after
    }

    static func same(_ a: ColumnDefinition, _ b: ColumnDefinition, _ dialect: Dialect) -> Bool {
        SchemaText.sameType(a.type, b.type, dialect: dialect) && a.isNullable == b.isNullable
            // SQLite numbers an INTEGER PRIMARY KEY with or without AUTOINCREMENT, and no other column.
            && (dialect == .sqlite || a.isIdentity == b.isIdentity)
            && SchemaText.comparableDefault(a.defaultValue, dialect: dialect)
                == SchemaText.comparableDefault(b.defaultValue, dialect: dialect)
            && a.generated.map(SchemaText.comparableExpression) == b.generated.map(SchemaText.comparableExpression)
    }

    package static func same(_ a: IndexDefinition, _ b: IndexDefinition, _ dialect: Dialect = .postgresql) -> Bool {
        guard a.isUnique == b.isUnique,
            IndexMethod.written(a.method, for: dialect) == IndexMethod.written(b.method, for: dialect)
        else { return false }
        let columns: ([String], [String]) = (
            a.columns.map(SchemaText.comparableExpression), b.columns.map(SchemaText.comparableExpression)
        )
        let predicates: (String?, String?) = (
            a.predicate.map(SchemaText.comparableExpression), b.predicate.map(SchemaText.comparableExpression)
        )
        return columns.0 == columns.1 && predicates.0 == predicates.1
    }

    static func same(_ a: ForeignKeyDefinition, _ b: ForeignKeyDefinition) -> Bool {
        let noAction: ForeignKey.Action = .noAction
        let onDelete: (ForeignKey.Action, ForeignKey.Action) = (a.onDelete ?? noAction, b.onDelete ?? noAction)
        let onUpdate: (ForeignKey.Action, ForeignKey.Action) = (a.onUpdate ?? noAction, b.onUpdate ?? noAction)
        return a.sameReference(as: b) && onDelete.0 == onDelete.1 && onUpdate.0 == onUpdate.1
    }

    static func same(_ a: CheckDefinition, _ b: CheckDefinition) -> Bool {
        SchemaText.comparableExpression(a.expression) == SchemaText.comparableExpression(b.expression)
    }

    /// Orders tables so each comes after the tables it references (declaration order otherwise).
    static func referencedFirst(_ tables: [TableDefinition]) -> [TableDefinition] {
        var remaining = tables
        var done: Set<String> = []
        var ordered: [TableDefinition] = []
        let names = Set(tables.map(\.name))
        while !remaining.isEmpty {
            let index =
                remaining.firstIndex { table in
                    table.foreignKeys.allSatisfy {
                        !names.contains($0.referencedTable) || done.contains($0.referencedTable)
                            || $0.referencedTable == table.name
                    }
                } ?? 0
            let table = remaining.remove(at: index)
            done.insert(table.name)
            ordered.append(table)
        }
        return ordered
    }

    /// The steps that undo ``changes``, in the order they apply; `nil` when one cannot be undone.
    public var inverse: [SchemaChange]? {
        var steps: [SchemaChange] = []
        for change in self.changes.reversed() {
            guard let undo = change.inverse else { return nil }
            steps.append(undo)
        }
        return steps
    }
}
