import Foundation
import PostsAPI
import Quarry
import QuarryTesting
import Testing

/// The service's schema comes from explicit migration steps, not from its current models: these
/// check that the steps produce exactly what the models describe, roll back cleanly, and that a
/// database migrated by an earlier release (its `001` ran as `createAll`, unrecorded checksum)
/// is accepted as it is.
@Suite("Migrations")
struct MigrationTests {
    @Test(arguments: Backend.allCases)
    func theMigrationsProduceExactlyTheModelsAndRollBack(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            let migrator = Migrator(PostsMigrations.all)
            #expect(try await migrator.migrate(engine) == ["001_users_posts_stats"])
            let wanted = try PostsMigrations.models.map { try TableDefinition($0, for: engine.dialect) }
            let diff = SchemaDiff(from: try await engine.introspect(), to: wanted, dialect: engine.dialect)
            #expect(diff.changes.isEmpty, "\(diff.changes.map(\.swiftExpression))")
            #expect(try await migrator.status(engine).allSatisfy { $0.isApplied && !$0.isEdited })
            #expect(try await migrator.rollback(engine) == ["001_users_posts_stats"])
            #expect(try await engine.introspect().tables.isEmpty)
            #expect(try await Migrator.appliedMigrations(on: engine).isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func aDatabaseMigratedByAnEarlierReleaseIsAccepted(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            // What the earlier release left: createAll's tables and a record without a checksum column.
            try await engine.createAll(PostsMigrations.models)
            try await engine.execute(
                SQL(
                    unsafeRaw:
                        "CREATE TABLE quarry_migrations (name TEXT PRIMARY KEY, applied_order INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)"
                )
            )
            try await engine.execute(
                SQL("INSERT INTO quarry_migrations (name, applied_order) VALUES ('001_users_posts_stats', 0)")
            )
            #expect(try await Migrator(PostsMigrations.all).migrate(engine).isEmpty)
            let history = try await Migrator.history(on: engine)
            #expect(history.map(\.name) == ["001_users_posts_stats"])
            #expect(history[0].checksum == nil)
            let wanted = try PostsMigrations.models.map { try TableDefinition($0, for: engine.dialect) }
            #expect(
                SchemaDiff(from: try await engine.introspect(), to: wanted, dialect: engine.dialect).changes.isEmpty
            )
        }
    }
}
