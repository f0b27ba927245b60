/// The databases every database test runs on.
///
/// ```swift
/// @Test(arguments: Backend.allCases)
/// func roundTrip(_ backend: Backend) async throws {
///     try await withTestEngine(backend) { engine in … }
/// }
/// ```
public enum Backend: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A temporary SQLite file.
    case sqlite
    /// A fresh schema in the throwaway PostgreSQL server that `scripts/test` starts.
    case postgres

    public var description: String { self.rawValue }
}
