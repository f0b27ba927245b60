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

    var isPrimaryKey: Bool { self.primaryKeyOption != nil }

    var primaryKeyOption: LabeledExprSyntax? {
        self.columnAttribute?.arguments?.as(LabeledExprListSyntax.self)?.first {
            $0.expression.as(MemberAccessExprSyntax.self)?.declName.baseName.text == "primaryKey"
        }
    }

    /// The column name: `.named("…")` if given, else the property name in snake_case.
    var columnName: String {
        for option in self.options {
            guard let call = option.as(FunctionCallExprSyntax.self),
                call.calledExpression.as(MemberAccessExprSyntax.self)?.declName.baseName.text == "named",
                let literal = call.arguments.first?.expression.as(StringLiteralExprSyntax.self),
                let text = literal.representedLiteralValue
            else { continue }
            return text
        }
        return snakeCase(self.name)
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

/// `createdAt` → `created_at`, `userID` → `user_id`, `URLString` → `url_string`.
func snakeCase(_ name: String) -> String {
    let chars = Array(name)
    var out = ""
    for (i, c) in chars.enumerated() {
        if c.isUppercase, i > 0 {
            let previous = chars[i - 1]
            let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
            if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                out.append("_")
            }
        }
        out.append(contentsOf: c.lowercased())
    }
    return out
}

/// The types `@Table` stores directly, optionally wrapped in `Optional`.
enum SupportedType {
    static let names: Set<String> = [
        "Int", "Int32", "Int64", "Double", "Bool", "String", "Date", "UUID", "Data",
        "Swift.Int", "Swift.Int32", "Swift.Int64", "Swift.Double", "Swift.Bool", "Swift.String",
        "Foundation.Date", "Foundation.UUID", "Foundation.Data",
    ]

    static func isSupported(_ type: TypeSyntax) -> Bool {
        if let optional = type.as(OptionalTypeSyntax.self) { return self.isSupported(optional.wrappedType) }
        if let identifier = type.as(IdentifierTypeSyntax.self) {
            let name = identifier.name.text
            if name == "Optional" || name == "JSONColumn",
                let argument = identifier.genericArgumentClause?.arguments.first
            {
                if name == "JSONColumn" { return true }
                if case .type(let wrapped) = argument.argument { return self.isSupported(wrapped) }
                return false
            }
            return self.names.contains(name) && identifier.genericArgumentClause == nil
        }
        if let member = type.as(MemberTypeSyntax.self) {
            if member.name.text == "JSONColumn" { return true }
            return self.names.contains(member.trimmedDescription)
        }
        return false
    }
}
