import Foundation
import NIOCore
import PostgresNIO
import QuarryCore

/// Turns PostgresNIO rows into Quarry rows, reading binary cells by type OID.
enum PostgresRowDecoding {
    /// `row` as a Quarry row. `columns` holds the result's column names: read from the first row,
    /// then shared by every row after it.
    static func row(_ row: PostgresRow, columns: inout ColumnNames?) -> Row {
        let names = columns ?? ColumnNames(row.map(\.columnName))
        columns = names
        var values: [DatabaseValue] = []
        values.reserveCapacity(names.names.count)
        for cell in row { values.append(self.value(cell)) }
        return Row(values: values, columns: names)
    }

    static func value(_ cell: PostgresCell) -> DatabaseValue {
        guard var bytes = cell.bytes else { return .null }
        if cell.format == .text { return .text(bytes.readString(length: bytes.readableBytes) ?? "") }
        return self.value(&bytes, type: cell.dataType)
    }

    /// One binary value of `type`, which may be an element of an array.
    static func value(_ bytes: inout ByteBuffer, type: PostgresDataType) -> DatabaseValue {
        switch type {
        case .int8:
            return bytes.readInteger(as: Int64.self).map(DatabaseValue.integer) ?? .null
        case .int4:
            return bytes.readInteger(as: Int32.self).map { .integer(Int64($0)) } ?? .null
        case .int2:
            return bytes.readInteger(as: Int16.self).map { .integer(Int64($0)) } ?? .null
        case .float8:
            return bytes.readInteger(as: UInt64.self).map { .double(Double(bitPattern: $0)) } ?? .null
        case .float4:
            return bytes.readInteger(as: UInt32.self).map { .double(Double(Float(bitPattern: $0))) } ?? .null
        case .text, .varchar, .name, .bpchar:
            return .text(bytes.readString(length: bytes.readableBytes) ?? "")
        case .bool:
            return .bool(bytes.readInteger(as: UInt8.self) == 1)
        case .timestamptz, .timestamp:
            guard let micros = bytes.readInteger(as: Int64.self) else { return .null }
            return .date(Date(timeIntervalSince1970: Double(micros + PostgresBind.epochOffsetMicroseconds) / 1_000_000))
        case .date:
            guard let days = bytes.readInteger(as: Int32.self) else { return .null }
            return .calendarDate(CalendarDate(daysSince1970: Int(days) + PostgresBind.epochOffsetDays))
        case .time:
            guard let micros = bytes.readInteger(as: Int64.self) else { return .null }
            // PostgreSQL's `24:00:00` is no time of day: as text, it converts to nothing, so
            // reading it is a typed error rather than a quiet NULL.
            return TimeOfDay(microsecondsSinceMidnight: micros).map(DatabaseValue.timeOfDay) ?? .text("24:00:00")
        case .interval:
            guard let micros = bytes.readInteger(as: Int64.self), let days = bytes.readInteger(as: Int32.self),
                let months = bytes.readInteger(as: Int32.self)
            else { return .null }
            return .interval(Interval(months: months, days: days, microseconds: micros))
        case .uuid:
            return (try? UUID(from: &bytes, type: .uuid, format: .binary, context: .default)).map(DatabaseValue.uuid)
                ?? .null
        case .bytea:
            return .blob(Data(bytes.readableBytesView))
        case .jsonb:
            _ = bytes.readInteger(as: UInt8.self)  // version
            return .json(Data(bytes.readableBytesView))
        case .json:
            return .json(Data(bytes.readableBytesView))
        case .numeric:
            // Exact; a value beyond Decimal's 38 digits (or NaN) comes as text, which converts to
            // nothing numeric, so reading it into a number is a typed error, never a rounding.
            var copy = bytes
            if let decimal = try? Decimal(from: &bytes, type: .numeric, format: .binary, context: .default),
                !decimal.isNaN
            {
                return .decimal(decimal)
            }
            return .text((try? String(from: &copy, type: .numeric, format: .binary, context: .default)) ?? "NaN")
        default:
            if let array = self.array(&bytes) { return array }
            // Types without a case above: those whose binary form is their text (enum labels,
            // citext, xml, domains over text) read as text; structured binary forms (intervals
            // with time zones, tsvector, ranges, network types) hold NUL bytes or invalid UTF-8
            // and stay bytes — never their bytes passed off as a string.
            let raw = bytes.readableBytesView
            if !raw.contains(0), let text = String(validating: raw, as: UTF8.self) { return .text(text) }
            return .blob(Data(raw))
        }
    }

    /// A binary array (`ndim`, has-nulls flag, element OID, dimensions, elements), or `nil` when
    /// the bytes are not one. Several dimensions read as arrays of arrays.
    static func array(_ bytes: inout ByteBuffer) -> DatabaseValue? {
        var reader = bytes
        guard let dimensionCount = reader.readInteger(as: Int32.self), (0...6).contains(dimensionCount),
            let flags = reader.readInteger(as: Int32.self), flags == 0 || flags == 1,
            let elementOID = reader.readInteger(as: UInt32.self)
        else { return nil }
        var lengths: [Int] = []
        for _ in 0..<dimensionCount {
            guard let length = reader.readInteger(as: Int32.self), length >= 0,
                reader.readInteger(as: Int32.self) != nil
            else { return nil }
            lengths.append(Int(length))
        }
        let elementType = PostgresDataType(elementOID)
        let columnType = Self.columnType(of: elementType)
        func read(dimension: Int) -> DatabaseValue? {
            var values: [DatabaseValue] = []
            for _ in 0..<(lengths.isEmpty ? 0 : lengths[dimension]) {
                if dimension + 1 < lengths.count {
                    guard let inner = read(dimension: dimension + 1) else { return nil }
                    values.append(inner)
                    continue
                }
                guard let length = reader.readInteger(as: Int32.self) else { return nil }
                if length < 0 {
                    values.append(.null)
                    continue
                }
                guard var element = reader.readSlice(length: Int(length)) else { return nil }
                values.append(self.value(&element, type: elementType))
            }
            let element = dimension + 1 < lengths.count ? ColumnType.array(columnType) : columnType
            return .array(values, element: element)
        }
        guard let value = read(dimension: 0), reader.readableBytes == 0 else { return nil }
        bytes = reader
        return value
    }

    /// The column type of an array element's type (text for types without a Quarry name).
    static func columnType(of type: PostgresDataType) -> ColumnType {
        switch type {
        case .int2: .integer16
        case .int4: .integer32
        case .int8: .integer64
        case .float4: .float
        case .float8: .double
        case .bool: .bool
        case .bytea: .blob
        case .uuid: .uuid
        case .jsonb, .json: .json
        case .timestamptz: .timestamp
        case .timestamp: .localTimestamp
        case .date: .date
        case .time: .time
        case .interval: .interval
        case .numeric: .numeric
        default: .text
        }
    }
}
