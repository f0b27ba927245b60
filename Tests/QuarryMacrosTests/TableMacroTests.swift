import QuarryMacroExpansions
import SwiftSyntaxBuilder
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacrosGenericTestSupport
import Testing

private let macros: [String: MacroSpec] = [
    "Table": MacroSpec(type: TableMacro.self, conformances: ["Table", "Encodable", "Decodable", "ColumnVisitable"]),
    "Column": MacroSpec(type: ColumnMacro.self),
]

private func expect(
    _ source: String,
    expandsTo expanded: String,
    diagnostics: [DiagnosticSpec] = [],
    applyFixIts: [String]? = nil,
    fixedSource: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    assertMacroExpansion(
        source,
        expandedSource: expanded,
        diagnostics: diagnostics,
        macroSpecs: macros,
        applyFixIts: applyFixIts,
        fixedSource: fixedSource,
        failureHandler: { Issue.record(Comment(rawValue: $0.message), sourceLocation: sourceLocation) }
    )
}

@Suite("@Table expansion and diagnostics")
struct TableMacroTests {
    @Test func expandsSchemaColumnsDecoderAndBinds() {
        expect(
            """
            @Table("users")
            public struct User: Sendable {
                @Column(.primaryKey) public var id: Int64? = nil
                public var createdAt: Date
                @Column(.named("mail"), .unique, .type(.varchar(80))) var email: String
                var computed: Int { 1 }
                static let shared = 1
            }
            """,
            expandsTo: """
                public struct User: Sendable {
                    public var id: Int64? = nil
                    public var createdAt: Date
                    var email: String
                    var computed: Int { 1 }
                    static let shared = 1
                }

                extension User: QuarryCore.Table {
                    public static let schema = QuarryCore.TableSchema(
                        name: "users",
                        columns: [
                            QuarryCore.ColumnDescriptor("id", type: (Int64?).self, options: [.primaryKey]),
                            QuarryCore.ColumnDescriptor("created_at", type: (Date).self, options: []),
                            QuarryCore.ColumnDescriptor("mail", type: (String).self, options: [.named("mail"), .unique, .type(.varchar(80))])
                        ]
                    )

                    /// The typed columns of `users`.
                    public enum Columns {
                        public static let id = QuarryCore.Column<Int64?>("id", table: "users")
                        public static let createdAt = QuarryCore.Column<Date>("created_at", table: "users")
                        public static let email = QuarryCore.Column<String>("mail", table: "users")
                    }

                    public static func columnIndex(for keyPath: PartialKeyPath<User>) -> Int? {
                        switch keyPath {
                        case \\User.id:
                            0
                        case \\User.createdAt:
                            1
                        case \\User.email:
                            2
                        default:
                            nil
                        }
                    }

                    public init(row: QuarryCore.Row) throws {
                        self.id = try row.decode((Int64?).self, at: 0, table: "users")
                        self.createdAt = try row.decode((Date).self, at: 1, table: "users")
                        self.email = try row.decode((String).self, at: 2, table: "users")
                    }

                    public var databaseValues: [QuarryCore.DatabaseValue] {
                        [self.id.databaseValue, self.createdAt.databaseValue, Self.schema.columns[2].written(self.email.databaseValue)]
                    }
                }

                extension User: Encodable, Decodable, QuarryCore.ColumnVisitable {
                    /// The JSON keys of `User`: its column names.
                    enum CodingKeys: String, CodingKey {
                        case id = "id"
                        case createdAt = "created_at"
                        case email = "mail"
                    }

                    public init(from decoder: any Decoder) throws {
                        let container = try decoder.container(keyedBy: CodingKeys.self)
                        self.id = try container.decodeIfPresent((Int64).self, forKey: .id)
                        self.createdAt = try container.decode((Date).self, forKey: .createdAt)
                        self.email = try container.decode((String).self, forKey: .email)
                    }

                    public func encode(to encoder: any Encoder) throws {
                        var container = encoder.container(keyedBy: CodingKeys.self)
                        try container.encode(self.id, forKey: .id)
                        try container.encode(self.createdAt, forKey: .createdAt)
                        try container.encode(self.email, forKey: .email)
                    }

                    public func visitColumns<Visitor: QuarryCore.ColumnVisitor>(_ visitor: inout Visitor) throws {
                        try visitor.visit("id", self.id)
                        try visitor.visit("created_at", self.createdAt)
                        try visitor.visit("mail", self.email)
                    }
                }
                """
        )
    }

    @Test func unsupportedTypeOffersJSONColumn() {
        expect(
            """
            @Table("t")
            struct T {
                var tags: [String: Int]
            }
            """,
            expandsTo: """
                struct T {
                    var tags: [String: Int]
                }
                """,
            diagnostics: [
                DiagnosticSpec(
                    message:
                        "property 'tags' has type '[String: Int]', which cannot be a column (dictionaries, sets, tuples, functions and existentials are not DatabaseValueConvertible); store a Codable value as JSONColumn<[String: Int]>",
                    line: 3,
                    column: 15,
                    fixIts: [FixItSpec(message: "Store it as JSON with JSONColumn")]
                )
            ],
            applyFixIts: ["Store it as JSON with JSONColumn"],
            fixedSource: """
                @Table("t")
                struct T {
                    var tags: JSONColumn<[String: Int]>
                }
                """
        )
    }

    @Test func computedPropertyMarkedAsColumnOffersRemoval() {
        expect(
            """
            @Table("t")
            struct T {
                var a: Int64
                @Column(.unique) var b: Int64 { a * 2 }
            }
            """,
            expandsTo: """
                struct T {
                    var a: Int64
                    var b: Int64 { a * 2 }
                }
                """,
            diagnostics: [
                DiagnosticSpec(
                    message: "computed property 'b' cannot be a column; only stored properties are stored",
                    line: 4,
                    column: 5,
                    fixIts: [FixItSpec(message: "Remove @Column")]
                )
            ],
            applyFixIts: ["Remove @Column"],
            fixedSource: """
                @Table("t")
                struct T {
                    var a: Int64
                    var b: Int64 { a * 2 }
                }
                """
        )
    }

    @Test func letWithInitialValueOffersVar() {
        expect(
            """
            @Table("t")
            struct T {
                let kind: String = "x"
            }
            """,
            expandsTo: """
                struct T {
                    let kind: String = "x"
                }
                """,
            diagnostics: [
                DiagnosticSpec(
                    message: "'let kind' has an initial value, so rows cannot set it; declare it 'var'",
                    line: 3,
                    column: 5,
                    fixIts: [FixItSpec(message: "Declare it 'var'")]
                )
            ],
            applyFixIts: ["Declare it 'var'"],
            fixedSource: """
                @Table("t")
                struct T {
                    var kind: String = "x"
                }
                """
        )
    }

    @Test func missingTypeAnnotationAndNonStruct() {
        expect(
            """
            @Table("t")
            struct T {
                var count = 0
            }
            """,
            expandsTo: """
                struct T {
                    var count = 0
                }
                """,
            diagnostics: [
                DiagnosticSpec(
                    message: "property 'count' needs an explicit type annotation to become a column",
                    line: 3,
                    column: 9
                )
            ]
        )
        expect(
            """
            @Table("t")
            class C {}
            """,
            expandsTo: """
                class C {}
                """,
            diagnostics: [DiagnosticSpec(message: "@Table applies to structs only", line: 1, column: 1)]
        )
    }
}
