import SwiftDiagnostics

/// The compile-time diagnostics of `@Table`.
enum TableDiagnostic: DiagnosticMessage {
    case notAStruct
    case missingTableName
    case unsupportedType(property: String, type: String)
    case missingTypeAnnotation(property: String)
    case computedColumn(property: String)
    case letWithDefault(property: String)

    var message: String {
        switch self {
        case .notAStruct:
            "@Table applies to structs only"
        case .missingTableName:
            "@Table needs the table name as a string literal: @Table(\"users\")"
        case .unsupportedType(let property, let type):
            "property '\(property)' has type '\(type)', which cannot be a column (dictionaries, sets, tuples, functions and existentials are not DatabaseValueConvertible); store a Codable value as JSONColumn<\(type)>"
        case .missingTypeAnnotation(let property):
            "property '\(property)' needs an explicit type annotation to become a column"
        case .computedColumn(let property):
            "computed property '\(property)' cannot be a column; only stored properties are stored"
        case .letWithDefault(let property):
            "'let \(property)' has an initial value, so rows cannot set it; declare it 'var'"
        }
    }

    var diagnosticID: MessageID {
        let id: String =
            switch self {
            case .notAStruct: "notAStruct"
            case .missingTableName: "missingTableName"
            case .unsupportedType: "unsupportedType"
            case .missingTypeAnnotation: "missingTypeAnnotation"
            case .computedColumn: "computedColumn"
            case .letWithDefault: "letWithDefault"
            }
        return MessageID(domain: "QuarryMacros", id: id)
    }

    var severity: DiagnosticSeverity { .error }
}

/// The fix-its offered with the diagnostics.
struct TableFixIt: FixItMessage {
    let message: String
    let id: String
    var fixItID: MessageID { MessageID(domain: "QuarryMacros", id: self.id) }

    static let wrapInJSON = TableFixIt(message: "Store it as JSON with JSONColumn", id: "wrapInJSON")
    static let removePrimaryKey = TableFixIt(message: "Remove the second .primaryKey", id: "removePrimaryKey")
    static let removeColumn = TableFixIt(message: "Remove @Column", id: "removeColumn")
    static let makeVar = TableFixIt(message: "Declare it 'var'", id: "makeVar")
}
