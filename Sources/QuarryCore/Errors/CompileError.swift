/// A statement that cannot be turned into SQL, such as an `INSERT` with no rows or an `UPDATE`
/// with nothing to set.
///
/// ```swift
/// do { _ = try insert([User]()).compile(for: .sqlite) }
/// catch let error as CompileError where error.code == .emptyStatement { … }
/// ```
public struct CompileError: Error, Sendable, CustomStringConvertible {
    /// The kind of problem; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case emptyStatement, unsupportedByDialect, unknownColumn, tooManyBinds, missingPrimaryKey, invalidValue
        }
        let base: Base
        /// The statement has nothing to do (no rows to insert, no columns to set).
        public static let emptyStatement = Code(base: .emptyStatement)
        /// The dialect cannot express this statement.
        public static let unsupportedByDialect = Code(base: .unsupportedByDialect)
        /// A key path does not name a column of its table.
        public static let unknownColumn = Code(base: .unknownColumn)
        /// More values than the dialect can bind in one statement.
        public static let tooManyBinds = Code(base: .tooManyBinds)
        /// The table has no primary key, or the row has no primary-key value.
        public static let missingPrimaryKey = Code(base: .missingPrimaryKey)
        /// A bound value no database can store exactly (a NaN `Decimal`).
        public static let invalidValue = Code(base: .invalidValue)
        public var description: String { self.base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// An explanation naming the table or column involved.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "CompileError.\(self.code): \(self.message)" }
}

extension CompileError {
    /// A `Decimal` NaN was bound: no column type stores it exactly.
    package static var nanDecimal: CompileError {
        CompileError(.invalidValue, "A NaN Decimal cannot be stored exactly; check the value before binding it")
    }
}
