import Foundation
import Postgres
import RunDiaryModels

extension SyncStore {
    /// The union of every record table's versions after `from`, for `userID`, smallest first, at most `limit`, each
    /// with the index (in ``EntityTable/all``) of its table.
    private static func versions(of userID: UUID, after from: Int64, limit: Int64) -> PostgresQuery {
        let parts = EntityTable.all.enumerated().map { index, table -> PostgresQuery in
            """
            (SELECT version, \(Int32(index))::int4 AS t FROM \(table.table) WHERE user_id = \(userID) AND version > \(from) \
            ORDER BY version LIMIT \(limit))
            """
        }
        return "SELECT version, t FROM (\(parts.joined(separator: " UNION ALL "))) AS v ORDER BY version LIMIT \(limit)"
    }

    /// The changes after `cursor` (all records, tombstones included, when nil), oldest first, at most `limit`.
    ///
    /// Reads in one REPEATABLE READ snapshot: every push is either wholly visible or has higher versions than all
    /// that is, so the returned cursor never passes a change that commits later. Records the cursor the device
    /// confirmed by sending it, for pruning and the device list.
    package func pull(userID: UUID, deviceID: UUID, after cursor: SyncCursor?, limit: Int) async throws -> PullPage {
        let from = cursor?.version ?? 0
        let page = try await client.withTransaction(isolation: .repeatableRead) { connection -> PullPage in
            let user = try await connection.query(
                "SELECT u.version, u.pruned_through, e.epoch FROM users u, sync_epoch e WHERE u.id = \(userID)"
            ).single()
            let (current, prunedThrough, epoch) = try user.decode((Int64, Int64, UUID).self)
            // A cursor of another epoch (issued before a restore, or a c1 cursor with none) counts versions of another
            // history of this database: nothing after it can be trusted.
            if let cursor, cursor.epoch != epoch || from < prunedThrough || from > current {
                throw PullError.resetRequired
            }

            let found = try await connection.query(Self.versions(of: userID, after: from, limit: Int64(limit + 1)))
                .map { try $0.decode((Int64, Int32).self) }
            let versions = found.map(\.0)
            let hasMore = versions.count > limit
            // Only the tables with a change in this page are read.
            let tables = Set(found.prefix(limit).map(\.1))
            guard let upper = versions.prefix(limit).last else {
                return PullPage(changes: [], cursor: SyncCursor(epoch: epoch, version: current), hasMore: false)
            }
            var changes: [PulledChange] = []
            changes.reserveCapacity(min(versions.count, limit))
            for (index, table) in EntityTable.all.enumerated() where tables.contains(Int32(index)) {
                let rows = try await connection.query(
                    "\(table.pull) WHERE user_id = \(userID) AND version > \(from) AND version <= \(upper)")
                for row in rows { changes.append(try table.change(from: row)) }
            }
            changes.sort { $0.version < $1.version }
            return PullPage(
                changes: changes, cursor: SyncCursor(epoch: epoch, version: hasMore ? upper : current), hasMore: hasMore)
        }
        try await client.execute(
            """
            UPDATE devices SET last_pulled_version = \(from), last_pulled_at = now(), last_seen_at = now()
            WHERE user_id = \(userID) AND id = \(deviceID)
            """)
        return page
    }

    /// The user's recorded conflicts, newest first, older than `before` when given.
    package func conflicts(userID: UUID, before: Int64?, limit: Int) async throws -> [ConflictRecord] {
        let rows = try await client.query(
            """
            SELECT id, entity, record_id, field, coalesce(winning_value, 'null'::jsonb)::text AS winning_value, winning_hlc,
                   coalesce(losing_value, 'null'::jsonb)::text AS losing_value, losing_hlc, device_id, mutation_id, version,
                   created_at
            FROM sync_conflicts WHERE user_id = \(userID) AND id < \(before ?? Int64.max)
            ORDER BY id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            ConflictRecord(
                id: try row.decode(named: "id"), entity: try row.decode(named: "entity"),
                recordID: try row.decode(named: "record_id"), field: try row.decode(named: "field"),
                winningValue: try Self.json(try row.decode(named: "winning_value")),
                winningHLC: try row.decode(named: "winning_hlc"),
                losingValue: try Self.json(try row.decode(named: "losing_value")),
                losingHLC: try row.decode(named: "losing_hlc"), deviceID: try row.decode(named: "device_id"),
                mutationID: try row.decode(named: "mutation_id"), version: try row.decode(named: "version"),
                createdAt: try row.decode(named: "created_at"))
        }
    }

    /// The user's rejected mutations, newest first, older than `before` when given.
    package func rejections(userID: UUID, before: Int64?, limit: Int) async throws -> [RejectionRecord] {
        let rows = try await client.query(
            """
            SELECT id, device_id, mutation_id, entity, record_id, code, field, message, mutation::text AS mutation, created_at
            FROM sync_rejections WHERE user_id = \(userID) AND id < \(before ?? Int64.max)
            ORDER BY id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            RejectionRecord(
                id: try row.decode(named: "id"), deviceID: try row.decode(named: "device_id"),
                mutationID: try row.decode(named: "mutation_id"), entity: try row.decode(named: "entity"),
                recordID: try row.decode(named: "record_id"), code: try row.decode(named: "code"),
                field: try row.decode(named: "field"), message: try row.decode(named: "message"),
                mutation: try Self.json(try row.decode(named: "mutation")), createdAt: try row.decode(named: "created_at"))
        }
    }

    private static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
