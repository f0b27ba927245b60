import Foundation
import Quarry
import QuarryTesting
import Testing

/// `quarry reflect` on the Chinook database: the committed models in `Reflected/` are the
/// generator's output (regenerate with `quarry reflect <url> --prefix …`), they compile (this
/// target builds them), read every row, and create the schema they were read from.
@Suite("Reflection")
struct ReflectionTests {
    static let sqliteModels: [any Table.Type] = [
        SQLiteChinookAlbum.self, SQLiteChinookArtist.self, SQLiteChinookCustomer.self, SQLiteChinookEmployee.self,
        SQLiteChinookGenre.self, SQLiteChinookInvoice.self, SQLiteChinookInvoiceLine.self, SQLiteChinookMediaType.self,
        SQLiteChinookPlaylist.self, SQLiteChinookPlaylistTrack.self, SQLiteChinookTrack.self,
    ]
    static let postgresModels: [any Table.Type] = [
        PGChinookAlbum.self, PGChinookArtist.self, PGChinookCustomer.self, PGChinookEmployee.self, PGChinookGenre.self,
        PGChinookInvoice.self, PGChinookInvoiceLine.self, PGChinookMediaType.self, PGChinookPlaylist.self,
        PGChinookPlaylistTrack.self, PGChinookTrack.self,
    ]

    static func fixture(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Reflected/\(name)"
        )
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func theSQLiteModelsAreWhatTheGeneratorWrites() async throws {
        try await ChinookCorpus.withSQLite { engine in
            let source = ModelSourceGenerator(
                schema: try await engine.introspect(),
                dialect: .sqlite,
                typeNamePrefix: "SQLiteChinook"
            ).source()
            #expect(source == (try Self.fixture("SQLiteChinook.swift")))
        }
    }

    @Test func thePostgreSQLModelsAreWhatTheGeneratorWrites() async throws {
        try await ChinookCorpus.withPostgreSQL { engine in
            let source = ModelSourceGenerator(
                schema: try await engine.introspect(),
                dialect: .postgresql,
                typeNamePrefix: "PGChinook"
            ).source()
            #expect(source == (try Self.fixture("PGChinook.swift")))
        }
    }

    @Test func theSQLiteModelsReadEveryRow() async throws {
        try await ChinookCorpus.withSQLite { engine in
            try await Self.expectEveryRowReads(Self.sqliteModels, engine)
            let totals = try await engine.all(select(SQLiteChinookInvoice.self)).reduce(Decimal(0)) { $0 + $1.total }
            #expect(totals == Decimal(string: "2328.6")!)
        }
    }

    @Test func thePostgreSQLModelsReadEveryRow() async throws {
        try await ChinookCorpus.withPostgreSQL { engine in
            try await Self.expectEveryRowReads(Self.postgresModels, engine)
            let totals = try await engine.all(select(PGChinookInvoice.self)).reduce(Decimal(0)) { $0 + $1.total }
            #expect(totals == Decimal(string: "2328.6")!)
        }
    }

    /// The relations generated from the foreign keys load the graph: every album under its artist,
    /// every invoice line under its invoice and track, the employee hierarchy, the tracks of
    /// every playlist and the playlists of every track.
    @Test func theGeneratedRelationsLoadTheGraph() async throws {
        try await ChinookCorpus.withSQLite { engine in
            try await engine.withSession { session in
                let artists = try await session.all(
                    select(SQLiteChinookArtist.self).including(all: SQLiteChinookArtist.albums)
                )
                #expect(artists.count == 275)
                #expect(artists.reduce(0) { $0 + $1.children.count } == 347)
                let lines = try await session.all(
                    select(SQLiteChinookInvoiceLine.self).including(required: SQLiteChinookInvoiceLine.track)
                )
                #expect(lines.count == 2240)
                let managers = try await session.all(
                    select(SQLiteChinookEmployee.self).including(all: SQLiteChinookEmployee.employees)
                )
                #expect(managers.reduce(0) { $0 + $1.children.count } == 7)
                // Through the association table playlist_track, whose key is its two foreign keys.
                let playlists = try await session.all(
                    select(SQLiteChinookPlaylist.self).including(all: SQLiteChinookPlaylist.tracks)
                )
                #expect(playlists.reduce(0) { $0 + $1.children.count } == 8715)
            }
        }
        try await ChinookCorpus.withPostgreSQL { engine in
            try await engine.withSession { session in
                let customers = try await session.all(
                    select(PGChinookCustomer.self).including(all: PGChinookCustomer.invoices)
                )
                #expect(customers.count == 59)
                #expect(customers.reduce(0) { $0 + $1.children.count } == 412)
                let tracks = try await session.all(
                    select(PGChinookTrack.self).including(optional: PGChinookTrack.genre)
                )
                #expect(tracks.count == 3503)
                let onPlaylists = try await session.all(
                    select(PGChinookTrack.self).including(all: PGChinookTrack.playlists)
                )
                #expect(onPlaylists.reduce(0) { $0 + $1.children.count } == 8715)
            }
        }
    }

    /// A two-column foreign key to a two-column primary key becomes relations over both columns,
    /// on both backends; a foreign key to columns that are not the primary key does not.
    @Test(arguments: Backend.allCases)
    func compositeForeignKeysBecomeCompositeRelations(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await engine.execute(
                SQL(
                    """
                    CREATE TABLE releases (label TEXT NOT NULL, catalog_number INTEGER NOT NULL, title TEXT NOT NULL, \
                    PRIMARY KEY (label, catalog_number))
                    """
                )
            )
            try await engine.execute(
                SQL(
                    """
                    CREATE TABLE pressings (id INTEGER PRIMARY KEY, label TEXT NOT NULL, catalog_number INTEGER NOT NULL, \
                    FOREIGN KEY (label, catalog_number) REFERENCES releases (label, catalog_number))
                    """
                )
            )
            let source = ModelSourceGenerator(schema: try await engine.introspect(), dialect: engine.dialect).source()
            #expect(source.contains("static let releases = BelongsTo<Pressings, Releases>(\\.label, \\.catalogNumber)"))
            #expect(source.contains("static let pressings = HasMany<Releases, Pressings>(\\.label, \\.catalogNumber)"))
        }
    }

    static func expectEveryRowReads(_ models: [any Table.Type], _ engine: Engine) async throws {
        var total = 0
        for model in models {
            let (read, counted) = try await Self.counts(model, engine)
            #expect(read == counted, "\(model.schema.name): read \(read) of \(counted) rows")
            #expect(counted > 0)
            total += read
        }
        #expect(total == 15_607)
    }

    static func counts<T: Table>(_ table: T.Type, _ engine: Engine) async throws -> (Int, Int) {
        let rows = try await engine.all(select(T.self))
        let counted = try await engine.scalar(
            SQLQuery<Int>(SQL(unsafeRaw: "SELECT count(*) FROM \"\(T.schema.name)\"")).readOnly()
        )
        return (rows.count, counted)
    }

    /// The reflected models, migrated into an empty database through an autogenerated migration,
    /// then compared again: no difference. Each edition on its own backend (the SQLite edition's
    /// types, `NVARCHAR`, `DATETIME`, are SQLite's).
    @Test func reflectedModelsRoundTripWithoutFalseDiffsOnSQLite() async throws {
        let database = try await TestDatabase.make(.sqlite)
        try await database.run(Engine(url: database.url)) { engine in
            try await SchemaRoundTrip.expectNoResidue(Self.sqliteModels, engine)
        }
    }

    @Test func reflectedModelsRoundTripWithoutFalseDiffsOnPostgreSQL() async throws {
        let database = try await TestDatabase.make(.postgres)
        try await database.run(Engine(url: database.url)) { engine in
            try await SchemaRoundTrip.expectNoResidue(Self.postgresModels, engine)
        }
    }

    /// Autogenerating against the database the models were read from finds nothing to do.
    @Test func theReflectedDatabaseMatchesItsModels() async throws {
        try await ChinookCorpus.withSQLite { engine in
            let diff = SchemaDiff(
                from: try await engine.introspect(),
                to: try Self.sqliteModels.map { try TableDefinition($0, for: .sqlite) },
                dialect: .sqlite
            )
            #expect(diff.changes.isEmpty, "\(diff.changes.map(\.swiftExpression))")
        }
        try await ChinookCorpus.withPostgreSQL { engine in
            let diff = SchemaDiff(
                from: try await engine.introspect(),
                to: try Self.postgresModels.map { try TableDefinition($0, for: .postgresql) },
                dialect: .postgresql
            )
            #expect(diff.changes.isEmpty, "\(diff.changes.map(\.swiftExpression))")
        }
    }

    /// A property line past 120 columns is laid out as swift-format lays it: the attribute on a
    /// line of its own when it fits there, else one option per line.
    @Test func longPropertyLinesAreLaidOutAsSwiftFormatLaysThem() {
        let schema = DatabaseSchema(tables: [
            TableDefinition(
                "customer_account",
                columns: [ColumnDefinition("id", type: .integer64)],
                primaryKey: ["id"]
            ),
            TableDefinition(
                "invoice_line_item",
                columns: [
                    ColumnDefinition("id", type: .integer64),
                    ColumnDefinition("Billing Customer Account Identifier", type: .integer64, isNullable: true),
                    ColumnDefinition("Some Really Long Column Name Here Too", type: .varchar(255)),
                ],
                primaryKey: ["id"],
                foreignKeys: [
                    ForeignKeyDefinition(
                        columns: ["Billing Customer Account Identifier"],
                        references: "customer_account",
                        columns: ["id"],
                        onDelete: .cascade,
                        onUpdate: .setNull
                    )
                ]
            ),
        ])
        let source = ModelSourceGenerator(schema: schema, dialect: .postgresql).source()
        #expect(
            source.contains(
                """
                    @Column(
                        .named("Billing Customer Account Identifier"),
                        .references(CustomerAccount.self),
                        .onDelete(.cascade),
                        .onUpdate(.setNull)
                    ) var billingCustomerAccountIdentifier: Int64? = nil

                """
            ),
            "\(source)"
        )
        #expect(
            source.contains(
                """
                    @Column(.named("Some Really Long Column Name Here Too"), .type(.varchar(255)))
                    var someReallyLongColumnNameHereToo: String

                """
            ),
            "\(source)"
        )
    }
}

/// Migrating an empty database to models and comparing again.
enum SchemaRoundTrip {
    static func expectNoResidue(_ models: [any Table.Type], _ engine: Engine) async throws {
        let wanted = try models.map { try TableDefinition($0, for: engine.dialect) }
        let first = SchemaDiff(from: try await engine.introspect(), to: wanted, dialect: engine.dialect)
        #expect(first.changes.count == models.count)
        let migration = Migration("001_models", up: first.changes)
        try await Migrator([migration]).migrate(engine)
        let again = SchemaDiff(from: try await engine.introspect(), to: wanted, dialect: engine.dialect)
        #expect(again.changes.isEmpty, "\(again.changes.map(\.swiftExpression))")
        #expect(again.warnings.isEmpty, "\(again.warnings)")
        try await Migrator([migration]).rollback(engine)
        #expect(try await engine.introspect().tables.isEmpty)
    }
}
