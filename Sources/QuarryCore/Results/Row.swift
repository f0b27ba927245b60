/// One result row: its values in select-list order, with the column names shared by every row of
/// the result.
///
/// Generated `@Table` decoders read by position; use names for ad-hoc queries.
///
/// ```swift
/// let rows = try await engine.all(SQL("SELECT id, name FROM users").readOnly())
/// let name = try rows[0].decode(String.self, "name")
/// let id: Int64 = try rows[0].decode(at: 0)
/// ```
public struct Row: Sendable {
    /// The values, in select-list order.
    public let values: [DatabaseValue]
    /// The column names, in select-list order.
    public let columns: ColumnNames

    /// Creates a row.
    public init(values: [DatabaseValue], columns: ColumnNames) {
        self.values = values
        self.columns = columns
    }

    /// The number of columns.
    public var count: Int { self.values.count }

    /// The value at `index`, as stored.
    public subscript(index: Int) -> DatabaseValue { self.values[index] }

    /// Decodes the value at `index`.
    /// - Throws: ``DatabaseError/Code/typeMismatch`` naming the column when the value does not fit `T`.
    @inlinable
    public func decode<T: DatabaseValueConvertible>(_ type: T.Type = T.self, at index: Int) throws -> T {
        guard index < self.values.count else {
            throw DatabaseError(
                .typeMismatch,
                message: "Row has \(self.values.count) columns; column \(index) was requested"
            )
        }
        let value = self.values[index]
        if let decoded = T.fromDatabaseValue(value) { return decoded }
        throw self.mismatch(T.self, index: index, value: value)
    }

    /// Decodes the value at `index` of a row of `table`; an error names the table as well.
    /// `@Table`'s generated `init(row:)` uses it.
    /// - Throws: ``DatabaseError/Code/typeMismatch`` naming the table, the column, the stored
    ///   value's kind and `T`.
    @inlinable
    public func decode<T: DatabaseValueConvertible>(_ type: T.Type = T.self, at index: Int, table: String) throws -> T {
        if index < self.values.count, let decoded = T.fromDatabaseValue(self.values[index]) { return decoded }
        do {
            return try self.decode(T.self, at: index)
        } catch var error as DatabaseError {
            error.table = table
            error.message = "\(table): " + error.message
            throw error
        }
    }

    /// Decodes the value of the column named `name`.
    /// - Throws: ``DatabaseError/Code/typeMismatch`` when the column is missing or does not fit `T`.
    public func decode<T: DatabaseValueConvertible>(_ type: T.Type = T.self, _ name: String) throws -> T {
        guard let index = self.columns.index(of: name) else {
            throw DatabaseError(.typeMismatch, message: "No column named \(name) in the result")
        }
        return try self.decode(T.self, at: index)
    }

    @usableFromInline
    func mismatch(_ type: Any.Type, index: Int, value: DatabaseValue) -> DatabaseError {
        let name = index < self.columns.names.count ? self.columns.names[index] : "#\(index)"
        return DatabaseError(
            .typeMismatch,
            message: "Column \(name) holds a \(value.kindName) value, which does not convert to \(type)"
        )
    }
}

/// The column names of a result, shared by all its rows.
public final class ColumnNames: Sendable {
    /// The names, in select-list order.
    public let names: [String]
    private let indexes: [String: Int]

    /// Creates the list.
    public init(_ names: [String]) {
        self.names = names
        var indexes: [String: Int] = [:]
        for (i, name) in names.enumerated() where indexes[name] == nil { indexes[name] = i }
        self.indexes = indexes
    }

    /// The position of the first column named `name`.
    public func index(of name: String) -> Int? { self.indexes[name] }
}
