import Foundation
import NIOConcurrencyHelpers
import Postgres

/// Runs a listener in a task of its own and records what it tells its handler.
public final class ListenerProbe: Sendable {
    public struct Seen: Sendable {
        public var listening = 0
        public var unavailable = 0
        public var throughPooler = 0
        public var notifications: [PostgresNotification] = []

        public var payloads: [String] { notifications.map(\.payload) }
    }

    public let applicationName = "listener-test-\(UUID().uuidString.prefix(8))"
    private let listener: PostgresListener
    private let seen: NIOLockedValueBox<Seen>

    public init(url: String, channels: [String]) {
        let seen = NIOLockedValueBox(Seen())
        var configuration = PostgresListener.Configuration(connectionString: url, channels: channels)
        configuration.applicationName = applicationName
        configuration.minimumBackoff = .milliseconds(50)
        configuration.maximumBackoff = .milliseconds(500)
        listener = PostgresListener(configuration: configuration, logger: TestDatabase.logger) { event in
            seen.withLockedValue { seen in
                switch event {
                case .listening: seen.listening += 1
                case .unavailable: seen.unavailable += 1
                case .throughPooler: seen.throughPooler += 1
                case .notification(let notification): seen.notifications.append(notification)
                }
            }
        }
        self.seen = seen
    }

    public var listening: Int { seen.withLockedValue { $0.listening } }
    public var unavailable: Int { seen.withLockedValue { $0.unavailable } }
    public var throughPooler: Int { seen.withLockedValue { $0.throughPooler } }
    public var payloads: [String] { seen.withLockedValue { $0.payloads } }
    public var channels: Set<String> { seen.withLockedValue { Set($0.notifications.map(\.channel)) } }

    /// Runs `body` while the listener runs; then stops it and waits for it to end.
    public func running(_ body: () async throws -> Void) async throws {
        let task = Task { try await listener.run() }
        do {
            try await body()
        } catch {
            task.cancel()
            _ = try? await task.value
            throw error
        }
        task.cancel()
        try await task.value
    }

    /// Waits (at most `timeout`) until `condition` holds for what was seen; fails the test naming `what` otherwise.
    public func waitUntil(_ what: String, timeout: Duration = .seconds(15), _ condition: (Seen) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if seen.withLockedValue({ condition($0) }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        let state = seen.withLockedValue { $0 }
        throw TestSetupError(
            "waited \(timeout) for \(what); saw \(state.listening) listening, \(state.unavailable) unavailable, "
                + "payloads \(state.payloads)")
    }
}
