import Foundation
import Quarry
import QuarryTesting
import Testing

/// What SQLite sample databases (Northwind's SQLite edition and its like) do that PostgreSQL
/// schemas do not — columns without a type, quoted numbers as text defaults, key columns named
/// `…ID` — reflected into models that read every row and write one back.
@Suite("SQLite schema quirks")
struct SQLiteSchemaQuirksTests {
    @Test func untypedColumnsTextDefaultsAndIDColumnsAreReflected() async throws {
        let database = try await TestDatabase.make(.sqlite)
        try await database.run(Engine(url: database.url)) { (engine: Engine) async throws in
            for statement in [
                "CREATE TABLE [Categories] ([CategoryID] INTEGER PRIMARY KEY AUTOINCREMENT, [CategoryName] TEXT)",
                "CREATE TABLE [Products] ([ProductID] INTEGER PRIMARY KEY AUTOINCREMENT, [CategoryID] INTEGER, [Discontinued] TEXT NOT NULL DEFAULT '0', [Extra], FOREIGN KEY ([CategoryID]) REFERENCES [Categories] ([CategoryID]))",
                "INSERT INTO Categories (CategoryName) VALUES ('Beverages')",
                "INSERT INTO Products (CategoryID, Extra) VALUES (1, 7), (1, 'seven'), (NULL, X'07'), (1, 7.5), (1, NULL)",
            ] {
                try await engine.execute(SQL(unsafeRaw: statement))
            }
            let source = ModelSourceGenerator(schema: try await engine.introspect(), dialect: .sqlite).source()
            #expect(source.contains(Self.generatedProducts), "\(source)")
            #expect(
                source.contains("static let category = BelongsTo<Products, Categories>(\\.categoryID)"),
                "\(source)"
            )

            // The model as generated (below) reads every value of the untyped column as it is.
            let products = try await engine.all(select(QuirkProducts.self).orderBy(\.productID))
            #expect(products.map(\.extra) == [.integer(7), .text("seven"), .blob(Data([7])), .double(7.5), nil])
            #expect(products.allSatisfy { $0.discontinued == "0" })
            // JSON like any model: each value as its Swift type writes itself.
            let json = String(decoding: try JSONEncoder().encode(products.map(\.extra)), as: UTF8.self)
            #expect(json == #"[7,"seven","Bw==",7.5,null]"#)
            #expect(try JSONDecoder().decode([DatabaseValue].self, from: Data(json.utf8)).first == .integer(7))
            // And writes them back as given, leaving the key and the default to the database.
            let written = try await engine.one(
                insert(QuirkProducts(categoryID: 1, extra: .text("new"))).returning()
            )
            #expect(written.productID == 6 && written.discontinued == "0" && written.extra == .text("new"))
        }
    }

    static let generatedProducts = """
        @Table("Products")
        struct Products: Sendable, Equatable {
            @Column(.primaryKey, .named("ProductID")) var productID: Int64? = nil
            @Column(.named("CategoryID"), .references(Categories.self)) var categoryID: Int64? = nil
            @Column(.named("Discontinued"), .default("0")) var discontinued: String = "0"
            @Column(.named("Extra"), .type(.sql(""))) var extra: DatabaseValue? = nil
        """
}

@Table("Products")
struct QuirkProducts: Sendable, Equatable {
    @Column(.primaryKey, .named("ProductID")) var productID: Int64? = nil
    @Column(.named("CategoryID")) var categoryID: Int64? = nil
    @Column(.named("Discontinued"), .default("0")) var discontinued: String = "0"
    @Column(.named("Extra"), .type(.sql(""))) var extra: DatabaseValue? = nil
}
