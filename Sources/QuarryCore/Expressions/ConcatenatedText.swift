/// `CONCAT(…)` of text and integer expressions and literal text, written as a string
/// interpolation. A `NULL` part counts as empty text, as in SQL's `CONCAT` on both backends, so
/// the result is never `NULL` (where `a.concat(b)`, SQL's `||`, is `NULL` if either is).
///
/// ```swift
/// select(concat("\(Customer.Columns.firstName) \(Customer.Columns.lastName) (\(Customer.Columns.company))"), from: Customer.self)
/// ```
public func concat(_ text: ConcatenatedText) -> SQLExpression<String> {
    SQLExpression(.function("CONCAT", text.parts.isEmpty ? [.bind(.text(""))] : text.parts, distinct: false))
}

/// The parts of a ``concat(_:)``: literal text, bound as values, and the interpolated text or
/// integer expressions, each cast to text (so a `nil` value has a type on PostgreSQL).
public struct ConcatenatedText: ExpressibleByStringInterpolation, Sendable {
    let parts: [SQLNode]

    /// Text without expressions.
    public init(stringLiteral value: String) {
        self.parts = [.bind(.text(value))]
    }

    /// Literal text and expressions, in order.
    public init(stringInterpolation: StringInterpolation) {
        self.parts = stringInterpolation.parts
    }

    /// Collects the parts of the interpolation.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var parts: [SQLNode] = []

        /// Starts an empty list of parts.
        public init(literalCapacity: Int, interpolationCount: Int) {
            self.parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        /// Literal text, bound as a value.
        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { self.parts.append(.bind(.text(literal))) }
        }

        /// A text expression (optional or not).
        public mutating func appendInterpolation<E: SQLExpressible>(_ x: E) where E.Value: SQLTextual {
            self.parts.append(.cast(x.sqlNode, .text))
        }

        /// An integer expression, written in decimal digits on both backends.
        public mutating func appendInterpolation<E: SQLExpressible>(_ x: E) where E.Value: SQLIntegral {
            self.parts.append(.cast(x.sqlNode, .text))
        }
    }
}
