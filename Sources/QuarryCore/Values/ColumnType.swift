/// The storage type of a column, rendered per dialect in DDL.
///
/// ```swift
/// ColumnType.text.sql(for: .postgresql)   // "TEXT"
/// ```
public struct ColumnType: Sendable, Hashable, CustomStringConvertible {
    indirect enum Kind: Sendable, Hashable {
        case integer16, integer32, integer64, float, double
        case numeric(precision: Int?, scale: Int?)
        case text, blob, bool, timestamp, localTimestamp, uuid, json
        case date, time, interval
        case varchar(Int)
        case array(Kind)
        case sql(String)
    }

    let kind: Kind

    /// A 16-bit integer column (`SMALLINT`; `INTEGER` on SQLite).
    public static let integer16 = ColumnType(kind: .integer16)
    /// A 32-bit integer column (`INTEGER`).
    public static let integer32 = ColumnType(kind: .integer32)
    /// A 64-bit integer column (`BIGINT`).
    public static let integer64 = ColumnType(kind: .integer64)
    /// A double-precision column.
    public static let double = ColumnType(kind: .double)
    /// A single-precision column (`REAL`).
    public static let float = ColumnType(kind: .float)
    /// An exact decimal column of any size (`NUMERIC`).
    public static let numeric = ColumnType(kind: .numeric(precision: nil, scale: nil))

    /// An exact decimal column with `precision` digits, `scale` of them after the point
    /// (`NUMERIC(10, 2)` for prices; SQLite's `NUMERIC` takes no limits).
    public static func numeric(precision: Int, scale: Int = 0) -> ColumnType {
        ColumnType(kind: .numeric(precision: precision, scale: scale))
    }
    /// A text column.
    public static let text = ColumnType(kind: .text)
    /// A text column of at most `length` characters (`VARCHAR(length)`; SQLite does not enforce
    /// the limit).
    public static func varchar(_ length: Int) -> ColumnType { ColumnType(kind: .varchar(length)) }
    /// A column whose type is written as `name` on every backend — for types Quarry has no name
    /// for (`DATE`, `INTERVAL`, `INTEGER[]`, an enum type), as `quarry reflect` writes them.
    /// The Swift property's type decides how values are bound and read.
    public static func sql(_ name: String) -> ColumnType { ColumnType(kind: .sql(name)) }
    /// A binary column.
    public static let blob = ColumnType(kind: .blob)
    /// A Boolean column.
    public static let bool = ColumnType(kind: .bool)
    /// A timestamp with time zone, microsecond precision.
    public static let timestamp = ColumnType(kind: .timestamp)
    /// A timestamp without time zone (`TIMESTAMP` on PostgreSQL; SQLite stores both kinds alike):
    /// a `Date` is kept as its UTC wall time, since Quarry's sessions run in UTC. For existing
    /// schemas with such columns (Chinook's `invoice_date`):
    /// `@Column(.type(.localTimestamp)) var invoiceDate: Date`.
    public static let localTimestamp = ColumnType(kind: .localTimestamp)
    /// A UUID column.
    public static let uuid = ColumnType(kind: .uuid)
    /// A JSON column (`JSONB` on PostgreSQL).
    public static let json = ColumnType(kind: .json)
    /// A date without a time of day (`DATE`; `TEXT` holding `YYYY-MM-DD` on SQLite).
    public static let date = ColumnType(kind: .date)
    /// A time of day (`TIME`; `TEXT` holding `HH:MM:SS.ffffff` on SQLite).
    public static let time = ColumnType(kind: .time)
    /// An interval (`INTERVAL`; on SQLite `INTEGER` microseconds, or ISO 8601 text for an
    /// interval with days or months).
    public static let interval = ColumnType(kind: .interval)
    /// A one-dimensional array of `element` (`INTEGER[]` and so on; `TEXT` holding a JSON array on
    /// SQLite).
    ///
    /// ```swift
    /// Dialect.postgresql.typeName(for: .array(.integer32))   // "INTEGER[]"
    /// ```
    public static func array(_ element: ColumnType) -> ColumnType { ColumnType(kind: .array(element.kind)) }

    /// The element type of an array type; `nil` for any other type.
    public var arrayElement: ColumnType? {
        if case .array(let element) = self.kind { return ColumnType(kind: element) }
        return nil
    }

    public var description: String { "\(self.kind)" }
}
