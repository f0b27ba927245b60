import Foundation
import Quarry
import QuarryTesting
import Testing

/// Realistic schema changes on a small bookshop with rows in it, each as a migration of
/// ``SchemaChange`` steps on both backends: applied (its effect checked, every row kept, foreign
/// keys clean), rolled back (the schema introspects as before), and the changes that existing
/// rows violate fail with a typed error and leave nothing applied.
@Suite("Migration suite")
struct MigrationSuiteTests {
    // MARK: The starting schema

    static let authors = TableDefinition(
        "authors",
        columns: [
            ColumnDefinition("id", type: .integer64, isIdentity: true),
            ColumnDefinition("name", type: .text),
            ColumnDefinition("email", type: .varchar(120)),
            ColumnDefinition("country", type: .text, isNullable: true),
        ],
        primaryKey: ["id"],
        uniqueConstraints: [UniqueDefinition(columns: ["email"])]
    )

    static let books = TableDefinition(
        "books",
        columns: [
            ColumnDefinition("id", type: .integer64, isIdentity: true),
            ColumnDefinition("author_id", type: .integer64),
            ColumnDefinition("title", type: .text),
            ColumnDefinition("price", type: .numeric(precision: 10, scale: 2), default: .literal(.integer(0))),
            ColumnDefinition("pages", type: .integer32, isNullable: true),
            ColumnDefinition("published_at", type: .timestamp, isNullable: true),
        ],
        primaryKey: ["id"],
        indexes: [IndexDefinition("ix_books_author_id", columns: ["author_id"])],
        foreignKeys: [
            ForeignKeyDefinition(columns: ["author_id"], references: "authors", columns: ["id"], onDelete: .cascade)
        ],
        checks: [CheckDefinition("books_price_not_negative", "price >= 0")]
    )

    static let reviews = TableDefinition(
        "reviews",
        columns: [
            ColumnDefinition("id", type: .integer64, isIdentity: true),
            ColumnDefinition("book_id", type: .integer64),
            ColumnDefinition("stars", type: .integer16),
            ColumnDefinition("body", type: .text, isNullable: true),
        ],
        primaryKey: ["id"],
        foreignKeys: [ForeignKeyDefinition(columns: ["book_id"], references: "books", columns: ["id"])]
    )

    static let bookshopMigration = Migration(
        "000_bookshop",
        up: [.createTable(authors), .createTable(books), .createTable(reviews)]
    )

    /// Creates the bookshop with rows (and, on SQLite, a trigger and a view that every table
    /// rebuild must keep).
    static func bookshop(_ engine: Engine) async throws {
        try await Migrator([bookshopMigration]).migrate(engine)
        let seed = [
            "INSERT INTO authors (id, name, email, country) VALUES (1, 'Ursula', 'ursula@example.com', 'US'), (2, 'Italo', 'italo@example.com', 'IT'), (3, 'Anon', 'anon@example.com', NULL)",
            "INSERT INTO books (id, author_id, title, price, pages, published_at) VALUES (1, 1, 'The Dispossessed', 9.99, 387, '1974-05-01 00:00:00'), (2, 1, 'Lathe of Heaven', 7.50, 184, NULL), (3, 2, 'Invisible Cities', 11.00, 165, NULL), (4, 2, 'Cosmicomics', 8.25, NULL, NULL), (5, 3, 'Untitled', 0, NULL, NULL)",
            "INSERT INTO reviews (id, book_id, stars, body) VALUES (1, 1, 5, 'Anarres!'), (2, 1, 4, NULL), (3, 3, 5, 'Cities'), (4, 4, 3, NULL)",
        ]
        for statement in seed { try await engine.execute(SQL(unsafeRaw: statement)) }
        if engine.dialect == .sqlite {
            try await engine.execute(
                SQL(
                    unsafeRaw:
                        "CREATE TRIGGER books_no_empty_title BEFORE UPDATE OF title ON books WHEN NEW.title = '' BEGIN SELECT RAISE(ABORT, 'empty title'); END"
                )
            )
            try await engine.execute(SQL(unsafeRaw: "CREATE VIEW book_titles AS SELECT title FROM books"))
        }
    }

    // MARK: The changes

    struct Change: Sendable, CustomTestStringConvertible {
        var name: String
        var steps: [SchemaChange]
        var hints: [SchemaDiff.Rename] = []
        /// The rollback restores the schema but not the rows the change dropped.
        var losesRows = false
        /// Checked after `up`, with the engine.
        var check: (@Sendable (Engine) async throws -> Void)?
        var testDescription: String { self.name }
    }

    static func column(_ table: TableDefinition, _ name: String) -> ColumnDefinition { table.column(named: name)! }

    static let changes: [Change] = [
        Change(
            name: "add a nullable column",
            steps: [.addColumn("books", ColumnDefinition("subtitle", type: .text, isNullable: true))],
            check: { (engine: Engine) async throws in
                #expect(
                    try await engine.scalar(SQLQuery<Int>("SELECT count(*) FROM books WHERE subtitle IS NULL")) == 5
                )
            }
        ),
        Change(
            name: "add a NOT NULL column with a default",
            steps: [.addColumn("books", ColumnDefinition("in_stock", type: .bool, default: .literal(.bool(true))))],
            check: { (engine: Engine) async throws in
                #expect(
                    try await engine.scalar(SQLQuery<Int>("SELECT count(*) FROM books WHERE in_stock = \(true)")) == 5
                )
            }
        ),
        Change(
            name: "add a NOT NULL timestamp column defaulting to now (a rebuild on SQLite)",
            steps: [
                .addColumn("reviews", ColumnDefinition("created_at", type: .timestamp, default: .currentTimestamp))
            ],
            check: { (engine: Engine) async throws in
                #expect(
                    try await engine.scalar(SQLQuery<Int>("SELECT count(*) FROM reviews WHERE created_at IS NOT NULL"))
                        == 4
                )
            }
        ),
        Change(
            name: "widen an integer",
            steps: [
                .alterColumn(
                    "books",
                    from: column(books, "pages"),
                    to: ColumnDefinition("pages", type: .integer64, isNullable: true)
                )
            ],
            check: { (engine: Engine) async throws in
                try await engine.execute(SQL("UPDATE books SET pages = \(Int64(5_000_000_000)) WHERE id = 4"))
                #expect(
                    try await engine.scalar(SQLQuery<Int64>("SELECT pages FROM books WHERE id = 4")) == 5_000_000_000
                )
                try await engine.execute(SQL("UPDATE books SET pages = NULL WHERE id = 4"))
            }
        ),
        Change(
            name: "widen a varchar",
            steps: [
                .alterColumn(
                    "authors",
                    from: column(authors, "email"),
                    to: ColumnDefinition("email", type: .varchar(320))
                )
            ]
        ),
        Change(
            name: "make a column nullable",
            steps: [
                .alterColumn(
                    "authors",
                    from: column(authors, "name"),
                    to: ColumnDefinition("name", type: .text, isNullable: true)
                )
            ],
            check: { (engine: Engine) async throws in
                try await engine.execute(SQL("INSERT INTO authors (id, name, email) VALUES (9, NULL, 'x@example.com')"))
                try await engine.execute(SQL("DELETE FROM authors WHERE id = 9"))
            }
        ),
        Change(
            name: "set a default",
            steps: [
                .alterColumn(
                    "reviews",
                    from: column(reviews, "stars"),
                    to: ColumnDefinition("stars", type: .integer16, default: .literal(.integer(5)))
                )
            ],
            check: { (engine: Engine) async throws in
                try await engine.execute(SQL("INSERT INTO reviews (id, book_id) VALUES (9, 2)"))
                #expect(try await engine.scalar(SQLQuery<Int>("SELECT stars FROM reviews WHERE id = 9")) == 5)
                try await engine.execute(SQL("DELETE FROM reviews WHERE id = 9"))
            }
        ),
        Change(
            name: "drop a default",
            steps: [
                .alterColumn(
                    "books",
                    from: column(books, "price"),
                    to: ColumnDefinition("price", type: .numeric(precision: 10, scale: 2))
                )
            ]
        ),
        Change(
            name: "rename a column (by hint)",
            steps: [],
            hints: [.column("reviews", "body", to: "text")],
            check: { (engine: Engine) async throws in
                #expect(
                    try await engine.scalar(SQLQuery<String>("SELECT text FROM reviews WHERE id = 1")) == "Anarres!"
                )
            }
        ),
        Change(
            name: "rename a table",
            steps: [.renameTable("reviews", to: "book_reviews")],
            check: { (engine: Engine) async throws in
                #expect(try await engine.scalar(SQLQuery<Int>("SELECT count(*) FROM book_reviews")) == 4)
            }
        ),
        Change(
            name: "add an index",
            steps: [.createIndex("books", IndexDefinition("ix_books_title", columns: ["title"]))]
        ),
        Change(name: "drop an index", steps: [.dropIndex("books", books.indexes[0])]),
        Change(
            name: "add a composite unique constraint",
            steps: [.addUnique("books", UniqueDefinition(columns: ["author_id", "title"]))],
            check: { (engine: Engine) async throws in
                try await expectRefusal(.uniqueViolation) {
                    try await engine.execute(SQL("INSERT INTO books (author_id, title) VALUES (1, 'Lathe of Heaven')"))
                }
            }
        ),
        Change(
            name: "add a partial unique index",
            steps: [
                .createIndex(
                    "authors",
                    IndexDefinition(
                        "ux_authors_country",
                        columns: ["country"],
                        isUnique: true,
                        predicate: "country IS NOT NULL"
                    )
                )
            ]
        ),
        Change(
            name: "add a check",
            steps: [.addCheck("reviews", CheckDefinition("reviews_stars_1_to_5", "stars BETWEEN 1 AND 5"))],
            check: { (engine: Engine) async throws in
                try await expectRefusal(.checkViolation) {
                    try await engine.execute(SQL("UPDATE reviews SET stars = 6 WHERE id = 1"))
                }
            }
        ),
        Change(name: "drop a check", steps: [.dropCheck("books", books.checks[0])]),
        Change(
            name: "add a column with a foreign key",
            steps: [
                .addColumn("books", ColumnDefinition("editor_id", type: .integer64, isNullable: true)),
                .addForeignKey(
                    "books",
                    ForeignKeyDefinition(
                        columns: ["editor_id"],
                        references: "authors",
                        columns: ["id"],
                        onDelete: .setNull
                    )
                ),
            ],
            check: { (engine: Engine) async throws in
                try await engine.execute(SQL("UPDATE books SET editor_id = 3 WHERE id = 1"))
                try await engine.execute(SQL("DELETE FROM books WHERE id = 5"))
                try await engine.execute(SQL("DELETE FROM authors WHERE id = 3"))
                #expect(try await engine.scalar(SQLQuery<Int64?>("SELECT editor_id FROM books WHERE id = 1")) == nil)
                try await engine.execute(
                    SQL("INSERT INTO authors (id, name, email) VALUES (3, 'Anon', 'anon@example.com')")
                )
                try await engine.execute(
                    SQL("INSERT INTO books (id, author_id, title, price) VALUES (5, 3, 'Untitled', 0)")
                )
            }
        ),
        Change(name: "drop a foreign key", steps: [.dropForeignKey("reviews", reviews.foreignKeys[0])]),
        Change(
            name: "drop a unique constraint",
            steps: [.dropUnique("authors", authors.uniqueConstraints[0])],
            check: { (engine: Engine) async throws in
                try await engine.execute(
                    SQL("INSERT INTO authors (id, name, email) VALUES (9, 'Twin', 'ursula@example.com')")
                )
                try await engine.execute(SQL("DELETE FROM authors WHERE id = 9"))
            }
        ),
        Change(
            name: "drop a table",
            steps: [.dropTable(reviews)],
            losesRows: true,
            check: { (engine: Engine) async throws in
                #expect(try await engine.introspect(tables: ["reviews"]).tables.isEmpty)
            }
        ),
        Change(
            name: "drop a column that has values",
            steps: [.dropColumn("books", column(books, "published_at"))],
            losesRows: false,
            check: { (engine: Engine) async throws in
                #expect(try await engine.introspect(tables: ["books"]).tables[0].column(named: "published_at") == nil)
            }
        ),
        Change(
            name: "add a many-to-many table with a composite key",
            steps: [
                .createTable(
                    TableDefinition(
                        "tags",
                        columns: [
                            ColumnDefinition("id", type: .integer64, isIdentity: true),
                            ColumnDefinition("label", type: .varchar(40)),
                        ],
                        primaryKey: ["id"],
                        uniqueConstraints: [UniqueDefinition(columns: ["label"])]
                    )
                ),
                .createTable(
                    TableDefinition(
                        "book_tags",
                        columns: [
                            ColumnDefinition("book_id", type: .integer64),
                            ColumnDefinition("tag_id", type: .integer64),
                        ],
                        primaryKey: ["book_id", "tag_id"],
                        indexes: [IndexDefinition("ix_book_tags_tag_id", columns: ["tag_id"])],
                        foreignKeys: [
                            ForeignKeyDefinition(
                                columns: ["book_id"],
                                references: "books",
                                columns: ["id"],
                                onDelete: .cascade
                            ),
                            ForeignKeyDefinition(
                                columns: ["tag_id"],
                                references: "tags",
                                columns: ["id"],
                                onDelete: .cascade
                            ),
                        ]
                    )
                ),
            ],
            check: { (engine: Engine) async throws in
                try await engine.execute(SQL("INSERT INTO tags (id, label) VALUES (1, 'sf')"))
                try await engine.execute(SQL("INSERT INTO book_tags (book_id, tag_id) VALUES (1, 1), (2, 1)"))
                try await engine.execute(SQL("DELETE FROM books WHERE id = 2"))
                #expect(try await engine.scalar(SQLQuery<Int>("SELECT count(*) FROM book_tags")) == 1)
                try await engine.execute(
                    SQL(
                        "INSERT INTO books (id, author_id, title, price, pages) VALUES (2, 1, 'Lathe of Heaven', 7.50, 184)"
                    )
                )
            }
        ),
        Change(
            name: "split a table: authors.country moves to author_profiles",
            steps: [
                .createTable(
                    TableDefinition(
                        "author_profiles",
                        columns: [
                            ColumnDefinition("author_id", type: .integer64),
                            ColumnDefinition("country", type: .text),
                        ],
                        primaryKey: ["author_id"],
                        foreignKeys: [
                            ForeignKeyDefinition(
                                columns: ["author_id"],
                                references: "authors",
                                columns: ["id"],
                                onDelete: .cascade
                            )
                        ]
                    )
                ),
                .sql(
                    "INSERT INTO author_profiles (author_id, country) SELECT id, country FROM authors WHERE country IS NOT NULL",
                    reverse:
                        "UPDATE authors SET country = (SELECT p.country FROM author_profiles p WHERE p.author_id = authors.id)"
                ),
                .dropColumn("authors", column(authors, "country")),
            ],
            check: { (engine: Engine) async throws in
                #expect(
                    try await engine.all(SQLQuery<String>("SELECT country FROM author_profiles ORDER BY author_id"))
                        == ["US", "IT"]
                )
            }
        ),
    ]

    @Test(arguments: Backend.allCases, changes)
    func eachChangeAppliesAndRollsBack(_ backend: Backend, _ change: Change) async throws {
        try await withTestEngine(backend) { engine in
            try await Self.bookshop(engine)
            let before = try await Self.snapshot(engine)
            var steps = change.steps
            if !change.hints.isEmpty {
                // The rename comes from the diff with a hint, as `revision --autogenerate --rename` does.
                var wanted = try await engine.introspect().tables
                for hint in change.hints {
                    let i = wanted.firstIndex { $0.name == hint.table }!
                    wanted[i] = try wanted[i].applying(.renameColumn(hint.table!, from: hint.from, to: hint.to))
                }
                let diff = SchemaDiff(
                    from: try await engine.introspect(),
                    to: wanted,
                    dialect: engine.dialect,
                    renames: change.hints
                )
                #expect(diff.warnings.isEmpty, "\(diff.warnings)")
                steps = diff.changes
                #expect(steps == change.hints.map { .renameColumn($0.table!, from: $0.from, to: $0.to) })
            }
            let migrator = Migrator([Self.bookshopMigration, Migration("001_\(change.name)", up: steps)])
            #expect(try await migrator.migrate(engine).count == 1)
            try await Self.expectIntact(engine, rows: change.losesRows ? nil : before.rows)
            try await change.check?(engine)
            #expect(try await migrator.rollback(engine).count == 1)
            let after = try await Self.snapshot(engine)
            #expect(after.schema == before.schema)
            if backend == .sqlite { #expect(after.triggersAndViews == before.triggersAndViews) }
            if !change.losesRows {
                #expect(after.rows == before.rows)
                try await Self.expectIntact(engine, rows: before.rows)
            }
        }
    }

    // MARK: Changes the rows refuse

    @Test(arguments: Backend.allCases)
    func changesTheRowsViolateFailAndApplyNothing(_ backend: Backend) async throws {
        try await withTestEngine(backend) { engine in
            try await Self.bookshop(engine)
            try await engine.execute(SQL("UPDATE books SET pages = 999 WHERE id = 1"))
            let before = try await Self.snapshot(engine)
            let refused: [(String, [SchemaChange], DatabaseError.Code)] = [
                (
                    "a foreign key the rows break",
                    [
                        .addForeignKey(
                            "books",
                            ForeignKeyDefinition(
                                name: "fk_pages_author",
                                columns: ["pages"],
                                references: "authors",
                                columns: ["id"]
                            )
                        )
                    ],
                    .foreignKeyViolation
                ),
                (
                    "a check the rows break",
                    [.addCheck("books", CheckDefinition("books_priced", "price > 0"))],
                    .checkViolation
                ),
                (
                    "a NOT NULL column without a default",
                    [.addColumn("books", ColumnDefinition("isbn", type: .text))],
                    .notNullViolation
                ),
                (
                    "NOT NULL on a column holding NULLs, after a step that succeeded",
                    [
                        .createIndex("books", IndexDefinition("ix_books_title", columns: ["title"])),
                        .alterColumn(
                            "books",
                            from: Self.column(Self.books, "pages"),
                            to: ColumnDefinition("pages", type: .integer32)
                        ),
                    ],
                    .notNullViolation
                ),
                (
                    "a unique constraint the rows break",
                    [.addUnique("books", UniqueDefinition(columns: ["author_id"]))],
                    .uniqueViolation
                ),
            ]
            for (what, steps, code) in refused {
                let migrator = Migrator([Self.bookshopMigration, Migration("001_refused", up: steps)])
                do {
                    try await migrator.migrate(engine)
                    Issue.record("\(what): applied")
                } catch let error as MigrationError {
                    #expect(error.code == .failed, "\(what)")
                    #expect((error.underlying as? DatabaseError)?.code == code, "\(what): \(error)")
                }
                let after = try await Self.snapshot(engine)
                #expect(after.schema == before.schema, "\(what)")
                #expect(after.rows == before.rows, "\(what)")
                #expect(try await Migrator.appliedMigrations(on: engine) == ["000_bookshop"], "\(what)")
            }
        }
    }

    // MARK: Snapshots

    struct Snapshot: Equatable {
        var schema: [TableDefinition]
        var rows: [String: Int]
        var triggersAndViews: [String]
    }

    /// The schema in a comparable form: tables, columns and constraints in name order (a column
    /// dropped and added back comes last, as on PostgreSQL), and each table's row count.
    static func snapshot(_ engine: Engine) async throws -> Snapshot {
        var tables = try await engine.introspect().tables.sorted { $0.name < $1.name }
        var rows: [String: Int] = [:]
        for i in tables.indices {
            tables[i].columns.sort { $0.name < $1.name }
            tables[i].uniqueConstraints.sort { $0.columns.lexicographicallyPrecedes($1.columns) }
            tables[i].indexes.sort { $0.name < $1.name }
            tables[i].foreignKeys.sort { $0.columns.lexicographicallyPrecedes($1.columns) }
            tables[i].checks.sort { $0.name < $1.name }
            rows[tables[i].name] = try await engine.scalar(
                SQLQuery<Int>(SQL(unsafeRaw: "SELECT count(*) FROM \"\(tables[i].name)\"")).readOnly()
            )
        }
        var objects: [String] = []
        if engine.dialect == .sqlite {
            objects = try await engine.all(
                SQLQuery<String>(
                    "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name"
                )
            )
        }
        return Snapshot(schema: tables, rows: rows, triggersAndViews: objects)
    }

    /// Every table keeps its rows (a rename aside) and no foreign key is broken.
    static func expectIntact(_ engine: Engine, rows: [String: Int]?) async throws {
        if engine.dialect == .sqlite {
            #expect(try await engine.all(SQL("SELECT * FROM pragma_foreign_key_check")).isEmpty)
        }
        guard let rows else { return }
        let total = try await Self.snapshot(engine).rows.filter { rows[$0.key] != nil || $0.key == "book_reviews" }
            .values.reduce(0, +)
        #expect(total == rows.values.reduce(0, +))
    }
}

/// `body` fails with a `DatabaseError` of `code`.
func expectRefusal(_ code: DatabaseError.Code, _ body: () async throws -> Void) async throws {
    do {
        try await body()
        Issue.record("expected \(code), but it succeeded")
    } catch let error as DatabaseError {
        #expect(error.code == code, "\(error)")
    }
}
