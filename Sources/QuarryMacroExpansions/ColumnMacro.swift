public import SwiftSyntax
public import SwiftSyntaxMacros

/// `@Column(...)` only carries options for `@Table` to read; it expands to nothing.
public struct ColumnMacro: PeerMacro {
    public static func expansion(
        of node: AttributeSyntax,
        providingPeersOf declaration: some DeclSyntaxProtocol,
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        []
    }
}
