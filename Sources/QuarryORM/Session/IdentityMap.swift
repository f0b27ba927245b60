import QuarryCore

/// The rows a session has loaded, by table and primary key: `get` answers from it, and `update`
/// compares against the loaded values to write only the columns that changed.
struct IdentityMap: Sendable {
    struct Key: Hashable, Sendable {
        let table: ObjectIdentifier
        /// The first key column's value, and the other columns' of a composite key: a one-column
        /// key (most tables) is held without an array, so registering a loaded row allocates none.
        let first: DatabaseValue
        let rest: [DatabaseValue]

        init<T: Table>(_ type: T.Type, _ primaryKey: [DatabaseValue]) {
            self.table = ObjectIdentifier(type)
            self.first = primaryKey.first ?? .null
            self.rest = primaryKey.count > 1 ? Array(primaryKey.dropFirst()) : []
        }

        /// The key of a row of `T` from its column values; `nil` when a key column is `NULL` (or
        /// the table has no key).
        init?<T: Table>(_ type: T.Type, values: [DatabaseValue]) {
            let indexes = T.schema.primaryKeyIndexes
            guard let firstIndex = indexes.first, !values[firstIndex].isNull else { return nil }
            var rest: [DatabaseValue] = []
            if indexes.count > 1 {
                rest.reserveCapacity(indexes.count - 1)
                for index in indexes.dropFirst() {
                    if values[index].isNull { return nil }
                    rest.append(values[index])
                }
            }
            self.table = ObjectIdentifier(type)
            self.first = values[firstIndex]
            self.rest = rest
        }

        /// The key of `model`; `nil` when it has none yet.
        init?<T: Table>(of model: T) {
            self.init(T.self, values: model.databaseValues)
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
        guard let key = Key(of: model) else { return nil }
        return self.entries[key]?.values
    }

    mutating func register<T: Table>(_ model: T) {
        // The values once, the key taken from them (a flush registers thousands of rows).
        let values = model.databaseValues
        guard let key = Key(T.self, values: values) else { return }
        self.entries[key] = Entry(model: model, values: values)
    }

    mutating func remove<T: Table>(_ model: T) {
        guard let key = Key(of: model) else { return }
        self.entries[key] = nil
    }

    mutating func removeAll() { self.entries.removeAll() }

    /// Forgets every loaded row of one model type (rows a cascade deleted by condition).
    mutating func removeAll(of table: ObjectIdentifier) {
        self.entries = self.entries.filter { $0.key.table != table }
    }
}
