// The umbrella module: one import for applications. Only Quarry's own modules are re-exported;
// NIO, PostgresNIO and SQLiteNIO stay behind the driver seam.
@_exported import QuarryCore
@_exported import QuarryEngine
@_exported import QuarryORM
