import QuarryTesting
import Testing

/// The driver conformance suite of `QuarryTesting` (``DriverConformance/checks``) on Quarry's own
/// drivers: every check on SQLite and on PostgreSQL.
@Suite("Driver conformance")
struct DriverConformanceTests {
    @Test(arguments: DriverConformance.checks, ConformanceDatabase.quarryDrivers)
    func driverConforms(_ check: ConformanceCheck, _ database: ConformanceDatabase) async throws {
        try await check.run(on: database)
    }
}
