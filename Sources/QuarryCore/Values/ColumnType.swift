/// The storage type of a column, rendered per dialect in DDL.
///
/// ```swift
/// ColumnType.text.sql(for: .postgresql)   // "TEXT"
/// ```
public struct ColumnType: Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case integer32, integer64, double, text, blob, bool, timestamp, uuid, json
    }

    let kind: Kind

    /// A 32-bit integer column (`INTEGER`).
    public static let integer32 = ColumnType(kind: .integer32)
    /// A 64-bit integer column (`BIGINT`).
    public static let integer64 = ColumnType(kind: .integer64)
    /// A double-precision column.
    public static let double = ColumnType(kind: .double)
    /// A text column.
    public static let text = ColumnType(kind: .text)
    /// A binary column.
    public static let blob = ColumnType(kind: .blob)
    /// A Boolean column.
    public static let bool = ColumnType(kind: .bool)
    /// A timestamp with time zone, microsecond precision.
    public static let timestamp = ColumnType(kind: .timestamp)
    /// A UUID column.
    public static let uuid = ColumnType(kind: .uuid)
    /// A JSON column (`JSONB` on PostgreSQL).
    public static let json = ColumnType(kind: .json)

    public var description: String { "\(self.kind)" }
}
