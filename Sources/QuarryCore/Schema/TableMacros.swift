/// Makes a `Sendable` struct a ``Table`` stored in the table `name`.
///
/// ```swift
/// @Table("posts")
/// struct Post: Sendable, Equatable {
///     @Column(.primaryKey) var id: Int64? = nil
///     @Column(.references(User.self), .indexed) var userId: Int64
///     var title: String
///     var body: String
///     var createdAt: Date = .now
/// }
/// ```
///
/// Stored properties become columns (camelCase → snake_case unless `.named`), in declaration order;
/// `Optional` properties are nullable. The struct is also `Codable`, keyed by its column names in
/// declaration order (`{"id":1,…,"created_at":…}`); properties with a default value and optionals
/// may be missing from the input. A struct that declares its own `CodingKeys` keeps Swift's
/// synthesized `Codable`. Several `.primaryKey` columns make a composite key. `schema:` puts the
/// table in another PostgreSQL schema (an attached database on SQLite):
/// `@Table("members", schema: "cd")` is `"cd"."members"` in every statement. Misuse — a type that
/// can never be a column, `@Column` on a computed property — is a compile-time error with a fix-it.
@attached(
    extension,
    conformances: Table,
    Encodable,
    Decodable,
    ColumnVisitable,
    names: named(schema),
    named(Columns),
    named(columnIndex(for:)),
    named(init(row:)),
    named(databaseValues),
    named(CodingKeys),
    named(init(from:)),
    named(encode(to:)),
    named(visitColumns(_:))
)
public macro Table(_ name: String, schema: String? = nil) = #externalMacro(module: "QuarryMacros", type: "TableMacro")

/// Options for one column of a `@Table` struct: `@Column(.primaryKey)`, `@Column(.unique)`,
/// `@Column(.references(User.self), .indexed)`, `@Column(.named("mail"))`.
@attached(peer)
public macro Column(_ options: ColumnOption...) = #externalMacro(module: "QuarryMacros", type: "ColumnMacro")
