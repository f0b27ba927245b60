/// A Swift enum stored in a native PostgreSQL enum type (`CREATE TYPE mood AS ENUM (…)`): its
/// values are sent as labels the server reads as the column's type, where plain text would be
/// refused ("column is of type mood but expression is of type text"). On SQLite the column is
/// text. Create the type before the table, in a migration step such as
/// `.sql("CREATE TYPE mood AS ENUM ('happy', 'sad')", reverse: "DROP TYPE mood")`.
///
/// ```swift
/// enum Mood: String, Codable, DatabaseEnum {
///     case happy, sad
///     static let enumTypeName = "mood"
/// }
/// ```
///
/// An enum whose column is plain text (or an integer) needs only `DatabaseValueConvertible`.
public protocol DatabaseEnum: DatabaseValueConvertible, RawRepresentable where RawValue == String {
    /// The PostgreSQL type's name, as written in DDL (`mood`, or `app.mood` in another schema).
    static var enumTypeName: String { get }
}

extension DatabaseEnum {
    public var databaseValue: DatabaseValue { .enumLabel(self.rawValue) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Self? {
        switch value {
        case .text(let label), .enumLabel(let label): Self(rawValue: label)
        default: nil
        }
    }
    public static var columnType: ColumnType { .sql(Self.enumTypeName) }
}
