/// How PostgreSQL builds an index (`CREATE INDEX … USING gin (…)`): its access method. An index
/// without one is a B-tree, the default of both backends.
///
/// SQLite has B-trees only: there an index keeps its columns and condition and is built as a
/// B-tree (as SQLAlchemy treats `postgresql_using`), so one model serves both backends, and
/// `SchemaDiff` compares methods on PostgreSQL only.
///
/// ```swift
/// extension Recipe: ConstrainedTable {
///     static let constraints: [TableConstraint<Recipe>] = [
///         .index(\.tags, using: .gin),  // CREATE INDEX … USING gin ("tags")
///         .index(\.slug, using: .hash),
///     ]
/// }
/// ```
public struct IndexMethod: Sendable, Hashable, CustomStringConvertible {
    /// The access method's name as `pg_am` lists it (`gin`, or an extension's, such as `hnsw`).
    public let name: String

    /// An access method by name; the built-in ones have constants below.
    ///
    /// ```swift
    /// let vectors = IndexMethod("hnsw")    // pgvector's
    /// ```
    public init(_ name: String) {
        self.name = name.lowercased()
    }

    /// The default: a balanced tree, for equality, ranges and sorting.
    public static let btree = IndexMethod("btree")
    /// Equality only, on a hash of the value.
    public static let hash = IndexMethod("hash")
    /// Generalized inverted index: arrays, `jsonb`, full-text vectors (values with elements).
    public static let gin = IndexMethod("gin")
    /// Generalized search tree: ranges, geometry, full text, exclusion constraints.
    public static let gist = IndexMethod("gist")
    /// Space-partitioned GiST: points, ranges, text prefixes.
    public static let spgist = IndexMethod("spgist")
    /// Block range index: tiny summaries of large tables whose order follows the column.
    public static let brin = IndexMethod("brin")

    public var description: String { self.name }
}

extension IndexMethod {
    /// The method `CREATE INDEX` names for `method` in `dialect`: `nil` for the default B-tree,
    /// and always on SQLite, which builds nothing else. The DDL, the model's definition and the
    /// diff all go by it.
    static func written(_ method: IndexMethod?, for dialect: Dialect) -> IndexMethod? {
        guard dialect == .postgresql, let method, method != .btree else { return nil }
        return method
    }
}
