import Foundation
import Logging
import NIOConcurrencyHelpers
import Postgres
import RunDiaryStore
import ServiceLifecycle

/// The live channel's machinery on one server instance: the registry of open streams and long-polls, fed by one
/// dedicated `LISTEN` connection, plus the periodic work that keeps the streams honest.
///
/// - Every push that advances an account's version sends a ``ChangeNotice`` on commit; the listener (one connection
///   per instance, whatever the number of streams) hands each to the registry, which wakes that account's
///   subscribers. An open stream holds no database connection.
/// - Whenever the listener is (again) listening, notices sent while it was not may have been lost: the versions of
///   every account with a subscriber are read in one query and offered to them.
/// - Every `heartbeat`, each stream writes a comment, so that proxies and mobile networks keep it open.
/// - Every `tokenCheck`, the tokens of all open streams are checked in one query; a stream whose token is no longer
///   valid ends with `signed_out`. One periodic check (rather than a notice from every place that revokes) covers all
///   of them at once: logout, device revocation, `rundiary user disable`/`delete`/`token revoke`, an operator's SQL.
public final class LiveSync: Service, Sendable {
    /// Whether the instance hears change notices right now.
    public enum ListenerStatus: String, Sendable {
        case connecting
        case listening
        case unavailable
    }

    public let registry: LiveRegistry
    let configuration: ServerConfiguration
    private let listener: PostgresListener
    private let recheckRequests: AsyncStream<Void>
    private let status: NIOLockedValueBox<ListenerStatus>
    private let store: SyncStore
    private let client: PostgresClient
    private let accounts: AccountStore
    private let logger: Logger

    /// `client` serves the queries; the listener connects to `configuration.listenDatabaseURL`, else to `client`'s
    /// database (either must reach PostgreSQL itself, not a pooler in transaction mode: `LISTEN` needs a session).
    package init(configuration: ServerConfiguration, client: PostgresClient, logger: Logger) {
        let listenURL = configuration.listenDatabaseURL ?? client.configuration.connectionString
        let registry = LiveRegistry(
            streamsPerAccount: configuration.maxStreamsPerAccount, maximumOpen: configuration.maxStreams)
        let status = NIOLockedValueBox(ListenerStatus.connecting)
        let (recheckRequests, recheck) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.registry = registry
        self.configuration = configuration
        self.status = status
        self.recheckRequests = recheckRequests
        self.store = SyncStore(client: client)
        self.client = client
        self.accounts = AccountStore(client: client)
        self.logger = logger
        self.listener = PostgresListener(
            configuration: .init(
                connectionString: listenURL, channels: [ChangeNotice.channel], applicationName: ChangeNotice.listenerApplicationName),
            logger: logger
        ) { event in
            switch event {
            case .notification(let notification):
                guard let notice = ChangeNotice(payload: notification.payload) else { return }
                registry.offer(userID: notice.userID, version: notice.version)
            case .throughPooler:
                // Quiet otherwise: /ready would say "listening" while no notice ever arrives.
                logger.warning(
                    "live listener connects through a pooler: in transaction or statement mode it hears no changes; point --listen-database-url at PostgreSQL itself"
                )
            case .listening:
                if status.withLockedValue({ $0 }) != .connecting { logger.info("live listener listening again") }
                status.withLockedValue { $0 = .listening }
                recheck.yield()
            case .unavailable(let error, let retryIn):
                let wasListening = status.withLockedValue { status in
                    defer { status = .unavailable }
                    return status == .listening
                }
                if wasListening {
                    logger.warning(
                        "live listener lost its connection; reconnecting",
                        metadata: ["failure": .string(error.code.description), "retry_in_ms": .stringConvertible(retryIn.milliseconds)])
                }
            }
        }
    }

    /// Whether the listener is listening.
    public var listenerStatus: ListenerStatus { status.withLockedValue { $0 } }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.listener.run() }
            group.addTask {
                await cancelWhenGracefulShutdown { await self.recheckAfterListening() }
            }
            group.addTask {
                await cancelWhenGracefulShutdown {
                    await self.every(.seconds(self.configuration.liveHeartbeatSeconds)) { self.registry.requestHeartbeats() }
                }
            }
            group.addTask {
                await cancelWhenGracefulShutdown {
                    await self.every(.seconds(self.configuration.liveTokenCheckSeconds)) { await self.closeSignedOutStreams() }
                }
            }
        }
    }

    /// The account's version now, for a subscription being opened.
    func currentVersion(of userID: UUID) async throws -> Int64? {
        try await store.versions(of: [userID])[userID]
    }

    /// The database's sync epoch, which the cursors in a stream's events carry (a restore begins a new one).
    func currentEpoch() async throws -> UUID {
        try await SyncEpoch.current(client)
    }

    /// Offers every account with a subscriber its current version, each time the listener is listening (again).
    private func recheckAfterListening() async {
        for await _ in recheckRequests {
            while !Task.isCancelled {
                let userIDs = registry.accounts
                do {
                    registry.offer(try await store.versions(of: userIDs))
                    break
                } catch {
                    logger.warning("live recheck failed; retrying", metadata: ["error_type": .string(String(describing: type(of: error)))])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    private func closeSignedOutStreams() async {
        do {
            registry.signOut(tokenIDs: try await accounts.invalidTokens(among: registry.streamTokens))
        } catch {
            // The database is unreachable: keep the streams, and check again next time.
            logger.debug("live token check failed", metadata: ["error_type": .string(String(describing: type(of: error)))])
        }
    }

    private func every(_ interval: Duration, _ body: () async -> Void) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            await body()
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds, for logs.
    fileprivate var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
