import Foundation
import Postgres
import RunDiaryModels

extension SyncStore {
    /// The union of every record table's versions after `$2`, for user `$1`, smallest first, at most `$3`, each with
    /// the index (in ``EntityTable/all``) of its table.
    private static let versionsSQL: String = {
        let parts = EntityTable.all.enumerated().map { index, table in
            "(SELECT version, \(index)::int4 AS t FROM \(table.name) WHERE user_id = $1 AND version > $2 "
                + "ORDER BY version LIMIT $3)"
        }
        return "SELECT version, t FROM (" + parts.joined(separator: " UNION ALL ") + ") AS v ORDER BY version LIMIT $3"
    }()

    /// The changes after `cursor` (all records, tombstones included, when nil), oldest first, at most `limit`.
    ///
    /// Reads in one REPEATABLE READ snapshot: every push is either wholly visible or has higher versions than all
    /// that is, so the returned cursor never passes a change that commits later. Records the cursor the device
    /// confirmed by sending it, for pruning and the device list.
    public func pull(userID: UUID, deviceID: UUID, after cursor: SyncCursor?, limit: Int) async throws -> PullPage {
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

            var binds = PostgresBindings()
            binds.append(userID)
            binds.append(from)
            binds.append(Int64(limit + 1))
            let found = try await connection.query(PostgresQuery(unsafeSQL: Self.versionsSQL, binds: binds))
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
                var binds = PostgresBindings()
                binds.append(userID)
                binds.append(from)
                binds.append(upper)
                let rows = try await connection.query(
                    PostgresQuery(
                        unsafeSQL: table.pullSQL + " WHERE user_id = $1 AND version > $2 AND version <= $3", binds: binds))
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
    public func conflicts(userID: UUID, before: Int64?, limit: Int) async throws -> [ConflictRecord] {
        let rows = try await client.query(
            """
            SELECT id, entity, record_id, field, coalesce(winning_value, 'null'::jsonb)::text, winning_hlc,
                   coalesce(losing_value, 'null'::jsonb)::text, losing_hlc, device_id, mutation_id, version, created_at
            FROM sync_conflicts WHERE user_id = \(userID) AND id < \(before ?? Int64.max)
            ORDER BY id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            let v = try row.decode((Int64, String, UUID, String, String, String, String, String, UUID, Int64, Int64, Date).self)
            return ConflictRecord(
                id: v.0, entity: v.1, recordID: v.2, field: v.3, winningValue: try Self.json(v.4), winningHLC: v.5,
                losingValue: try Self.json(v.6), losingHLC: v.7, deviceID: v.8, mutationID: v.9, version: v.10,
                createdAt: v.11)
        }
    }

    /// The user's rejected mutations, newest first, older than `before` when given.
    public func rejections(userID: UUID, before: Int64?, limit: Int) async throws -> [RejectionRecord] {
        let rows = try await client.query(
            """
            SELECT id, device_id, mutation_id, entity, record_id, code, field, message, mutation::text, created_at
            FROM sync_rejections WHERE user_id = \(userID) AND id < \(before ?? Int64.max)
            ORDER BY id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            let v = try row.decode((Int64, UUID, Int64, String?, UUID?, String, String?, String, String, Date).self)
            return RejectionRecord(
                id: v.0, deviceID: v.1, mutationID: v.2, entity: v.3, recordID: v.4, code: v.5, field: v.6, message: v.7,
                mutation: try Self.json(v.8), createdAt: v.9)
        }
    }

    private static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
