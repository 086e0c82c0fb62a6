import Logging
import NIOPosix
import ServiceLifecycle

/// The entry point of the driver: a bounded pool of libpq connections and the threads that run their calls.
///
/// ```swift
/// let client = PostgresClient(configuration: .init(connectionString: url, maxConnections: 8), logger: logger)
/// let rows = try await client.query("SELECT title FROM runs WHERE user_id = \(userID)")
/// await client.shutdown()
/// ```
///
/// Run it in a `ServiceGroup`, or call ``shutdown()`` when done: the threads must be stopped before it goes away.
public final class PostgresClient: Sendable, Service {
    public let configuration: PostgresConfiguration
    private let threadPool: NIOThreadPool
    private let pool: ConnectionPool
    private let logger: Logger

    public init(configuration: PostgresConfiguration, logger: Logger) {
        precondition(configuration.maxConnections > 0, "maxConnections must be positive")
        self.configuration = configuration
        self.logger = logger
        let threadPool = NIOThreadPool(numberOfThreads: configuration.maxConnections)
        threadPool.start()
        self.threadPool = threadPool
        self.pool = ConnectionPool(maxConnections: configuration.maxConnections) {
            let connection = try await PostgresConnection.connect(
                to: configuration.connectionString, applicationName: configuration.applicationName,
                threadPool: threadPool)
            logger.debug("postgres connection opened")
            return connection
        }
    }

    /// Lends a connection to `body` for its whole duration; nobody else uses it meanwhile.
    public func withConnection<Result>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let connection = try await pool.lease()
        do {
            let result = try await body(connection)
            await pool.release(connection)
            return result
        } catch {
            await pool.release(connection)
            throw error
        }
    }

    /// How the pool's connections are used right now: read-only, for metrics.
    public var poolUsage: PostgresPoolUsage { pool.usage }

    /// Runs one statement on a pooled connection and returns its rows.
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try await $0.query(query) }
    }

    /// Runs one statement on a pooled connection and returns the number of rows it touched.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { try await $0.execute(query) }
    }

    /// Waits for graceful shutdown, then closes every connection and stops the threads.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes every connection and stops the threads. Further calls fail with ``PostgresError/Code/poolClosed``.
    public func shutdown() async {
        await pool.close()
        try? await threadPool.shutdownGracefully()
    }
}
