import QuarryNaming
import SwiftParser
import SwiftSyntax

/// One stored property of a `@Table` struct, as the macro sees it.
struct StoredProperty {
    var name: String
    var type: TypeSyntax?
    var columnAttribute: AttributeSyntax?
    var binding: PatternBindingSyntax
    var declaration: VariableDeclSyntax
    var isComputed: Bool

    /// The `@Column(...)` option expressions, verbatim.
    var options: [ExprSyntax] {
        guard let arguments = self.columnAttribute?.arguments?.as(LabeledExprListSyntax.self) else { return [] }
        return arguments.map(\.expression)
    }

    /// The property's name without the backticks that let it be a keyword (`` `class` `` → `class`).
    var bareName: String {
        self.name.hasPrefix("`") && self.name.hasSuffix("`") ? String(self.name.dropFirst().dropLast()) : self.name
    }

    /// The `@Column` options that call `name(…)` (`.type(…)`, `ColumnOption.named(…)`).
    func calls(_ name: String) -> [FunctionCallExprSyntax] {
        self.options.compactMap { option in
            guard let call = option.as(FunctionCallExprSyntax.self),
                call.calledExpression.as(MemberAccessExprSyntax.self)?.declName.baseName.text == name
            else { return nil }
            return call
        }
    }

    /// The column name: `.named("…")` if given, else the property name in snake_case.
    var columnName: String {
        for call in self.calls("named") {
            guard let literal = call.arguments.first?.expression.as(StringLiteralExprSyntax.self),
                let text = literal.representedLiteralValue
            else { continue }
            return text
        }
        return ColumnNaming.snakeCase(self.bareName)
    }

    /// Collects the stored instance properties of a struct, in order.
    static func collect(from members: MemberBlockItemListSyntax) -> [StoredProperty] {
        var result: [StoredProperty] = []
        for member in members {
            guard let variable = member.decl.as(VariableDeclSyntax.self) else { continue }
            if variable.modifiers.contains(where: { ["static", "class", "lazy"].contains($0.name.text) }) { continue }
            let column = variable.attributes.lazy.compactMap { $0.as(AttributeSyntax.self) }.first {
                $0.attributeName.trimmedDescription == "Column"
            }
            for binding in variable.bindings {
                guard let identifier = binding.pattern.as(IdentifierPatternSyntax.self) else { continue }
                var isComputed = false
                if let accessors = binding.accessorBlock {
                    switch accessors.accessors {
                    case .getter:
                        isComputed = true
                    case .accessors(let list):
                        isComputed = list.contains {
                            ["get", "set", "_read", "_modify"].contains($0.accessorSpecifier.text)
                        }
                    }
                }
                result.append(
                    StoredProperty(
                        name: identifier.identifier.text,
                        type: binding.typeAnnotation?.type,
                        columnAttribute: column,
                        binding: binding,
                        declaration: variable,
                        isComputed: isComputed
                    )
                )
            }
        }
        return result
    }
}

/// Which property types `@Table` can store. Any named type may be a column: the generated code
/// requires `DatabaseValueConvertible` (and `Codable`), so the compiler — not a list here — decides,
/// and a user's own conforming type or enum works. Arrays are columns (`INTEGER[]` on PostgreSQL)
/// when their element is. Only shapes that can never conform are refused here, with a fix-it to
/// store them as JSON: dictionaries, sets, tuples, functions and existentials.
enum SupportedType {
    static func isSupported(_ type: TypeSyntax) -> Bool {
        if let optional = type.as(OptionalTypeSyntax.self) { return self.isSupported(optional.wrappedType) }
        if let array = type.as(ArrayTypeSyntax.self) { return self.isSupported(array.element) }
        if let identifier = type.as(IdentifierTypeSyntax.self) {
            if identifier.name.text == "Optional", let argument = identifier.genericArgumentClause?.arguments.first {
                if case .type(let wrapped) = argument.argument { return self.isSupported(wrapped) }
                return false
            }
            if identifier.name.text == "Array", let argument = identifier.genericArgumentClause?.arguments.first {
                if case .type(let element) = argument.argument { return self.isSupported(element) }
                return false
            }
            return !["Any", "AnyObject", "Set", "Dictionary"].contains(identifier.name.text)
        }
        return type.is(MemberTypeSyntax.self)
    }
}
