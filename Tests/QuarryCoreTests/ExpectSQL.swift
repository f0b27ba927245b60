import QuarryCore
import Testing

/// Asserts the exact SQL and binds a statement compiles to on both dialects.
func expectSQL(
    _ statement: some Statement,
    postgres: String,
    sqlite: String,
    binds: [DatabaseValue] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let pg = try statement.compile(for: .postgresql)
    let lite = try statement.compile(for: .sqlite)
    #expect(pg.sql == postgres, sourceLocation: sourceLocation)
    #expect(lite.sql == sqlite, sourceLocation: sourceLocation)
    #expect(pg.binds == binds, sourceLocation: sourceLocation)
    #expect(lite.binds == binds, sourceLocation: sourceLocation)
}
