/// How a ``PostgresClient`` connects and how many connections it may hold.
public struct PostgresConfiguration: Sendable {
    /// A libpq connection string or `postgresql://` URL, e.g. the value of `DATABASE_URL`.
    public var connectionString: String
    /// The most connections open at once; also the number of threads that run libpq calls.
    public var maxConnections: Int
    /// Shown in `pg_stat_activity`.
    public var applicationName: String

    public init(connectionString: String, maxConnections: Int = 10, applicationName: String = "rundiary") {
        self.connectionString = connectionString
        self.maxConnections = maxConnections
        self.applicationName = applicationName
    }
}
