import SwiftDiagnostics

/// The compile-time diagnostics of `@Table`.
enum TableDiagnostic: DiagnosticMessage {
    case notAStruct
    case missingTableName
    case unsupportedType(property: String, type: String)
    case missingTypeAnnotation(property: String)
    case duplicatePrimaryKey(property: String, first: String)
    case computedColumn(property: String)
    case letWithDefault(property: String)

    var message: String {
        switch self {
        case .notAStruct:
            "@Table applies to structs only"
        case .missingTableName:
            "@Table needs the table name as a string literal: @Table(\"users\")"
        case .unsupportedType(let property, let type):
            "property '\(property)' has type '\(type)', which is not a column type; use Int, Int32, Int64, Double, Bool, String, Date, UUID, Data (or Optional of one), or store a Codable value as JSONColumn<\(type)>"
        case .missingTypeAnnotation(let property):
            "property '\(property)' needs an explicit type annotation to become a column"
        case .duplicatePrimaryKey(let property, let first):
            "'\(property)' is marked .primaryKey but '\(first)' already is; a table has one primary key"
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
            case .duplicatePrimaryKey: "duplicatePrimaryKey"
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
