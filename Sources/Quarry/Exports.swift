// The umbrella module: one import for applications. Quarry's own modules are re-exported, and the
// few outside types its public signatures use, symbol by symbol (so `import Quarry` is enough to
// declare a model with a `Date` or a `UUID` and to pass a `Logger`); NIO, PostgresNIO and
// SQLiteNIO stay behind the driver seam.
@_exported import QuarryCore
@_exported import QuarryEngine
@_exported import QuarryORM

@_exported import struct Foundation.Data
@_exported import struct Foundation.Date
@_exported import struct Foundation.Decimal
@_exported import struct Foundation.UUID
@_exported import struct Logging.Logger
