/// How a ``PostgresClient`` connects and how many connections it may hold.
public struct PostgresConfiguration: Sendable {
    /// A libpq connection string or `postgresql://` URL, e.g. the value of `DATABASE_URL`.
    public var connectionString: String
    /// The most connections open at once; also the number of threads that run libpq calls.
    public var maxConnections: Int
    /// Shown in `pg_stat_activity`.
    public var applicationName: String
    /// Whether each connection prepares the statements it runs (`PQprepare`, once per statement text and parameter
    /// types) and then only executes them (`PQexecPrepared`): the server parses and plans a statement once per
    /// connection instead of at every call. Turn it off behind a pooler that hands a session's statements to
    /// different server connections (PgBouncer in transaction mode before 1.21, or without
    /// `max_prepared_statements`).
    public var preparesStatements: Bool
    /// The most tasks that wait for a connection while every one is lent out; the next fails at once with
    /// ``PostgresError/Code/poolBusy`` instead of queueing. Nil: no bound. A bounded queue keeps an overloaded
    /// caller's waits and memory bounded: beyond what the connections serve, work is turned away, not stored.
    public var maxWaiting: Int?

    public init(
        connectionString: String, maxConnections: Int = 10, applicationName: String = "rundiary",
        preparesStatements: Bool = true, maxWaiting: Int? = nil
    ) {
        self.connectionString = connectionString
        self.maxConnections = maxConnections
        self.applicationName = applicationName
        self.preparesStatements = preparesStatements
        self.maxWaiting = maxWaiting
    }
}
