import Foundation
import QuarryNaming

extension Row {
    /// The row decoded into any `Decodable` type by column name (GRDB's `FetchableRecord`): each
    /// coding key reads the column of that name, or of its snake_case form (`userId` → `user_id`).
    ///
    /// ```swift
    /// struct Stat: Decodable, Sendable { var country: String; var customers: Int64 }
    /// let rows = try await engine.all(SQL("SELECT country, COUNT(*) AS customers FROM customer GROUP BY country"))
    /// let stats = try rows.map { try $0.decode(as: Stat.self) }
    /// ```
    /// - Throws: `DatabaseError` `typeMismatch` naming the column that is missing or does not fit.
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        do {
            return try T(from: RowDecoder(row: self))
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw DatabaseError(.typeMismatch, message: "Cannot decode \(T.self) from the row: \(error)")
        }
    }
}

extension SQL {
    /// This raw query with its rows decoded by column name into `type` (see ``Row/decode(as:)``).
    ///
    /// ```swift
    /// let stats = try await engine.all(SQL("SELECT country, COUNT(*) AS customers FROM customer GROUP BY country").decoding(Stat.self))
    /// ```
    public func decoding<T: Decodable & Sendable>(_ type: T.Type) -> DecodingQuery<T> { DecodingQuery(sql: self) }
}

/// Raw SQL whose rows decode by column name into a `Decodable` type.
public struct DecodingQuery<Value: Decodable & Sendable>: RowProducing {
    /// The statement.
    public let sql: SQL

    public func compile(into builder: inout SQLBuilder) throws { try self.sql.compile(into: &builder) }

    public var kind: StatementKind { self.sql.kind }

    public func decode(_ row: Row) throws -> Value { try row.decode(as: Value.self) }
}

extension Select {
    /// The same query with each row decoded by column name into `type`: the select list's
    /// columns and aliases (`count().as("posts")`) become the type's properties.
    ///
    /// ```swift
    /// struct Activity: Decodable, Sendable { var userId: Int64; var posts: Int64 }
    /// let rows = try await engine.all(
    ///     select(Post.Columns.userId, count().as("posts"), from: Post.self).groupBy(Post.Columns.userId).decoding(Activity.self)
    /// )
    /// ```
    public func decoding<T: Decodable & Sendable>(_ type: T.Type) -> Select<From, T> {
        Select<From, T>(core: self.core) { try $0.decode(as: T.self) }
    }
}

/// A `Decoder` reading one row by column name.
struct RowDecoder: Decoder {
    let row: Row
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(row: self.row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DatabaseError(.typeMismatch, message: "A row decodes into a type with named properties, not an array")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DatabaseError(
            .typeMismatch,
            message: "A row decodes into a type with named properties, not a single value"
        )
    }
}

/// Reads each key's column; values are converted as `DatabaseValueConvertible` types convert.
struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: Row
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { self.row.columns.names.compactMap { Key(stringValue: $0) } }

    func index(_ key: Key) -> Int? {
        self.row.columns.index(of: key.stringValue)
            ?? self.row.columns.index(of: ColumnNaming.snakeCase(key.stringValue))
    }

    func contains(_ key: Key) -> Bool { self.index(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let i = self.index(key) else { return true }
        return self.row[i].isNull
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let i = self.index(key) else {
            throw DatabaseError(.typeMismatch, message: "No column named \(key.stringValue) in the result")
        }
        if let convertible = T.self as? any DatabaseValueConvertible.Type {
            return try Self.convert(convertible, self.row, i) as! T  // the cast is to T itself
        }
        // A JSON document in a column (a nested Codable value).
        if case .json(let data) = self.row[i] { return try JSONDecoder().decode(T.self, from: data) }
        if case .text(let text) = self.row[i] { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) }
        throw DatabaseError(.typeMismatch, message: "Column \(key.stringValue) does not convert to \(T.self)")
    }

    private static func convert<V: DatabaseValueConvertible>(_ type: V.Type, _ row: Row, _ i: Int) throws -> V {
        try row.decode(V.self, at: i)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw DatabaseError(.typeMismatch, message: "Column \(key.stringValue) is a value, not a nested object")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DatabaseError(.typeMismatch, message: "Column \(key.stringValue) is a value, not an array")
    }

    func superDecoder() throws -> any Decoder { RowDecoder(row: self.row) }
    func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: self.row) }
}
