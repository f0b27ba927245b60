import Foundation
import NIOCore
import PostgresNIO
import QuarryCore

/// One ``DatabaseValue`` written in PostgreSQL's binary format, with its type OID.
struct PostgresBind: PostgresDynamicTypeEncodable {
    let value: DatabaseValue

    /// Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01.
    static let epochOffsetMicroseconds: Int64 = 946_684_800_000_000
    /// Days between 1970-01-01 and 2000-01-01.
    static let epochOffsetDays = 10_957

    var psqlType: PostgresDataType {
        switch self.value {
        case .null: .null
        case .integer: .int8
        case .double: .float8
        case .text: .text
        case .blob: .bytea
        case .bool: .bool
        case .date: .timestamptz
        case .uuid: .uuid
        case .json: .jsonb
        case .decimal: .numeric
        case .calendarDate: .date
        case .timeOfDay: .time
        case .interval: .interval
        case .array(_, let element): Self.arrayType(of: element)
        // Unspecified: the server gives the label the type of the place it goes.
        case .enumLabel: .null
        }
    }

    /// Binary for most types; `numeric` is sent as its exact decimal text, arrays as PostgreSQL's
    /// array literal and enum labels as themselves.
    var psqlFormat: PostgresFormat {
        switch self.value {
        case .decimal, .array, .enumLabel: .text
        default: .binary
        }
    }

    /// The array type whose elements are `element`s; text arrays for element types without a
    /// built-in array type of their own (a domain, an enum: the server casts on assignment).
    static func arrayType(of element: ColumnType) -> PostgresDataType {
        switch Dialect.postgresql.typeName(for: element) {
        case "SMALLINT": .int2Array
        case "INTEGER": .int4Array
        case "BIGINT": .int8Array
        case "REAL": .float4Array
        case "DOUBLE PRECISION": .float8Array
        case "BOOLEAN": .boolArray
        case "BYTEA": .byteaArray
        case "UUID": .uuidArray
        case "JSONB": .jsonbArray
        case "TIMESTAMPTZ": .timestamptzArray
        case "TIMESTAMP": .timestampArray
        case "DATE": .dateArray
        case "TIME": .timeArray
        case "INTERVAL": .intervalArray
        case let name where name.hasPrefix("NUMERIC"): .numericArray
        case let name where name.hasPrefix("VARCHAR"): .varcharArray
        case "TEXT": .textArray
        // An array of arrays, an enum or another named type: untyped, read by the server as the
        // type of the column it goes to.
        default: .null
        }
    }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        switch self.value {
        case .null: break
        case .integer(let v): buffer.writeInteger(v)
        case .double(let v): buffer.writeInteger(v.bitPattern)
        case .text(let v): buffer.writeString(v)
        case .blob(let v): buffer.writeBytes(v)
        case .bool(let v): buffer.writeInteger(v ? UInt8(1) : UInt8(0))
        case .date(let v):
            let micros = Int64((v.timeIntervalSince1970 * 1_000_000).rounded())
            buffer.writeInteger(micros - Self.epochOffsetMicroseconds)
        case .uuid(let v):
            _ = withUnsafeBytes(of: v.uuid) { buffer.writeBytes($0) }
        case .json(let v):
            buffer.writeInteger(UInt8(1))  // JSONB version
            buffer.writeBytes(v)
        case .decimal(let v): buffer.writeString(v.description)
        case .calendarDate(let v): buffer.writeInteger(Int32(clamping: v.daysSince1970 - Self.epochOffsetDays))
        case .timeOfDay(let v): buffer.writeInteger(v.microsecondsSinceMidnight)
        case .interval(let v):
            buffer.writeInteger(v.microseconds)
            buffer.writeInteger(v.days)
            buffer.writeInteger(v.months)
        case .array(let elements, _): buffer.writeString(ArrayText.postgresLiteral(elements))
        case .enumLabel(let v): buffer.writeString(v)
        }
    }

    /// Bindings for a compiled statement; `NULL` is sent untyped so the server infers its type.
    static func bindings(_ values: [DatabaseValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            if case .null = value {
                bindings.appendNull()
            } else {
                bindings.append(PostgresBind(value: value))
            }
        }
        return bindings
    }
}
