public import Testing

/// One behaviour every driver must have, written once and run against any
/// ``ConformanceDatabase``: constraint errors are typed, cancellation leaves the pool healthy,
/// every type round-trips, and so on. Failures are recorded with Swift Testing's `#expect`.
///
/// ```swift
/// @Test(arguments: DriverConformance.checks, ConformanceDatabase.quarryDrivers)
/// func driverConforms(_ check: ConformanceCheck, _ database: ConformanceDatabase) async throws {
///     try await check.run(on: database)
/// }
/// ```
public struct ConformanceCheck: Sendable, CustomTestStringConvertible {
    /// The behaviour, as a test name.
    public let name: String
    let body: @Sendable (ConformanceDatabase) async throws -> Void

    init(_ name: String, _ body: @escaping @Sendable (ConformanceDatabase) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the check on `database`.
    /// - Throws: What the check throws (an unexpected error); failed expectations are recorded.
    public func run(on database: ConformanceDatabase) async throws { try await self.body(database) }

    public var testDescription: String { self.name }
}
