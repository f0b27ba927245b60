import Foundation
import QuarryCore
import Testing

/// The comparison itself, without a database: what counts as a change and what does not.
@Suite("Schema diff")
struct SchemaDiffTests {
    static let jobs = TableDefinition(
        "jobs",
        columns: [
            ColumnDefinition("id", type: .integer64, isIdentity: true),
            ColumnDefinition("state", type: .text, default: .literal(.text("queued"))),
            ColumnDefinition("note", type: .varchar(40), isNullable: true),
        ],
        primaryKey: ["id"]
    )

    static func diff(
        _ live: TableDefinition,
        _ wanted: TableDefinition,
        _ dialect: Dialect = .postgresql,
        renames: [SchemaDiff.Rename] = []
    ) -> SchemaDiff {
        SchemaDiff(from: DatabaseSchema(tables: [live]), to: [wanted], dialect: dialect, renames: renames)
    }

    @Test func spellingsOfTheSameSchemaAreNoChange() {
        var echoed = Self.jobs
        // As PostgreSQL reports it: a cast on the default, a named unique constraint.
        echoed.columns[1].defaultValue = SchemaText.columnDefault("'queued'::text")
        #expect(Self.diff(echoed, Self.jobs).changes.isEmpty)
        // On SQLite INTEGER and BIGINT are one storage.
        var widened = Self.jobs
        widened.columns[0].type = .integer32
        #expect(Self.diff(widened, Self.jobs, .sqlite).changes.isEmpty)
        #expect(Self.diff(widened, Self.jobs, .postgresql).changes.count == 1)
    }

    @Test func castsToSchemaQualifiedTypesAreRemovedWhole() {
        // PostgreSQL qualifies a type outside the search path: the cast goes, not half of it.
        #expect(SchemaText.columnDefault("'G'::pagila.mpaa_rating") == .expression("'G'::pagila.mpaa_rating"))
        #expect(SchemaText.columnDefault("('7'::text)::\"Sales\".\"Quantity\"") == .literal(.integer(7)))
        #expect(SchemaText.comparableExpression("(rating <> 'NC-17'::pagila.mpaa_rating)") == "rating<>'NC-17'")
        // A type with limits: the cast ends after its closing parenthesis.
        #expect(SchemaText.columnDefault("'0.5'::numeric(4,2)") == .literal(.decimal(Decimal(string: "0.5")!)))
        #expect(SchemaText.columnDefault("('x'::character varying(8))::text") == .literal(.text("x")))
    }

    @Test func aChangedDefaultTypeOrNullabilityIsAnAlter() {
        for change in [
            { (t: inout TableDefinition) in t.columns[1].defaultValue = .literal(.text("Queued")) },
            { (t: inout TableDefinition) in t.columns[2].type = .varchar(80) },
            { (t: inout TableDefinition) in t.columns[2].isNullable = false },
        ] {
            var wanted = Self.jobs
            change(&wanted)
            let steps = Self.diff(Self.jobs, wanted).changes
            #expect(steps.count == 1)
            guard case .alterColumn("jobs", _, let to) = steps.first else {
                Issue.record("expected an alterColumn, got \(steps)")
                continue
            }
            #expect(wanted.columns.contains(to))
        }
    }

    @Test func renamesNeedAHintAndOtherwiseWarn() {
        var wanted = Self.jobs
        wanted.columns[2].name = "remark"
        let guessed = Self.diff(Self.jobs, wanted)
        #expect(guessed.changes.count == 2)
        #expect(guessed.warnings.contains { $0.contains("--rename jobs.note:remark") })
        let hinted = Self.diff(Self.jobs, wanted, renames: [SchemaDiff.Rename(hint: "jobs.note:remark")!])
        #expect(hinted.changes == [.renameColumn("jobs", from: "note", to: "remark")])
        #expect(hinted.warnings.isEmpty)
        #expect(hinted.inverse == [.renameColumn("jobs", from: "remark", to: "note")])
        #expect(SchemaDiff.Rename(hint: "nope") == nil)
    }
}
