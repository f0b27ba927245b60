import NIOCore
import QuarryEngine
import SQLiteNIO

/// `sqlite3_interrupt` of the SQLite that SQLiteNIO builds (its symbols carry the `sqlite_nio_`
/// prefix). SQLiteNIO does not wrap it, so it is declared here by its C symbol: one pointer in,
/// nothing out, the same in Swift's and C's calling conventions on every supported platform.
@_silgen_name("sqlite_nio_sqlite3_interrupt")
private func sqliteNIOInterrupt(_ database: OpaquePointer?)

/// Stops the statement running on one SQLite connection from any thread: a statement timeout or a
/// cancelled request ends a runaway query (a recursive CTE, a huge sort) within one VM step
/// instead of when it finishes; SQLite then answers `SQLITE_INTERRUPT` and the connection stays
/// usable.
///
/// `@unchecked Sendable`: it holds the connection's `sqlite3*`. SQLite documents
/// `sqlite3_interrupt` as safe to call from any thread while the connection is open, and
/// ``interrupt()`` is only called for a connection that is leased to a running statement, which
/// the pool never closes meanwhile.
struct SQLiteInterrupt: @unchecked Sendable {
    private let database: OpaquePointer?

    /// Finds the connection's `sqlite3*`, which SQLiteNIO keeps in an internal property
    /// (`handle.raw`); `nil` if a later SQLiteNIO stores it elsewhere (then statements run to
    /// their end, as before, and `testInterruptStopsARunawayStatement` fails to say so).
    init?(_ connection: SQLiteConnection) {
        let raw = Mirror(reflecting: connection).descendant("handle", "raw")
        guard let pointer = raw as? OpaquePointer?, let pointer else { return nil }
        self.database = pointer
    }

    func interrupt() { sqliteNIOInterrupt(self.database) }
}
