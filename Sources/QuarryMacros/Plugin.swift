import SwiftCompilerPlugin
import SwiftSyntaxMacros

@main
struct QuarryMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [TableMacro.self, ColumnMacro.self]
}
