/// The driver conformance suite: every behaviour a Quarry driver must have, as checks that run
/// against any ``ConformanceDatabase``. Quarry's own test suite runs them on SQLite and
/// PostgreSQL; a third-party driver runs the same list on its database.
///
/// ```swift
/// @Test(arguments: DriverConformance.checks, ConformanceDatabase.quarryDrivers)
/// func driverConforms(_ check: ConformanceCheck, _ database: ConformanceDatabase) async throws {
///     try await check.run(on: database)
/// }
/// ```
public enum DriverConformance {
    /// Every check.
    public static let checks: [ConformanceCheck] = [
        // Constraint errors, results and transactions
        ConstraintAndTransactionChecks.uniqueViolationIsTypedWithConstraint,
        ConstraintAndTransactionChecks.foreignKeyAndNotNullViolations,
        ConstraintAndTransactionChecks.oneAndOneOrNoneNameTheProblem,
        ConstraintAndTransactionChecks.throwingTransactionLeavesNothingBehind,
        ConstraintAndTransactionChecks.savepointsRollBackOnlyTheirPart,
        ConstraintAndTransactionChecks.updateDeleteUpsertAndCounts,
        // Pool, cancellation and streaming
        PoolAndStreamingChecks.moreTasksThanConnectionsAllFinish,
        PoolAndStreamingChecks.cancellingWhileConnectingLeaksNothing,
        PoolAndStreamingChecks.heldPoolTimesOutWithTypedError,
        PoolAndStreamingChecks.cancellingMidQueryLeavesThePoolHealthy,
        PoolAndStreamingChecks.statementTimeoutStopsARunawayStatement,
        PoolAndStreamingChecks.streamingHundredThousandRowsKeepsMemoryFlat,
        PoolAndStreamingChecks.streamStoppedEarlyLeavesConnectionUsable,
        // Every type round-trips identically
        TypeRoundTripChecks.modelsRoundTrip,
        TypeRoundTripChecks.exactTypesRoundTripAtTheirLimits,
        TypeRoundTripChecks.calendarTypesAndArraysRoundTrip,
        TypeRoundTripChecks.nulBytesInTextAreRefusedClearlyOrKept,
        TypeRoundTripChecks.microsecondsAreKept,
        TypeRoundTripChecks.rawSQLInterpolationBinds,
    ]
}
