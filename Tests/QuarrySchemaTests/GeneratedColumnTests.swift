import Foundation
import Quarry
import QuarryTesting
import Testing

/// Columns the database computes (`GENERATED ALWAYS AS (…) STORED`): created from the model,
/// read with the row, never written, reflected and compared by the diff, added by a migration.
@Suite("Generated columns")
struct GeneratedColumnTests {
    @Test(arguments: Backend.allCases)
    func theDatabaseComputesAndQuarryNeverWrites(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(OrderLine.self)
            var line = try await engine.one(insert(OrderLine(unitCents: 250, quantity: 4)).returning())
            #expect(line.totalCents == 1000)
            // An update of the row writes what it may; the database computes the rest again.
            line.quantity = 5
            line.totalCents = 1
            try await engine.execute(update(line))
            #expect(try await engine.one(select(OrderLine.self)).totalCents == 1250)
            // So does a session, for a loaded row and a new one.
            try await engine.withSession { session in
                var loaded = try #require(try await session.get(OrderLine.self, id: line.id!))
                loaded.unitCents = 100
                try session.update(loaded)
                try session.add(OrderLine(unitCents: 7, quantity: 3, totalCents: 99))
                try await session.commit()
            }
            let rows = try await engine.all(select(OrderLine.self).orderBy(\.id))
            #expect(rows.map(\.totalCents) == [500, 21])
            // And an upsert's update.
            try await engine.execute(
                insert(OrderLine(id: rows[1].id, unitCents: 10, quantity: 3)).onConflict(\.id).doUpdateAll()
            )
            #expect(try await engine.one(select(OrderLine.self).where(\.id == rows[1].id!)).totalCents == 30)

            // Reflected as it was declared: no difference to the model, and the generator
            // writes the option back.
            let schema = try await engine.introspect()
            let reflected = try #require(schema.table(named: "order_lines")?.column(named: "total_cents"))
            #expect(reflected.generated.map(SchemaText.comparableExpression) == "unit_cents*quantity")
            let wanted = try TableDefinition(OrderLine.self, for: engine.dialect)
            #expect(SchemaDiff(from: schema, to: [wanted], dialect: engine.dialect).changes.isEmpty)
            let source = ModelSourceGenerator(schema: schema, dialect: engine.dialect).source()
            #expect(source.contains(#"@Column(.generated("unit_cents * quantity")) var totalCents: Int64? = nil"#))
        }
    }

    @Test(arguments: Backend.allCases)
    func aMigrationAddsOneToATableWithRows(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.createAll(OrderLineBefore.self)
            try await engine.execute(
                insert([OrderLineBefore(unitCents: 3, quantity: 2), .init(unitCents: 5, quantity: 1)])
            )
            let diff = SchemaDiff(
                from: try await engine.introspect(),
                to: [try TableDefinition(OrderLine.self, for: engine.dialect)],
                dialect: engine.dialect
            )
            #expect(diff.changes.count == 1)
            // What `quarry revision --autogenerate` writes for the step keeps the expression.
            #expect(diff.changes.first?.swiftExpression.contains(#"generated: "unit_cents * quantity""#) == true)
            // SQLite cannot add a stored generated column in place: the table is rebuilt, and the
            // column computed for the copied rows.
            try await Migrator([Migration("001_total", up: diff.changes)]).migrate(engine)
            let rows = try await engine.all(select(OrderLine.self).orderBy(\.id))
            #expect(rows.map(\.totalCents) == [6, 5])
        }
    }
}

@Table("order_lines")
struct OrderLine: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var unitCents: Int64
    var quantity: Int64
    @Column(.generated("unit_cents * quantity")) var totalCents: Int64? = nil
}

/// `order_lines` before its total.
@Table("order_lines")
struct OrderLineBefore: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var unitCents: Int64
    var quantity: Int64
}
