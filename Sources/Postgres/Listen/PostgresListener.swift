import Logging
import ServiceLifecycle

/// One dedicated connection that `LISTEN`s on a few channels and hands every `NOTIFY` to a handler, reconnecting
/// whenever the connection is lost.
///
/// The connection is not one of a ``PostgresClient``'s: a thread of the listener's own opens it, waits in `poll()` on
/// its socket (and on a pipe that wakes the thread to stop), and reads with `PQconsumeInput`/`PQnotifies` only when
/// the socket is readable. One thread serves every channel and every subscriber in the process; nothing waits on
/// Swift's cooperative pool.
///
/// PostgreSQL keeps nothing for a connection that is not listening: notifications sent while the connection was down
/// are lost. So the handler hears ``Event/listening`` each time the listener is listening again, and should re-read
/// what those notifications would have said. A notification is only ever sent by a transaction that committed.
///
/// ```swift
/// let listener = PostgresListener(configuration: .init(connectionString: url, channels: ["changes"]), logger: logger) {
///     event in
///     if case .notification(let notification) = event { wake(notification.payload) }
/// }
/// try await listener.run()  // or run it in a ServiceGroup
/// ```
public final class PostgresListener: Service, Sendable {
    /// What the listener tells its handler.
    public enum Event: Sendable {
        /// The connection is open and listening on every channel: for the first time, or again after a loss.
        case listening
        /// A notification arrived on one of the channels.
        case notification(PostgresNotification)
        /// The connection reaches PostgreSQL through a pooler (told before ``listening``). A pooler in session mode
        /// keeps the `LISTEN`; one in transaction or statement mode hands the server session to other clients, and
        /// notifications never arrive — quietly, since the `LISTEN` itself succeeds.
        case throughPooler
        /// The connection could not be opened, or was lost; the listener tries again after `retryIn`.
        case unavailable(PostgresError, retryIn: Duration)
    }

    /// Where the listener connects, what it listens to and how it retries.
    public struct Configuration: Sendable {
        /// A libpq connection string or `postgresql://` URL. It must reach PostgreSQL itself: a pooler in transaction
        /// mode (PgBouncer) does not keep a `LISTEN` between transactions.
        public var connectionString: String
        /// The channels to `LISTEN` on (identifiers: quoted, so any text works).
        public var channels: [String]
        /// Shown in `pg_stat_activity`.
        public var applicationName: String
        /// The first wait before reconnecting; it doubles after each further failure, up to `maximumBackoff`, with
        /// ±20 % jitter so that many instances do not reconnect in step.
        public var minimumBackoff: Duration = .milliseconds(250)
        public var maximumBackoff: Duration = .seconds(10)
        /// After this long without hearing from the server, the listener sends an empty query; when that is not
        /// answered within the same time, the connection is taken as lost (a peer that vanished without closing it).
        public var livenessInterval: Duration = .seconds(30)

        public init(connectionString: String, channels: [String], applicationName: String = "rundiary-listen") {
            self.connectionString = connectionString
            self.channels = channels
            self.applicationName = applicationName
        }
    }

    private let configuration: Configuration
    private let logger: Logger
    private let handler: @Sendable (Event) -> Void

    /// `handler` runs on the listener's thread, one event at a time and in order: it must return quickly and never
    /// block (hand work to a task when it must wait).
    public init(configuration: Configuration, logger: Logger, handler: @escaping @Sendable (Event) -> Void) {
        precondition(!configuration.channels.isEmpty, "a listener needs at least one channel")
        self.configuration = configuration
        self.logger = logger
        self.handler = handler
    }

    /// Listens until the task is cancelled or graceful shutdown begins; then closes the connection and returns once
    /// the thread has ended (a connection attempt in progress finishes first: at most libpq's connect timeout).
    ///
    /// Throws only for a connection string libpq cannot parse (``PostgresError/Code/invalidConfiguration``); every
    /// other failure is retried.
    public func run() async throws {
        let loop = try ListenLoop(configuration: configuration, logger: logger, handler: handler)
        let failure = await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await loop.run()
            } onGracefulShutdown: {
                loop.stop()
            }
        } onCancel: {
            loop.stop()
        }
        if let failure { throw failure }
    }
}
