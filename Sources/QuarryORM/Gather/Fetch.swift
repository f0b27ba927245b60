public import QuarryCore
import QuarryEngine

/// A statement paired with how to read its result, for ``Session/gather(_:)``: made by `.all()`,
/// `.one()`, `.oneOrNone()`, `.first()` or `.scalar()` on a select.
///
/// ```swift
/// let (user, posts, total) = try await session.gather(
///     select(User.self).where(\.id == 42).oneOrNone(),
///     select(Post.self).where(\.userId == 42).all(),
///     select(count(), from: Post.self).scalar())
/// ```
public struct Fetch<Result: Sendable>: Sendable {
    let perform: @Sendable (Session) async throws -> Result

    /// A fetch that runs `perform` on the session.
    public init(_ perform: @escaping @Sendable (Session) async throws -> Result) {
        self.perform = perform
    }
}

extension RowProducing {
    /// Every row (``Session/gather(_:)``).
    public func all() -> Fetch<[Output]> { Fetch { try await $0.all(self) } }
    /// Exactly one row (``Session/gather(_:)``); `noResult`/`multipleResults` otherwise.
    public func one() -> Fetch<Output> { Fetch { try await $0.one(self) } }
    /// One row or `nil` (``Session/gather(_:)``).
    public func oneOrNone() -> Fetch<Output?> { Fetch { try await $0.oneOrNone(self) } }
    /// The first row or `nil` (``Session/gather(_:)``).
    public func first() -> Fetch<Output?> { Fetch { try await $0.first(self) } }
    /// The first row's value (``Session/gather(_:)``); `noResult` when there is none.
    public func scalar() -> Fetch<Output> { Fetch { try await $0.scalar(self) } }
}

extension RowProducing where Output: Table {
    /// Every row, recorded in the session's identity map (``Session/gather(_:)``).
    public func all() -> Fetch<[Output]> { Fetch { try await $0.all(self) } }
    /// Exactly one row, recorded in the session's identity map (``Session/gather(_:)``).
    public func one() -> Fetch<Output> { Fetch { try await $0.one(self) } }
    /// One row or `nil`, recorded in the session's identity map (``Session/gather(_:)``).
    public func oneOrNone() -> Fetch<Output?> { Fetch { try await $0.oneOrNone(self) } }
    /// The first row or `nil`, recorded in the session's identity map (``Session/gather(_:)``).
    public func first() -> Fetch<Output?> { Fetch { try await $0.first(self) } }
}
