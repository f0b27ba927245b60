import SwiftSyntax

/// The `Codable` half of `@Table`: keys are the column names, in declaration order, so a model
/// encodes as its row does (`createdAt` → `"created_at"`); `visitColumns(_:)` shows the same
/// columns with their static types to serializers that skip `Codable`'s dynamic dispatch. Properties with a default value, and
/// optionals, may be absent when decoding; optionals encode `nil` as `null` (as pydantic does).
/// A struct that declares its own `CodingKeys` keeps Swift's own behaviour.
enum CodableExpansion {
    /// The extension, or `nil` when the struct declares `CodingKeys` itself.
    static func extensionSource(
        typeName: String,
        access: String,
        columns: [StoredProperty],
        members: MemberBlockItemListSyntax,
        missingConformances: [String]
    ) -> String? {
        let declaresKeys = members.contains { member in
            if let decl = member.decl.as(EnumDeclSyntax.self) { return decl.name.text == "CodingKeys" }
            if let decl = member.decl.as(TypeAliasDeclSyntax.self) { return decl.name.text == "CodingKeys" }
            return false
        }
        if declaresKeys { return nil }
        let cases = columns.map { "case \($0.name) = \"\($0.columnName)\"" }
        let decodes = columns.map(self.decodeStatement)
        let encodes = columns.map { "try container.encode(self.\($0.name), forKey: .\($0.name))" }
        let visits = columns.map { "try visitor.visit(\"\($0.columnName)\", self.\($0.name))" }
        let conformance = ": " + (missingConformances + ["QuarryCore.ColumnVisitable"]).joined(separator: ", ")
        return """
            extension \(typeName)\(conformance) {
                /// The JSON keys of `\(typeName)`: its column names.
                enum CodingKeys: String, CodingKey {
                    \(cases.joined(separator: "\n"))
                }

                \(access)init(from decoder: any Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                    \(decodes.joined(separator: "\n"))
                }

                \(access)func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    \(encodes.joined(separator: "\n"))
                }

                \(access)func visitColumns<Visitor: QuarryCore.ColumnVisitor>(_ visitor: inout Visitor) throws {
                    \(visits.joined(separator: "\n"))
                }
            }
            """
    }

    private static func decodeStatement(_ column: StoredProperty) -> String {
        let type = column.type!
        let initializer = column.binding.initializer?.value.trimmedDescription
        if let optional = type.as(OptionalTypeSyntax.self) {
            let wrapped = optional.wrappedType.trimmedDescription
            let fallback = initializer.flatMap { $0 == "nil" ? nil : " ?? \($0)" } ?? ""
            return
                "self.\(column.name) = try container.decodeIfPresent((\(wrapped)).self, forKey: .\(column.name))\(fallback)"
        }
        let typeText = type.trimmedDescription
        if let initializer {
            return
                "self.\(column.name) = container.contains(.\(column.name)) ? try container.decode((\(typeText)).self, forKey: .\(column.name)) : \(initializer)"
        }
        return "self.\(column.name) = try container.decode((\(typeText)).self, forKey: .\(column.name))"
    }
}
