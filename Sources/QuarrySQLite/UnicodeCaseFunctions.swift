import SQLiteNIO

/// SQLite's own `upper()` and `lower()` change ASCII letters only (`upper('gonçalves')` is
/// `GONçALVES`), and `ilike` compares through `lower()`. Each connection replaces them with
/// Unicode case mapping, as PostgreSQL's are, so both backends give `GONÇALVES`. They stay
/// deterministic and usable in the schema (an index on `lower(email)`); a database written by
/// another SQLite client keeps that client's ASCII-only values in such an index.
enum UnicodeCaseFunctions {
    /// New definitions for each connection (a definition is not shared between threads).
    static var all: [SQLiteCustomFunction] {
        [
            Self.function("upper") { $0.uppercased() },
            Self.function("lower") { $0.lowercased() },
        ]
    }

    private static func function(
        _ name: String,
        _ transform: @escaping @Sendable (String) -> String
    ) -> SQLiteCustomFunction {
        SQLiteCustomFunction(name, argumentCount: 1, pure: true, indirect: true) { arguments in
            switch arguments[0] {
            case .text(let text): transform(text)
            case .null: nil
            // As SQLite's own functions: bytes are read as UTF-8 text, numbers become their text.
            case .blob(let bytes): transform(String(decoding: bytes.readableBytesView, as: UTF8.self))
            case .integer(let integer): String(integer)
            case .float(let double): String(double)
            }
        }
    }
}
