package import QuarryCore

/// Statements whose SQL depends only on a model type, compiled once per engine and then reused
/// with new values: `Session.get`'s select by primary key is the same text for every key of a
/// table, so a get compiles nothing after the first one.
///
/// A template is only reused for values it can take unchanged: as many values as it binds, none
/// `NULL` and none unstorable (which compile differently or fail); anything else is compiled
/// afresh, so errors are the compiler's own.
///
/// ```swift
/// let compiled = try engine.templates.statement(.primaryKeySelect, of: User.self, binding: [.integer(42)]) {
///     try select(User.self).where(User.primaryKeyEquals($0)).compile(for: engine.dialect)
/// }
/// ```
package final class StatementTemplates: Sendable {
    /// What a template is for (one model type has several).
    package enum Purpose: Hashable, Sendable {
        /// `SELECT … FROM table WHERE key = $1 [AND …]`.
        case primaryKeySelect
    }

    private struct Key: Hashable {
        let purpose: Purpose
        let table: ObjectIdentifier
    }

    private let templates = Locked<[Key: CompiledStatement]>([:])

    package init() {}

    /// The statement for `purpose` and `table` with `values` bound in its placeholders' order;
    /// `compile` compiles it with `values` the first time (or when the values do not fit a template).
    package func statement<T>(
        _ purpose: Purpose,
        of table: T.Type,
        binding values: [DatabaseValue],
        compile: ([DatabaseValue]) throws -> CompiledStatement
    ) throws -> CompiledStatement {
        let key = Key(purpose: purpose, table: ObjectIdentifier(table))
        let reusable = !values.contains { $0.isNull || $0.isUnstorable }
        if reusable, var template = self.templates.withLockedValue({ $0[key] }), template.binds.count == values.count {
            template.binds = values
            return template
        }
        let compiled = try compile(values)
        if reusable, compiled.binds == values, compiled.bulkCopy == nil {
            self.templates.withLockedValue { $0[key] = compiled }
        }
        return compiled
    }
}
