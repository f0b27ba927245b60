import SwiftDiagnostics
import SwiftParser
public import SwiftSyntax
import SwiftSyntaxBuilder
public import SwiftSyntaxMacros

/// `@Table("name")`: makes a struct a `Table` — schema, typed `Columns`, key-path lookup, an
/// index-based row decoder and the values to bind — and `Codable` with its column names as keys.
public struct TableMacro: ExtensionMacro {
    public static func expansion(
        of node: AttributeSyntax,
        attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol,
        conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        guard let structDecl = declaration.as(StructDeclSyntax.self) else {
            context.diagnose(Diagnostic(node: node, message: TableDiagnostic.notAStruct))
            return []
        }
        guard let argument = node.arguments?.as(LabeledExprListSyntax.self)?.first,
            let literal = argument.expression.as(StringLiteralExprSyntax.self),
            let tableName = literal.representedLiteralValue
        else {
            context.diagnose(Diagnostic(node: node, message: TableDiagnostic.missingTableName))
            return []
        }
        // `@Table("members", schema: "cd")`: the table of another PostgreSQL schema.
        let schemaArgument = node.arguments?.as(LabeledExprListSyntax.self)?.first { $0.label?.text == "schema" }
        let schemaSource = schemaArgument.map { "schema: \($0.expression.trimmedDescription),\n" } ?? ""

        let properties = StoredProperty.collect(from: structDecl.memberBlock.members)
        guard let columns = validate(properties, in: context) else { return [] }

        let typeName = type.trimmedDescription
        let access =
            structDecl.modifiers.contains { ["public", "package"].contains($0.name.text) }
            ? structDecl.modifiers.first { ["public", "package"].contains($0.name.text) }!.name.text + " " : ""
        let quotedTable = literal.trimmedDescription

        var descriptors: [String] = []
        var typedColumns: [String] = []
        var keyPathCases: [String] = []
        var decodes: [String] = []
        var encodes: [String] = []
        for (index, column) in columns.enumerated() {
            let swiftType = column.type!.trimmedDescription
            let options = column.options.map(\.trimmedDescription).joined(separator: ", ")
            let name = "\"\(column.columnName)\""
            descriptors.append(
                "QuarryCore.ColumnDescriptor(\(name), type: (\(swiftType)).self, options: [\(options)])"
            )
            typedColumns.append(
                "\(access)static let \(column.name) = QuarryCore.Column<\(swiftType)>(\(name), table: \(quotedTable))"
            )
            keyPathCases.append("case \\\(typeName).\(column.name): \(index)")
            decodes.append(
                "self.\(column.name) = try row.decode((\(swiftType)).self, at: \(index), table: \(quotedTable))"
            )
            // A column that declares its type may be one whose text travels untyped
            // (ColumnDescriptor.travelsAsText); the others need no look at their descriptor.
            encodes.append(
                !column.calls("type").isEmpty
                    ? "Self.schema.columns[\(index)].written(self.\(column.name).databaseValue)"
                    : "self.\(column.name).databaseValue"
            )
        }

        let source: DeclSyntax = """
            extension \(raw: typeName): QuarryCore.Table {
                \(raw: access)static let schema = QuarryCore.TableSchema(
                    name: \(raw: quotedTable),
                    \(raw: schemaSource)columns: [
                        \(raw: descriptors.joined(separator: ",\n"))
                    ]
                )

                /// The typed columns of `\(raw: tableName)`.
                \(raw: access)enum Columns {
                    \(raw: typedColumns.joined(separator: "\n"))
                }

                \(raw: access)static func columnIndex(for keyPath: PartialKeyPath<\(raw: typeName)>) -> Int? {
                    switch keyPath {
                    \(raw: keyPathCases.joined(separator: "\n"))
                    default: nil
                    }
                }

                \(raw: access)init(row: QuarryCore.Row) throws {
                    \(raw: decodes.joined(separator: "\n"))
                }

                \(raw: access)var databaseValues: [QuarryCore.DatabaseValue] {
                    [\(raw: encodes.joined(separator: ", "))]
                }
            }
            """
        guard let ext = source.as(ExtensionDeclSyntax.self) else { return [] }
        let requested = Set(protocols.map(\.trimmedDescription))
        let missing = ["Encodable", "Decodable"].filter { name in
            requested.contains(name) || requested.contains("Swift.\(name)")
        }
        guard
            let codable = CodableExpansion.extensionSource(
                typeName: typeName,
                access: access,
                columns: columns,
                members: structDecl.memberBlock.members,
                missingConformances: missing
            ),
            let codableExtension = DeclSyntax(stringLiteral: codable).as(ExtensionDeclSyntax.self)
        else { return [ext] }
        return [ext, codableExtension]
    }

    /// Checks every property and reports misuse; returns the columns, or `nil` after an error.
    static func validate(_ properties: [StoredProperty], in context: some MacroExpansionContext) -> [StoredProperty]? {
        var columns: [StoredProperty] = []
        var failed = false
        for property in properties {
            if property.isComputed {
                if let attribute = property.columnAttribute {
                    failed = true
                    context.diagnose(
                        Diagnostic(
                            node: attribute,
                            message: TableDiagnostic.computedColumn(property: property.name),
                            fixIt: FixIt(
                                message: TableFixIt.removeColumn,
                                changes: [
                                    .replace(
                                        oldNode: Syntax(attribute),
                                        newNode: Syntax(
                                            TokenSyntax(
                                                .unknown(""),
                                                leadingTrivia: attribute.leadingTrivia,
                                                presence: .present
                                            )
                                        )
                                    )
                                ]
                            )
                        )
                    )
                }
                continue
            }
            guard let type = property.type else {
                failed = true
                context.diagnose(
                    Diagnostic(
                        node: property.binding,
                        message: TableDiagnostic.missingTypeAnnotation(property: property.name)
                    )
                )
                continue
            }
            if !SupportedType.isSupported(type) {
                failed = true
                let wrapped = TypeSyntax("JSONColumn<\(type.trimmed)>").with(\.trailingTrivia, type.trailingTrivia)
                context.diagnose(
                    Diagnostic(
                        node: type,
                        message: TableDiagnostic.unsupportedType(
                            property: property.name,
                            type: type.trimmedDescription
                        ),
                        fixIt: FixIt(
                            message: TableFixIt.wrapInJSON,
                            changes: [.replace(oldNode: Syntax(type), newNode: Syntax(wrapped))]
                        )
                    )
                )
                continue
            }
            if property.declaration.bindingSpecifier.tokenKind == .keyword(.let), property.binding.initializer != nil {
                failed = true
                let specifier = property.declaration.bindingSpecifier
                context.diagnose(
                    Diagnostic(
                        node: specifier,
                        message: TableDiagnostic.letWithDefault(property: property.name),
                        fixIt: FixIt(
                            message: TableFixIt.makeVar,
                            changes: [
                                .replace(
                                    oldNode: Syntax(specifier),
                                    newNode: Syntax(specifier.with(\.tokenKind, .keyword(.var)))
                                )
                            ]
                        )
                    )
                )
                continue
            }
            columns.append(property)
        }
        return failed ? nil : columns
    }
}
