/// Logger metadata keys, with OpenTelemetry's names where one exists. Values go in metadata, never
/// in the message.
public enum LogKey {
    /// `db.system.name`: `postgresql` or `sqlite`.
    public static let system = "db.system.name"
    /// `db.namespace`: the database name.
    public static let namespace = "db.namespace"
    /// `db.operation.name`: `SELECT`, `INSERT`, …
    public static let operation = "db.operation.name"
    /// `db.query.text`: SQL with placeholders, never values.
    public static let queryText = "db.query.text"
    /// `db.client.connection.pool.name`
    public static let poolName = "db.client.connection.pool.name"
    /// `quarry.connection.id`
    public static let connectionID = "quarry.connection.id"
    /// `quarry.duration_ms`: how long a statement took.
    public static let duration = "quarry.duration_ms"
    /// `quarry.binds`: the bound values, only at `.debug` with echo on.
    public static let binds = "quarry.binds"
    /// `quarry.rows`: rows returned or affected.
    public static let rows = "quarry.rows"
    /// `error.type`
    public static let errorType = "error.type"
}
