import Foundation
import Postgres

/// "This account's version is now N": what a push announces to every server instance when it commits, so that they
/// wake the account's live streams and long-polls.
///
/// Sent with `pg_notify` inside the push transaction: PostgreSQL delivers it only if, and once, the transaction
/// commits, to every connection that `LISTEN`s on ``channel``. It carries no record data (a woken device pulls).
public struct ChangeNotice: Sendable, Hashable {
    /// The channel every server instance listens on.
    public static let channel = "rundiary_changes"
    /// The `application_name` of each instance's listening connection, by which `rundiary stats` counts them.
    public static let listenerApplicationName = "rundiary-live"

    public let userID: UUID
    public let version: Int64

    public init(userID: UUID, version: Int64) {
        self.userID = userID
        self.version = version
    }

    /// The notification payload: `<user id> <version>`.
    public var payload: String {
        userID.uuidString.lowercased() + " " + String(version)
    }

    /// Reads a payload sent by ``announce(on:)``; nil for anything else.
    public init?(payload: String) {
        let parts = payload.split(separator: " ")
        guard parts.count == 2, let userID = UUID(uuidString: String(parts[0])), let version = Int64(parts[1]),
            version >= 0
        else { return nil }
        self.init(userID: userID, version: version)
    }

    /// Queues the notice in the transaction running on `connection`; it is sent when (if) that transaction commits.
    public func announce(on connection: PostgresConnection) async throws {
        try await connection.execute("SELECT pg_notify(\(Self.channel), \(payload))")
    }
}
