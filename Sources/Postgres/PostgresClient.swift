import Logging
import NIOPosix
import ServiceLifecycle

/// The entry point of the driver: a bounded pool of libpq connections and the threads that run their calls.
///
/// The threads and connections belong to ``run()``: they start when it starts and are closed when it ends (on
/// graceful shutdown or cancellation). Run a long-lived client in a `ServiceGroup`, after the services that use it
/// so that it stops last; a one-shot user (a command, a test) runs it for the length of a closure:
///
/// ```swift
/// let titles = try await PostgresClient.withClient(configuration: .init(connectionString: url), logger: logger) {
///     try await $0.query("SELECT title FROM runs WHERE user_id = \(userID)").map { try $0.decode(String.self, at: 0) }
/// }
/// ```
///
/// A statement sent before `run()` starts waits for it. Once `run()` has ended, statements fail with
/// ``PostgresError/Code/poolClosed``.
public final class PostgresClient: Sendable, Service {
    public let configuration: PostgresConfiguration
    private let threads: ClientThreads
    private let pool: ConnectionPool
    private let logger: Logger

    public init(configuration: PostgresConfiguration, logger: Logger) {
        precondition(configuration.maxConnections > 0, "maxConnections must be positive")
        self.configuration = configuration
        self.logger = logger
        let threads = ClientThreads(count: configuration.maxConnections)
        self.threads = threads
        self.pool = ConnectionPool(maxConnections: configuration.maxConnections, maxWaiting: configuration.maxWaiting) {
            let threadPool = try await threads.running()
            let connection = try await PostgresConnection.connect(
                to: configuration.connectionString, applicationName: configuration.applicationName,
                preparesStatements: configuration.preparesStatements, threadPool: threadPool)
            logger.debug("postgres connection opened")
            return connection
        }
    }

    /// Creates a client, runs it while `body` runs, and closes it when `body` returns or throws.
    public static func withClient<Result>(
        configuration: PostgresConfiguration, logger: Logger, _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration, logger: logger)
        client.start()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.serveUntilStopped() }
            do {
                let result = try await body(client)
                group.cancelAll()
                try await group.waitForAll()
                return result
            } catch {
                group.cancelAll()
                try await group.waitForAll()
                throw error
            }
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

    /// Opens the pool's connections ahead of traffic, one at a time, up to ``PostgresConfiguration/maxConnections``:
    /// a server calls it before it serves, so that its first burst of requests does not wait for new backends. Throws
    /// the first failure to connect; the pool then grows on demand, as it does without this call.
    public func openConnections() async throws {
        try await pool.fill()
    }

    /// Runs `pipelines` on every idle connection of the pool, each as ``PostgresConnection/pipeline(_:)`` runs it: a
    /// server calls it after ``openConnections()``, before it serves, so that no request is the first to use a new
    /// backend. A backend loads the catalogs of every table and index a statement names, and plans it, the first time
    /// it runs it (a pull's page of 1,000 took 20–27 ms on each of the pool's 16 new backends, 6 ms after;
    /// docs/benchmarks.md); with ``PostgresConfiguration/preparesStatements`` the statements are prepared too.
    ///
    /// A failing pipeline is skipped on that connection (nothing depends on it but speed). Returns how many
    /// connections were warmed.
    @discardableResult
    public func warmConnections(_ pipelines: [[PostgresQuery]]) async -> Int {
        await pool.withEachIdle { connection in
            for pipeline in pipelines {
                do {
                    _ = try await connection.pipeline(pipeline)
                } catch {
                    logger.debug("postgres connection not warmed", metadata: ["failure": "\(type(of: error))"])
                }
            }
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

    /// Starts the threads, serves until graceful shutdown or cancellation, then closes every connection (waiting for
    /// those lent out to come back) and stops the threads. A client runs once.
    public func run() async throws {
        start()
        await serveUntilStopped()
    }

    private func start() {
        precondition(threads.start(), "a PostgresClient runs only once")
    }

    private func serveUntilStopped() async {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled: stop just as for a graceful shutdown.
        }
        // In a task of its own, which the cancellation that may have ended the wait does not reach: every connection
        // must still be finished on the threads before they stop.
        await Task { await self.stop() }.value
    }

    private func stop() async {
        let threadPool = threads.stop()
        await pool.close()
        do {
            try await threadPool?.shutdownGracefully()
        } catch {
            logger.error("postgres threads did not stop", metadata: ["error": "\(error)"])
        }
    }
}
