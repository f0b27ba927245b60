/// A second name for a table in one statement, for self-joins and for joining a table twice:
/// `employee AS manager`. Its columns are qualified by the alias.
///
/// ```swift
/// let manager = TableAlias(Employee.self, "manager")
/// let pairs = select(Employee.Columns.lastName, manager[\.lastName], from: Employee.self)
///     .join(manager, on: Employee.Columns.reportsTo == manager[\.employeeId])
/// ```
public struct TableAlias<T: Table>: Sendable {
    /// The alias.
    public let name: String

    /// `T` as `name`.
    public init(_ table: T.Type, _ name: String) { self.name = name }

    /// The column stored by `keyPath`, qualified by the alias; a key path that is not a stored
    /// column fails to compile with `unknownColumn`.
    public subscript<V>(_ keyPath: KeyPath<T, V>) -> SQLExpression<V> {
        guard let column = T.columnName(for: keyPath) else { return SQLExpression(.invalid(T.notAColumn(keyPath))) }
        return SQLExpression(.column(table: self.name, name: column))
    }
}

extension Select {
    /// `JOIN table AS alias ON condition` (a self-join, or a second join of one table).
    public func join<T: Table>(_ alias: TableAlias<T>, on condition: some SQLExpressible<Bool>) -> Select {
        self.joining(.inner, T.self, alias: alias.name, on: condition)
    }

    /// `LEFT JOIN table AS alias ON condition`.
    public func leftJoin<T: Table>(_ alias: TableAlias<T>, on condition: some SQLExpressible<Bool>) -> Select {
        self.joining(.left, T.self, alias: alias.name, on: condition)
    }

    /// `CROSS JOIN table AS alias`: every pair of rows, as for pairing a table with itself.
    public func crossJoin<T: Table>(_ alias: TableAlias<T>) -> Select {
        self.joining(.cross, T.self, alias: alias.name, on: nil)
    }
}
