/// A typed column of a table, usable in expressions: `User.Columns.email.like("%@example.com")`.
///
/// `@Table` generates one per stored property in a nested `Columns` enum, so no column name is
/// written twice.
///
/// ```swift
/// let byEmail = select(User.self).where(User.Columns.email == "ada@example.com")
/// ```
public struct Column<Value>: SQLExpressible, Sendable {
    /// The column name.
    public let name: String
    /// The table the column belongs to.
    public let table: String

    /// Declares a column.
    public init(_ name: String, table: String) {
        self.name = name
        self.table = table
    }

    public var sqlNode: SQLNode { .column(table: self.table, name: self.name) }
}
