import QuarryCore

/// The rows a session has loaded, by table and primary key: `get` answers from it, and `update`
/// compares against the loaded values to write only the columns that changed.
struct IdentityMap: Sendable {
    struct Key: Hashable, Sendable {
        let table: ObjectIdentifier
        let primaryKey: [DatabaseValue]

        init<T: Table>(_ type: T.Type, _ primaryKey: [DatabaseValue]) {
            self.table = ObjectIdentifier(type)
            self.primaryKey = primaryKey
        }
    }

    struct Entry: Sendable {
        /// The model as loaded (a `T`).
        let model: any Sendable
        /// Its column values as the database holds them.
        let values: [DatabaseValue]
    }

    private var entries: [Key: Entry] = [:]

    var count: Int { self.entries.count }

    /// Makes room for `capacity` rows at once (a flush registers a batch's returned rows).
    mutating func reserveCapacity(_ capacity: Int) { self.entries.reserveCapacity(capacity) }

    func model<T: Table>(_ type: T.Type, primaryKey: [DatabaseValue]) -> T? {
        self.entries[Key(type, primaryKey)]?.model as? T
    }

    func values<T: Table>(of model: T) -> [DatabaseValue]? {
        guard let key = model.primaryKeyValues else { return nil }
        return self.entries[Key(T.self, key)]?.values
    }

    mutating func register<T: Table>(_ model: T) {
        // The values once, the key taken from them (a flush registers thousands of rows).
        let values = model.databaseValues
        let indexes = T.schema.primaryKeyIndexes
        guard !indexes.isEmpty else { return }
        var key: [DatabaseValue] = []
        key.reserveCapacity(indexes.count)
        for index in indexes {
            if values[index].isNull { return }
            key.append(values[index])
        }
        self.entries[Key(T.self, key)] = Entry(model: model, values: values)
    }

    mutating func remove<T: Table>(_ model: T) {
        guard let key = model.primaryKeyValues else { return }
        self.entries[Key(T.self, key)] = nil
    }

    mutating func removeAll() { self.entries.removeAll() }

    /// Forgets every loaded row of one model type (rows a cascade deleted by condition).
    mutating func removeAll(of table: ObjectIdentifier) {
        self.entries = self.entries.filter { $0.key.table != table }
    }
}
