public import QuarryCore
import QuarryEngine

/// Code a model runs around its own writes through a ``Session``: before and after insert,
/// update and delete. Conform a `@Table` model and implement the hooks it needs (the others do
/// nothing); there is nothing to register.
///
/// ```swift
/// extension Article: ModelHooks {
///     mutating func willInsert() throws {
///         if self.slug.isEmpty { self.slug = self.title.lowercased() }
///     }
///     func willDelete() throws {
///         if self.isPinned { throw ArticleError.pinned }
///     }
/// }
/// ```
///
/// The `will…` hooks run when the write is queued (`add`, `insert(&:)`, `update`, `modify`,
/// `delete`): a `mutating` one may change the row that is written, and one that throws refuses
/// the write — nothing is queued, and the error reaches the caller. The `did…` hooks run in the
/// flush, right after the statement succeeded, with the row as written (an inserted row with the
/// key the database gave it). They run inside the session's transaction: a later failure rolls the
/// writes back but cannot undo what a hook did outside the database. Statements run without the
/// session (`engine.execute(update(…))`) run no hooks.
public protocol ModelHooks: Table {
    /// Before the row is queued for insertion; may change it, or throw to refuse it.
    mutating func willInsert() throws
    /// After the row was inserted, with what the database filled in.
    func didInsert()
    /// Before a changed row's `UPDATE` is queued; may change it further, or throw to refuse it.
    mutating func willUpdate() throws
    /// After the row was updated.
    func didUpdate()
    /// Before the row's `DELETE` is queued; throw to refuse it.
    func willDelete() throws
    /// After the row was deleted.
    func didDelete()
}

extension ModelHooks {
    public mutating func willInsert() throws {}
    public func didInsert() {}
    public mutating func willUpdate() throws {}
    public func didUpdate() {}
    public func willDelete() throws {}
    public func didDelete() {}
}

/// Calls a model's hooks from generic session code, where `T` is any `Table`: a model that does
/// not conform costs one conformance check.
enum Hooks {
    static func willInsert<T: Table>(_ model: inout T) throws {
        guard var hooked = model as? any ModelHooks else { return }
        try hooked.willInsert()
        if let changed = hooked as? T { model = changed }
    }

    static func willUpdate<T: Table>(_ model: inout T) throws {
        guard var hooked = model as? any ModelHooks else { return }
        try hooked.willUpdate()
        if let changed = hooked as? T { model = changed }
    }

    static func willDelete<T: Table>(_ model: T) throws {
        try (model as? any ModelHooks)?.willDelete()
    }

    /// What runs after a flushed insert of `T`: `didInsert` on each returned row; `nil` when `T`
    /// has no hooks.
    static func afterInsert<T: Table>(_ type: T.Type) -> (@Sendable (QueryResult) throws -> Void)? {
        guard T.self is any ModelHooks.Type else { return nil }
        return { result in
            for row in result.rows { (try T(row: row) as? any ModelHooks)?.didInsert() }
        }
    }

    /// What runs after the flushed `UPDATE` of `model`: its `didUpdate`; `nil` without hooks.
    static func afterUpdate<T: Table>(_ model: T) -> (@Sendable (QueryResult) throws -> Void)? {
        guard let hooked = model as? any ModelHooks else { return nil }
        return { _ in hooked.didUpdate() }
    }

    /// What runs after the flushed `DELETE` of `model`: its `didDelete`; `nil` without hooks.
    static func afterDelete<T: Table>(_ model: T) -> (@Sendable (QueryResult) throws -> Void)? {
        guard let hooked = model as? any ModelHooks else { return nil }
        return { _ in hooked.didDelete() }
    }
}
