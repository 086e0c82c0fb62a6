import Logging
import NIOConcurrencyHelpers
import Postgres
import RunDiaryStore
import ServiceLifecycle

/// Brings the database schema to this server's version before the API serves, without making the boot order of a
/// host matter: while PostgreSQL cannot be reached the server is up (`/health` 200), reports `/ready` 503 and answers
/// API calls 503 `database_unavailable`, and the gate retries with back-off until it can check (and, with
/// `--migrate`, apply) the migrations.
///
/// A reachable database whose schema is behind, without `migrate`, is a deployment error: the gate throws and the
/// service group stops the server, as `serve` always has.
package final class SchemaGate: Service, Sendable {
    private let migrator: Migrator
    private let migrate: Bool
    private let logger: Logger
    /// What each of the pool's connections runs once before the server serves (``SyncStore/connectionWarmUp(rate:)``).
    private let warmUp: [[PostgresQuery]]
    private let passed = NIOLockedValueBox(false)

    package init(migrator: Migrator, migrate: Bool, warmUp: [[PostgresQuery]] = [], logger: Logger) {
        self.migrator = migrator
        self.migrate = migrate
        self.warmUp = warmUp
        self.logger = logger
    }

    /// Whether the schema was found current (or brought to it); from then on, the API serves.
    package var isOpen: Bool { passed.withLockedValue { $0 } }

    /// Returns once the schema is current, or when graceful shutdown begins while the database is still out of reach
    /// (a server stopped before it ever served exits cleanly and at once).
    package func run() async throws {
        var delay = Duration.milliseconds(250)
        while !Task.isShuttingDownGracefully {
            do {
                if migrate { try await migrator.migrate() }
                try await migrator.requireCurrent()
                do {
                    // Before serving: a burst of requests then finds the pool's connections open, and no device's
                    // request is the first a backend runs.
                    try await migrator.client.openConnections()
                    let warmed = await migrator.client.warmConnections(warmUp)
                    logger.info("database connections warmed", metadata: ["connections": .stringConvertible(warmed)])
                } catch {
                    logger.warning(
                        "database pool not filled ahead of traffic; it grows on demand",
                        metadata: ["failure": .string((error as? PostgresError)?.code.description ?? "\(type(of: error))")])
                }
                passed.withLockedValue { $0 = true }
                logger.info("schema current; serving")
                return
            } catch let error as PostgresError where error.isUnavailability {
                ServerMetrics.countDatabaseError(error)
                logger.warning(
                    "database unavailable; retrying",
                    metadata: ["failure": .string(error.code.description), "retry_in_ms": .stringConvertible(delay.milliseconds)])
            }
            // Cut short by graceful shutdown: the loop's condition then ends the gate.
            let pause = delay
            await cancelWhenGracefulShutdown { try? await Task.sleep(for: pause) }
            // Cancelled (the group stopping on another service's failure): stop as before, by throwing.
            try Task.checkCancellation()
            delay = min(delay * 2, .seconds(15))
        }
    }
}

extension Duration {
    fileprivate var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
