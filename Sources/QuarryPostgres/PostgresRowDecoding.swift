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
        switch cell.dataType {
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
            return .date(Date(timeIntervalSince1970: Double(Int64(days) * 86_400 + 946_684_800)))
        case .uuid:
            return (try? cell.decode(UUID.self)).map(DatabaseValue.uuid) ?? .null
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
            if let decimal = try? cell.decode(Decimal.self), !decimal.isNaN { return .decimal(decimal) }
            return .text((try? cell.decode(String.self)) ?? "NaN")
        default:
            // Types without a case above: those whose binary form is their text (enum labels,
            // citext, xml, domains over text) read as text; structured binary forms (arrays,
            // intervals, tsvector, ranges, network types) hold NUL bytes or invalid UTF-8 and stay
            // bytes — never their bytes passed off as a string.
            let raw = bytes.readableBytesView
            if !raw.contains(0), let text = String(validating: raw, as: UTF8.self) { return .text(text) }
            return .blob(Data(raw))
        }
    }
}
