import Foundation
import Quarry
import QuarryTesting
import Testing

@Table("recipes")
struct Recipe: Sendable, Equatable {
    @Column(.primaryKey) var id: Int64? = nil
    var slug: String
    var tags: [String]
    var createdAt: Date
}

extension Recipe: ConstrainedTable {
    static let constraints: [TableConstraint<Recipe>] = [
        .index(\.tags, using: .gin),  // CREATE INDEX … USING gin ("tags"): WHERE tags @> '{soup}'
        .index(\.slug, using: .hash),
        .index(\.createdAt, using: .brin, name: "recipes_by_created_at"),
    ]
}

/// PostgreSQL's index access methods (GIN, GiST, hash, BRIN, an extension's): declared on a model,
/// created, reflected, compared by the diff and written back by `quarry reflect`; on SQLite the
/// same model builds B-trees and diffs clean.
@Suite("Index access methods")
struct IndexMethodTests {
    static let ginOnTags = IndexDefinition("ix_recipes_tags", columns: ["tags"], method: .gin)

    @Test func theDDLNamesTheMethodOnPostgreSQLOnly() throws {
        let postgres = try createIndexes(Recipe.self).map { try $0.compile(for: .postgresql).sql }
        #expect(
            postgres == [
                #"CREATE INDEX "ix_recipes_tags" ON "recipes" USING "gin" ("tags")"#,
                #"CREATE INDEX "ix_recipes_slug" ON "recipes" USING "hash" ("slug")"#,
                #"CREATE INDEX "recipes_by_created_at" ON "recipes" USING "brin" ("created_at")"#,
            ]
        )
        let sqlite = try createIndexes(Recipe.self).map { try $0.compile(for: .sqlite).sql }
        #expect(sqlite.first == #"CREATE INDEX "ix_recipes_tags" ON "recipes" ("tags")"#)
        #expect(
            SchemaChange.createIndex("recipes", Self.ginOnTags).sql(for: .postgresql)
                == [#"CREATE INDEX "ix_recipes_tags" ON "recipes" USING "gin" ("tags")"#]
        )
        #expect(
            SchemaChange.createIndex("recipes", Self.ginOnTags).sql(for: .sqlite)
                == [#"CREATE INDEX "ix_recipes_tags" ON "recipes" ("tags")"#]
        )
        // A B-tree is the default, stated or not; names are pg_am's, lower case.
        #expect(IndexDefinition("ix", columns: ["a"], method: .btree) == IndexDefinition("ix", columns: ["a"]))
        #expect(IndexMethod("GIN") == .gin)
        // What `quarry revision --autogenerate` writes for the index.
        #expect(
            Self.ginOnTags.swiftExpression == #"IndexDefinition("ix_recipes_tags", columns: ["tags"], method: .gin)"#
        )
        #expect(IndexMethod("hnsw").swiftExpression == #"IndexMethod("hnsw")"#)
        // A name is quoted like any identifier, so none can end the statement.
        let hostile = IndexDefinition("ix", columns: ["a"], method: IndexMethod("gin\" (a); DROP TABLE t; --"))
        #expect(
            SchemaChange.createIndex("t", hostile).sql(for: .postgresql)
                == [#"CREATE INDEX "ix" ON "t" USING "gin"" (a); drop table t; --" ("a")"#]
        )
    }

    @Test func postgreSQLReflectsTheMethodAndTheDiffChangesIt() async throws {
        let database = try await TestDatabase.make(.postgres)
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            try await engine.createAll(Recipe.self)
            let methods = try await engine.all(
                SQLQuery<String>(
                    "SELECT am.amname::text FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname IN ('ix_recipes_tags', 'ix_recipes_slug', 'recipes_by_created_at') ORDER BY c.relname"
                )
            )
            #expect(methods == ["hash", "gin", "brin"])
            // The GIN index serves containment on the array's elements.
            let soup = Recipe(slug: "leek-soup", tags: ["soup", "winter"], createdAt: Date())
            try await engine.execute(insert([soup, Recipe(slug: "salad", tags: ["summer"], createdAt: Date())]))
            #expect(
                try await engine.all(SQLQuery<String>("SELECT slug FROM recipes WHERE tags @> ARRAY['soup']"))
                    == ["leek-soup"]
            )

            let reflected = try #require(try await engine.introspect().table(named: "recipes"))
            #expect(
                reflected.indexes.map { "\($0.name) \($0.method?.name ?? "btree")" }
                    == ["ix_recipes_slug hash", "ix_recipes_tags gin", "recipes_by_created_at brin"]
            )
            let wanted = try TableDefinition(Recipe.self, for: .postgresql)
            let clean = SchemaDiff(from: try await engine.introspect(), to: [wanted], dialect: .postgresql)
            #expect(clean.changes.isEmpty, "\(clean.changes.map(\.swiftExpression))")

            // `quarry reflect` writes each method into the model it generates.
            let source = ModelSourceGenerator(schema: try await engine.introspect(), dialect: .postgresql).source()
            #expect(source.contains(#".index(\.tags, using: .gin, name: "ix_recipes_tags")"#), "\(source)")
            #expect(source.contains(#".index(\.slug, using: .hash, name: "ix_recipes_slug")"#))
            #expect(source.contains(#".index(\.createdAt, using: .brin, name: "recipes_by_created_at")"#))

            // An index of the same name and columns built as a B-tree is not the one wanted: the
            // diff drops and recreates it with its method, and the database then has a GIN index.
            try await engine.execute(SQL(unsafeRaw: "DROP INDEX ix_recipes_tags"))
            try await engine.execute(SQL(unsafeRaw: "CREATE INDEX ix_recipes_tags ON recipes (tags)"))
            let diff = SchemaDiff(from: try await engine.introspect(), to: [wanted], dialect: .postgresql)
            #expect(
                diff.changes.map(\.swiftExpression) == [
                    #".dropIndex("recipes", IndexDefinition("ix_recipes_tags", columns: ["tags"]))"#,
                    #".createIndex("recipes", IndexDefinition("ix_recipes_tags", columns: ["tags"], method: .gin))"#,
                ]
            )
            try await engine.withSchemaTransaction { tx in try await tx.apply(diff.changes) }
            let after = try #require(try await engine.introspect().table(named: "recipes"))
            #expect(after.indexes.first { $0.name == "ix_recipes_tags" }?.method == .gin)
            let settled = SchemaDiff(from: try await engine.introspect(), to: [wanted], dialect: .postgresql)
            #expect(settled.changes.isEmpty, "\(settled.changes.map(\.swiftExpression))")
        }
    }

    @Test func sqliteBuildsBTreesAndDiffsClean() async throws {
        let database = try await TestDatabase.make(.sqlite)
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            try await engine.createAll(Recipe.self)
            let indexes = try await engine.all(
                SQLQuery<String>(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recipes' ORDER BY name"
                )
            )
            #expect(indexes.first == #"CREATE INDEX "ix_recipes_slug" ON "recipes" ("slug")"#, "\(indexes)")
            #expect(indexes.count == 3)
            let diff = SchemaDiff(
                from: try await engine.introspect(),
                to: [try TableDefinition(Recipe.self, for: .sqlite)],
                dialect: .sqlite
            )
            #expect(diff.changes.isEmpty, "\(diff.changes.map(\.swiftExpression))")
            // SQLite's diff does not compare methods (its indexes have none); PostgreSQL's does.
            let plain = IndexDefinition("ix_recipes_tags", columns: ["tags"])
            #expect(SchemaDiff.same(Self.ginOnTags, plain, .sqlite))
            #expect(!SchemaDiff.same(Self.ginOnTags, plain, .postgresql))
            var stated = plain
            stated.method = .btree
            #expect(SchemaDiff.same(stated, plain, .postgresql))
        }
    }
}
