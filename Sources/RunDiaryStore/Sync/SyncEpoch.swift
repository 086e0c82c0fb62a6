import Foundation
import Postgres

/// The database's sync epoch (migration 0010): one value that cursors carry, changed only by
/// ``SyncEpoch/begin(on:)``, which `rundiary restore-finish` runs after a backup is restored.
///
/// A restore rewinds every account's version counter, so versions a device has already seen are issued again for
/// other changes. Cursors of the epoch before the restore are answered 410 `reset_required`; the devices pull
/// everything again and push back what they hold that the restored database lost (docs/sync-protocol.md §9.3).
package enum SyncEpoch {
    /// The current epoch, as a scalar subquery. Its one row is found through the primary key (`singleton`, always
    /// true), not by reading the table: planned with table scans off (``PostgresQuery/keyLookupsOnly``), a scan is
    /// priced as a disabled path (10¹⁰), and a pull whose custom plan had one such scan fewer than its generic plan
    /// (a cursor-less pull drops a condition) was planned anew every time: 383 plans in a short tick run, not 107.
    static let value: PostgresQuery = "(SELECT epoch FROM sync_epoch WHERE singleton)"

    /// The current epoch.
    package static func current(_ client: PostgresClient) async throws -> UUID {
        try await client.query("SELECT \(value)").single().decode(UUID.self, at: 0)
    }

    /// Replaces the epoch with a new random one and returns (old, new). Every cursor issued so far must now reset.
    package static func begin(on client: PostgresClient) async throws -> (old: UUID, new: UUID) {
        let new = UUID()
        let row = try await client.query(
            """
            UPDATE sync_epoch AS e SET epoch = \(new), changed_at = now()
            FROM (SELECT epoch FROM sync_epoch FOR UPDATE) AS old
            RETURNING old.epoch
            """
        ).single()
        return (try row.decode(UUID.self, at: 0), new)
    }
}
