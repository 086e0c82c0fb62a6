import Foundation
import Postgres

/// "This account's version is now N": what a push announces to every server instance when it commits, so that they
/// wake the account's live streams and long-polls.
///
/// Sent with `pg_notify` right after the push's COMMIT, in the same round trip (``afterCommit``), to every connection
/// that `LISTEN`s on ``channel``; only if the push committed. It carries no record data (a woken device pulls).
///
/// Not inside the push's transaction: a transaction that notifies holds a database-wide lock from its commit's start
/// until its end — across its WAL flush — so every notifying push of every account committed one flush after another
/// (no group commit), and a slow flush queued them all (`Lock: object` waits, docs/benchmarks.md). Its own
/// transaction writes nothing that must survive a crash, so it commits without waiting for the flush and holds the
/// lock for microseconds.
package struct ChangeNotice: Sendable, Hashable {
    /// The channel every server instance listens on.
    package static let channel = "rundiary_changes"
    /// The `application_name` of each instance's listening connection, by which `rundiary stats` counts them.
    package static let listenerApplicationName = "rundiary-live"

    package let userID: UUID
    package let version: Int64

    package init(userID: UUID, version: Int64) {
        self.userID = userID
        self.version = version
    }

    /// The notification payload: `<user id> <version>`.
    package var payload: String {
        userID.uuidString.lowercased() + " " + String(version)
    }

    /// Reads a payload sent by ``announce(on:)``; nil for anything else.
    package init?(payload: String) {
        let parts = payload.split(separator: " ")
        guard parts.count == 2, let userID = UUID(uuidString: String(parts[0])), let version = Int64(parts[1]),
            version >= 0
        else { return nil }
        self.init(userID: userID, version: version)
    }

    /// The call that queues the notice in the running transaction; it is sent when (if) that transaction commits.
    package var call: PostgresQuery { "pg_notify(\(Self.channel), \(payload))" }

    /// The statement that sends the notice in a transaction of its own, committed without waiting for the WAL flush
    /// (``PostgresQuery/commitsWithoutFlush``): sent after the push's COMMIT.
    package var afterCommit: PostgresQuery { "SELECT \(call) FROM \(PostgresQuery.commitsWithoutFlush)" }

    /// Queues the notice in the transaction running on `connection`; it is sent when (if) that transaction commits.
    package func announce(on connection: PostgresConnection) async throws {
        try await connection.execute("SELECT \(call)")
    }
}
