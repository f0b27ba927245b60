/// Raw SQL whose interpolations are bound, never spliced: the escape hatch that stays safe.
///
/// ```swift
/// let email = "ada@example.com"
/// let rows = try await engine.all("SELECT id FROM users WHERE email = \(email)")
/// // SQL: SELECT id FROM users WHERE email = $1   binds: ["ada@example.com"]
/// ```
///
/// Identifiers go through `\(identifier:)` (quoted per dialect); trusted text you wrote yourself goes
/// through the visibly unsafe `\(unsafeRaw:)`.
public struct SQL: Sendable, ExpressibleByStringInterpolation {
    enum Piece: Sendable {
        case text(String)
        case bind(DatabaseValue)
        case sensitiveBind(DatabaseValue)
        case identifier(String)
        case table(String, schema: String?)
        case node(SQLNode)
    }

    var pieces: [Piece]
    /// Set by ``readOnly()``; raw SQL is a write otherwise.
    var isMarkedReadOnly = false

    /// Raw SQL text with no values.
    public init(stringLiteral value: String) { self.pieces = [.text(value)] }

    /// The same SQL marked as a read that changes nothing and locks nothing, so that outside a
    /// transaction it may run on a read replica or one of SQLite's read-only connections. Raw SQL
    /// is treated as a write unless marked: Quarry never guesses from the text (a
    /// `SELECT … FOR UPDATE` or a `SELECT` of a function that writes must reach the primary).
    ///
    /// ```swift
    /// let rows = try await engine.all(SQL("SELECT id FROM users WHERE email = \(email)").readOnly())
    /// ```
    public func readOnly() -> SQL {
        var copy = self
        copy.isMarkedReadOnly = true
        return copy
    }

    /// ``StatementKind/read`` when marked with ``readOnly()``, else ``StatementKind/write``.
    public var kind: StatementKind { self.isMarkedReadOnly ? .read : .write }

    /// Builds SQL from text and bound values.
    public init(stringInterpolation: StringInterpolation) { self.pieces = stringInterpolation.pieces }

    /// Trusted SQL text, not escaped: never pass user input.
    public init(unsafeRaw text: String) { self.pieces = [.text(text)] }

    /// Appends `other`'s text and binds.
    ///
    /// ```swift
    /// var sql: SQL = "SELECT id FROM users WHERE true"
    /// if let email { sql.append(" AND email = \(email)") }
    /// ```
    public mutating func append(_ other: SQL) { self.pieces += other.pieces }

    /// Collects literal text and bound values.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var pieces: [Piece] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            self.pieces.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { self.pieces.append(.text(literal)) }
        }

        /// Binds `value` as a parameter.
        public mutating func appendInterpolation<V: DatabaseValueConvertible>(_ value: V) {
            self.pieces.append(.bind(value.databaseValue))
        }

        /// Binds a value already in its stored form.
        public mutating func appendInterpolation(_ value: DatabaseValue) {
            self.pieces.append(.bind(value))
        }

        /// Binds a value that logs and error descriptions show as `<redacted>` (a password, a
        /// token, personal data): `"UPDATE users SET password = \(sensitive: hash)"`.
        public mutating func appendInterpolation(sensitive value: DatabaseValue) {
            self.pieces.append(.sensitiveBind(value))
        }

        /// The table of `schema`, quoted and schema-qualified when it has a schema
        /// (`"cd"."members"`).
        public mutating func appendInterpolation(table schema: TableSchema) {
            self.pieces.append(.table(schema.name, schema: schema.schemaName))
        }

        /// Quotes `identifier` for the dialect (`"users"`).
        public mutating func appendInterpolation(identifier: String) {
            self.pieces.append(.identifier(identifier))
        }

        /// Renders an expression (its values bound).
        public mutating func appendInterpolation<E: SQLExpressible>(_ expression: E) {
            self.pieces.append(.node(expression.sqlNode))
        }

        /// Inserts trusted SQL text verbatim. Never pass user input.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            self.pieces.append(.text(text))
        }
    }
}

extension SQL: Statement {
    public func compile(into builder: inout SQLBuilder) throws {
        for piece in self.pieces {
            switch piece {
            case .text(let text): builder.append(text)
            case .bind(let value): builder.appendBind(value)
            case .sensitiveBind(let value): builder.appendBind(value, sensitive: true)
            case .identifier(let name): builder.appendIdentifier(name)
            case .table(let name, let schema): builder.appendTable(name, schema: schema)
            case .node(let node): try builder.append(node)
            }
        }
    }
}

extension SQL: RowProducing {
    public func decode(_ row: Row) throws -> Row { row }
}
