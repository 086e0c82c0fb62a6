import Foundation
import Logging
import Postgres
import RunDiaryModels

/// Removes what sync and sharing no longer need: old tombstones, old journal rows, long-expired share links and old
/// share access logs.
///
/// A tombstone goes only when it is older than the retention *and* at or below the cursor of every active device of
/// its user (a device is active when not revoked and seen within the retention), so no active device can miss a
/// delete. Devices left behind find `users.pruned_through` raised above their cursor and are told to reset.
package struct Pruner: Sendable {
    /// How long things are kept, in seconds.
    package struct Policy: Sendable, Hashable {
        package var tombstoneRetention: Int
        package var journalRetention: Int
        package var accessLogRetention: Int
        /// How long an expired share link stays listed before it is removed.
        package var expiredShareRetention: Int

        package static let day = 86_400

        package init(
            tombstoneRetention: Int = 90 * day, journalRetention: Int = 365 * day, accessLogRetention: Int = 365 * day,
            expiredShareRetention: Int = 30 * day
        ) {
            self.tombstoneRetention = tombstoneRetention
            self.journalRetention = journalRetention
            self.accessLogRetention = accessLogRetention
            self.expiredShareRetention = expiredShareRetention
        }
    }

    /// A user whose tombstones were removed, and their new prune horizon.
    package struct UserHorizon: Sendable, Hashable, Codable {
        package let userID: UUID
        package let prunedThrough: Int64
    }

    /// What was (or, in a dry run, would be) removed.
    package struct Report: Sendable, Hashable, Codable {
        package let dryRun: Bool
        package let tables: [TableCount]
        package let users: [UserHorizon]
    }

    let client: PostgresClient
    let logger: Logger

    package init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Prunes by `policy`; with `dryRun` it counts and changes nothing.
    package func prune(_ policy: Policy, dryRun: Bool) async throws -> Report {
        let tombstoneCutoff = try await cutoff(policy.tombstoneRetention)
        var removed: [String: Int] = [:]
        var horizons: [UserHorizon] = []
        for userID in try await usersWithOldTombstones(before: tombstoneCutoff) {
            let (counts, highest) = try await pruneTombstones(of: userID, cutoff: tombstoneCutoff, dryRun: dryRun)
            for (table, rows) in counts { removed[table, default: 0] += rows }
            if let highest { horizons.append(UserHorizon(userID: userID, prunedThrough: highest)) }
        }
        var tables = EntityTable.all.map { TableCount(table: $0.name, rows: removed[$0.name] ?? 0) }

        let journalCutoff = try await cutoff(policy.journalRetention)
        for table: PostgresIdentifier in ["sync_conflicts", "sync_rejections"]
        where try await AdminStore(client: client).tableExists(table.name) {
            tables.append(
                TableCount(
                    table: table.name,
                    rows: try await removeRows(of: table, where: "created_at < \(journalCutoff)", dryRun: dryRun)))
        }
        if try await AdminStore(client: client).tableExists("share_accesses") {
            let accessCutoff = try await cutoff(policy.accessLogRetention)
            tables.append(
                TableCount(
                    table: "share_accesses",
                    rows: try await removeRows(of: "share_accesses", where: "accessed_at < \(accessCutoff)", dryRun: dryRun)))
        }
        if try await AdminStore(client: client).tableExists("shares") {
            // An expired link goes once its access log has aged out too: the audit trail outlives the link.
            let shareCutoff = try await cutoff(policy.expiredShareRetention)
            let condition: PostgresQuery =
                try await AdminStore(client: client).tableExists("share_accesses")
                ? """
                expires_at < \(shareCutoff) AND NOT EXISTS (
                    SELECT 1 FROM share_accesses a WHERE a.user_id = shares.user_id AND a.share_id = shares.id)
                """
                : "expires_at < \(shareCutoff)"
            tables.append(
                TableCount(table: "shares", rows: try await removeRows(of: "shares", where: condition, dryRun: dryRun)))
        }
        let report = Report(dryRun: dryRun, tables: tables, users: horizons)
        if !dryRun {
            logger.notice(
                "pruned",
                metadata: [
                    "rows": "\(tables.reduce(0) { $0 + $1.rows })", "users": "\(horizons.count)",
                ])
        }
        return report
    }

    /// The database's `now()` less `seconds`: one clock for every comparison, the server's.
    private func cutoff(_ seconds: Int) async throws -> Date {
        try await client.query("SELECT now() - make_interval(secs => \(Double(seconds)))").single().decode(Date.self, at: 0)
    }

    private func usersWithOldTombstones(before cutoff: Date) async throws -> [UUID] {
        let union = EntityTable.all.map {
            "SELECT user_id FROM \($0.table) WHERE deleted_hlc IS NOT NULL AND updated_at < \(cutoff)" as PostgresQuery
        }.joined(separator: " UNION ")
        return try await client.query("\(union) ORDER BY 1").map { try $0.decode(UUID.self, at: 0) }
    }

    /// Removes one user's prunable tombstones under the user's row lock (which the sync push also takes), and raises
    /// `pruned_through` to the highest version removed. Returns rows per table and that version.
    private func pruneTombstones(of userID: UUID, cutoff: Date, dryRun: Bool) async throws
        -> (counts: [String: Int], highest: Int64?)
    {
        try await client.withTransaction { connection in
            try await connection.execute("SELECT 1 FROM users WHERE id = \(userID) FOR UPDATE")
            // A device never seen counts from its creation; one that pulled nothing holds everything (horizon 0).
            let horizonRow = try await connection.query(
                """
                SELECT min(coalesce(last_pulled_version, 0)) FROM devices
                WHERE user_id = \(userID) AND revoked_at IS NULL AND coalesce(last_seen_at, created_at) >= \(cutoff)
                """
            ).single()
            let horizon = try horizonRow.decode(Int64?.self, at: 0) ?? Int64.max
            var counts: [String: Int] = [:]
            var highest: Int64? = nil
            for table in EntityTable.all {
                let condition: PostgresQuery = """
                    user_id = \(userID) AND deleted_hlc IS NOT NULL AND updated_at < \(cutoff) AND version <= \(horizon)\
                    \(Self.unreferenced(table))
                    """
                let query: PostgresQuery =
                    dryRun
                    ? "SELECT count(*), max(version) FROM \(table.table) WHERE \(condition)"
                    : """
                    WITH removed AS (DELETE FROM \(table.table) WHERE \(condition) RETURNING version) \
                    SELECT count(*), max(version) FROM removed
                    """
                let (count, maxVersion) = try await connection.query(query).single().decode((Int, Int64?).self)
                counts[table.name] = count
                if let maxVersion { highest = max(highest ?? maxVersion, maxVersion) }
            }
            if let highest, !dryRun {
                try await connection.execute(
                    """
                    UPDATE users SET pruned_through = greatest(pruned_through, \(highest)), updated_at = now()
                    WHERE id = \(userID)
                    """)
            }
            return (counts, highest)
        }
    }

    /// The condition that no record of the same user references a row of `table`: a tombstone a live record still
    /// points to is kept, so that the reference stays valid (see ``IntegrityCheck``).
    static func unreferenced(_ table: EntityTable) -> PostgresQuery {
        var condition = PostgresQuery()
        for referencing in EntityTable.all {
            for field in referencing.schema.fields {
                guard case .reference(let target) = field.type, target == table.entity else { continue }
                let column = EntityTable.identifier(field.name)
                condition.append(
                    """
                     AND NOT EXISTS (SELECT 1 FROM \(referencing.table) r \
                    WHERE r.user_id = \(table.table).user_id AND r.\(column) = \(table.table).id)
                    """)
            }
        }
        return condition
    }

    /// Deletes (or counts) rows of `table` matching `condition`.
    private func removeRows(of table: PostgresIdentifier, where condition: PostgresQuery, dryRun: Bool) async throws -> Int {
        if dryRun {
            return try await client.query("SELECT count(*) FROM \(table) WHERE \(condition)").single().decode(Int.self, at: 0)
        }
        return try await client.execute("DELETE FROM \(table) WHERE \(condition)")
    }
}
