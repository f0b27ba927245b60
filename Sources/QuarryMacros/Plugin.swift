import QuarryMacroExpansions
import SwiftCompilerPlugin
import SwiftSyntax
import SwiftSyntaxMacros

/// The compiler plugin behind `@Table` and `@Column`. The compiler asks for a macro by
/// module-qualified name (`QuarryMacros.TableMacro`, from `#externalMacro` in QuarryCore), so the
/// types it serves live in this module and forward to their expansions in QuarryMacroExpansions.
@main
struct QuarryMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [TableMacro.self, ColumnMacro.self]
}

/// `@Table("name")`, as ``QuarryMacroExpansions/TableMacro`` expands it.
struct TableMacro: ExtensionMacro {
    static func expansion(
        of node: AttributeSyntax,
        attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol,
        conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        try QuarryMacroExpansions.TableMacro.expansion(
            of: node,
            attachedTo: declaration,
            providingExtensionsOf: type,
            conformingTo: protocols,
            in: context
        )
    }
}

/// `@Column(...)`, as ``QuarryMacroExpansions/ColumnMacro`` expands it (to nothing).
struct ColumnMacro: PeerMacro {
    static func expansion(
        of node: AttributeSyntax,
        providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        try QuarryMacroExpansions.ColumnMacro.expansion(of: node, providingPeersOf: declaration, in: context)
    }
}
