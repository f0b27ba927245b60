public import Foundation

/// Receives the columns of a `@Table` value in declaration order, each with its name and its
/// static type: a serializer (JSON, CSV, …) writes a model without `Codable`'s dynamic dispatch.
/// `@Table` generates ``ColumnVisitable/visitColumns(_:)`` for every model whose `Codable` it
/// generates, so the two always agree on names and order.
///
/// ```swift
/// struct ColumnNames: ColumnVisitor {
///     var names: [String] = []
///     mutating func visit(_ column: String, _ value: some Encodable) { names.append(column) }
/// }
/// var collector = ColumnNames()
/// try user.visitColumns(&collector)   // ["id", "name", "email", "created_at"]
/// ```
public protocol ColumnVisitor {
    /// Any column type without an overload of its own.
    mutating func visit<Value: Encodable>(_ column: String, _ value: Value) throws
    /// A text column.
    mutating func visit(_ column: String, _ value: String) throws
    /// An optional text column.
    mutating func visit(_ column: String, _ value: String?) throws
    /// An integer column.
    mutating func visit(_ column: String, _ value: Int64) throws
    /// An optional integer column.
    mutating func visit(_ column: String, _ value: Int64?) throws
    /// An integer column.
    mutating func visit(_ column: String, _ value: Int) throws
    /// A boolean column.
    mutating func visit(_ column: String, _ value: Bool) throws
    /// A floating-point column.
    mutating func visit(_ column: String, _ value: Double) throws
    /// A timestamp column.
    mutating func visit(_ column: String, _ value: Date) throws
    /// An optional timestamp column.
    mutating func visit(_ column: String, _ value: Date?) throws
}

extension ColumnVisitor {
    /// The generic `visit` (the requirement), for the overloads' default implementations.
    private mutating func visitEncodable<Value: Encodable>(_ column: String, _ value: Value) throws {
        try self.visit(column, value)
    }

    public mutating func visit(_ column: String, _ value: String) throws { try self.visitEncodable(column, value) }
    public mutating func visit(_ column: String, _ value: String?) throws { try self.visitEncodable(column, value) }
    public mutating func visit(_ column: String, _ value: Int64) throws { try self.visitEncodable(column, value) }
    public mutating func visit(_ column: String, _ value: Int64?) throws { try self.visitEncodable(column, value) }
    public mutating func visit(_ column: String, _ value: Int) throws { try self.visitEncodable(column, value) }
    public mutating func visit(_ column: String, _ value: Bool) throws { try self.visitEncodable(column, value) }
    public mutating func visit(_ column: String, _ value: Double) throws { try self.visitEncodable(column, value) }
    public mutating func visit(_ column: String, _ value: Date) throws { try self.visitEncodable(column, value) }
    public mutating func visit(_ column: String, _ value: Date?) throws { try self.visitEncodable(column, value) }
}

/// A value that can show its columns to a ``ColumnVisitor`` (every `@Table` model that does not
/// declare its own `CodingKeys`).
public protocol ColumnVisitable {
    /// Calls `visitor` once per column, in declaration order, with the column's name.
    func visitColumns<Visitor: ColumnVisitor>(_ visitor: inout Visitor) throws
}
