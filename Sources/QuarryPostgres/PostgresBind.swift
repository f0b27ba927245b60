import Foundation
import NIOCore
import PostgresNIO
import QuarryCore

/// One ``DatabaseValue`` written in PostgreSQL's binary format, with its type OID.
struct PostgresBind: PostgresDynamicTypeEncodable {
    let value: DatabaseValue

    /// Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01.
    static let epochOffsetMicroseconds: Int64 = 946_684_800_000_000

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
        }
    }

    /// Binary for every type but `numeric`, which is sent as its exact decimal text.
    var psqlFormat: PostgresFormat {
        if case .decimal = self.value { return .text }
        return .binary
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
