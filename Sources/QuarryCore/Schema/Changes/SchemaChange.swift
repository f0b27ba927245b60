/// One step of a schema migration: create, drop, rename or alter a table, column, index or
/// constraint. Each step carries what it needs to be undone (``inverse``), so a migration written
/// as steps has its `down` for free, and `quarry revision --autogenerate` writes migrations as a
/// list of them.
///
/// Steps run in place where the database can (`ALTER TABLE` on PostgreSQL, SQLite's `ADD COLUMN`,
/// `RENAME`); on SQLite, changes it cannot make in place (dropping or altering a column, adding or
/// dropping a constraint) rebuild the table as SQLite documents it: a new table, every row
/// copied, the old one dropped, indexes, triggers and views recreated, foreign keys checked —
/// inside the migration's transaction. See `Connection.apply(_:)`.
///
/// ```swift
/// let steps: [SchemaChange] = [
///     .addColumn("users", ColumnDefinition("nickname", type: .varchar(40), isNullable: true)),
///     .createIndex("users", IndexDefinition("ix_users_nickname", columns: ["nickname"])),
/// ]
/// steps.reversed().map(\.inverse)   // the down migration
/// ```
public enum SchemaChange: Sendable, Hashable {
    /// `CREATE TABLE` with its constraints, then its indexes.
    case createTable(TableDefinition)
    /// `DROP TABLE`; the definition is what `inverse` recreates.
    case dropTable(TableDefinition)
    /// `ALTER TABLE … RENAME TO …`.
    case renameTable(String, to: String)
    /// `ALTER TABLE … ADD COLUMN`.
    case addColumn(String, ColumnDefinition)
    /// `ALTER TABLE … DROP COLUMN` (a rebuild on SQLite); the definition is what `inverse` adds back.
    case dropColumn(String, ColumnDefinition)
    /// `ALTER TABLE … RENAME COLUMN … TO …`.
    case renameColumn(String, from: String, to: String)
    /// Changes a column's type, nullability or default (a rebuild on SQLite).
    case alterColumn(String, from: ColumnDefinition, to: ColumnDefinition)
    /// `CREATE INDEX`.
    case createIndex(String, IndexDefinition)
    /// `DROP INDEX`.
    case dropIndex(String, IndexDefinition)
    /// Adds a `UNIQUE` constraint (a rebuild on SQLite).
    case addUnique(String, UniqueDefinition)
    /// Drops a `UNIQUE` constraint (a rebuild on SQLite).
    case dropUnique(String, UniqueDefinition)
    /// Adds a foreign key (a rebuild on SQLite); existing rows that violate it fail the step.
    case addForeignKey(String, ForeignKeyDefinition)
    /// Drops a foreign key (a rebuild on SQLite).
    case dropForeignKey(String, ForeignKeyDefinition)
    /// Adds a `CHECK` constraint (a rebuild on SQLite); existing rows that violate it fail the step.
    case addCheck(String, CheckDefinition)
    /// Drops a `CHECK` constraint (a rebuild on SQLite).
    case dropCheck(String, CheckDefinition)
    /// SQL of your own (data changes, triggers, anything else), with the SQL that undoes it;
    /// `reverse: nil` makes the step irreversible.
    case sql(String, reverse: String?)

    /// The step that undoes this one; `nil` for raw SQL without a `reverse`.
    public var inverse: SchemaChange? {
        switch self {
        case .createTable(let table): .dropTable(table)
        case .dropTable(let table): .createTable(table)
        case .renameTable(let from, let to): .renameTable(to, to: from)
        case .addColumn(let table, let column): .dropColumn(table, column)
        case .dropColumn(let table, let column): .addColumn(table, column)
        case .renameColumn(let table, let from, let to): .renameColumn(table, from: to, to: from)
        case .alterColumn(let table, let from, let to): .alterColumn(table, from: to, to: from)
        case .createIndex(let table, let index): .dropIndex(table, index)
        case .dropIndex(let table, let index): .createIndex(table, index)
        case .addUnique(let table, let unique): .dropUnique(table, unique)
        case .dropUnique(let table, let unique): .addUnique(table, unique)
        case .addForeignKey(let table, let key): .dropForeignKey(table, key)
        case .dropForeignKey(let table, let key): .addForeignKey(table, key)
        case .addCheck(let table, let check): .dropCheck(table, check)
        case .dropCheck(let table, let check): .addCheck(table, check)
        case .sql(let sql, let reverse): reverse.map { .sql($0, reverse: sql) }
        }
    }

    /// The table the step changes (the new name for a rename); `nil` for raw SQL.
    public var tableName: String? {
        switch self {
        case .createTable(let table), .dropTable(let table): table.name
        case .renameTable(_, let to): to
        case .addColumn(let table, _), .dropColumn(let table, _), .renameColumn(let table, _, _),
            .alterColumn(let table, _, _), .createIndex(let table, _), .dropIndex(let table, _),
            .addUnique(let table, _), .dropUnique(let table, _), .addForeignKey(let table, _),
            .dropForeignKey(let table, _), .addCheck(let table, _), .dropCheck(let table, _):
            table
        case .sql: nil
        }
    }
}
