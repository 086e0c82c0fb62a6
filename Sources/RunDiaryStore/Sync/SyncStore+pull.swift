import Foundation
import Postgres
import RunDiaryModels

extension SyncStore {
    /// Where a pull's rows hold what. One row (the first, as PostgreSQL returns them: ``PageOrder``) is the header:
    /// the user's counter and pruning mark, the database's sync epoch and whether the token's last use is to be
    /// recorded (``TokenCheck``), with no change. Each other row is a change: its table index, id, version and stored
    /// JSON (``EntityTable/pulledChange(_:)``).
    private enum PullLayout {
        static let current = 0
        static let prunedThrough = 1
        static let epoch = 2
        static let staleToken = 3
        static let table = 4
        static let id = 5
        static let version = 6
        static let change = 7
    }

    /// Where a pull statement's header row is and its changes in version order.
    ///
    /// The statement has no ORDER BY of its own: PostgreSQL returns a UNION ALL's branches one after the other and
    /// each branch in its own order, so the header comes first and the changes follow in version order, merged from
    /// the tables' indexes; an ORDER BY over the whole made PostgreSQL 15 sort the page again (563 kB per 1,000
    /// changes, about a tenth of the statement's time; docs/benchmarks.md). The order is checked, not assumed: should a
    /// plan ever return the rows otherwise, they are put in order here, so a plan can change a pull's speed, never
    /// its page.
    struct PageOrder {
        /// The header row's position.
        let header: Int
        /// The changes' positions, in version order.
        let changes: [Int]

        init(_ rows: PostgresRows) throws {
            try self.init(
                rows.map { row in try Self.isHeader(row) ? nil : try row.decode(Int64.self, at: PullLayout.version) })
        }

        /// The header row's position alone (the first row, as PostgreSQL returns them).
        static func header(in rows: PostgresRows) throws -> Int {
            guard let position = try rows.indices.first(where: { try isHeader(rows[$0]) }) else {
                throw PostgresError(code: .decoding, message: "expected the user's row, got none")
            }
            return position
        }

        /// The header is the row without a table: every change has one.
        private static func isHeader(_ row: PostgresRow) throws -> Bool {
            try row.withCell(at: PullLayout.table) { $0.isNull }
        }

        /// From each row's version, nil for the header.
        init(_ versions: [Int64?]) throws {
            var header: Int?
            var changes: [Int] = []
            changes.reserveCapacity(max(versions.count - 1, 0))
            var ordered = true
            var last = Int64.min
            for (position, version) in versions.enumerated() {
                guard let version else {
                    guard header == nil else {
                        throw PostgresError(code: .decoding, message: "a pull returned two header rows")
                    }
                    header = position
                    continue
                }
                ordered = ordered && version > last
                last = version
                changes.append(position)
            }
            guard let header else {
                throw PostgresError(code: .decoding, message: "expected the user's row, got none")
            }
            if !ordered { changes.sort { (versions[$0] ?? 0) < (versions[$1] ?? 0) } }
            self.header = header
            self.changes = changes
        }
    }

    /// One table's changes after `from`, smallest version first, at most `limit`.
    private static func changes(in index: Int, of userID: UUID, after from: Int64, limit: Int64) -> PostgresQuery {
        """
        (SELECT \(Int32(index))::int4 AS t, id, version, pulled_change FROM \(EntityTable.all[index].table) \
        WHERE user_id = \(userID) AND version > \(from) ORDER BY version LIMIT \(limit))
        """
    }

    /// The changes after `cursor` (all records, tombstones included, when nil), oldest first, at most `limit`.
    ///
    /// One statement, hence one snapshot: every push is either wholly visible or has higher versions than all that
    /// is, so the returned cursor never passes a change that commits later. The same statement records the cursor
    /// the device confirmed by sending it, for pruning and the device list, unless the cursor is out of range or of
    /// another sync epoch.
    ///
    /// That bookkeeping commits without waiting for the WAL flush (``PostgresQuery/commitsWithoutFlush``): a pull
    /// writes nothing a device gave us, and should a crash lose the last fraction of a second of it, the recorded
    /// cursor is an older one, which only makes pruning keep more. A sync tick then waits for one flush (its push's),
    /// not two.
    ///
    /// The stored JSON is in the shared clock form (or, written before it, the per-field form, which is valid shared
    /// form too); for a `.perField` pull, changes stored in the shared form are read and written again in that form.
    ///
    /// With a `check`, the statement checks the device's token first (``TokenCheck``) and reads and records nothing
    /// unless it passes; a refused pull throws ``TokenRefusal``.
    package func pull(
        userID: UUID, deviceID: UUID, after cursor: SyncCursor?, limit: Int, form: ClockForm, check: TokenCheck? = nil
    ) async throws -> PullPage {
        let rows = try await client.queryByKey(
            Self.pullStatement(userID: userID, deviceID: deviceID, after: cursor, limit: limit, check: check))
        if rows.isEmpty, let check { throw try await check.refusal(on: client) }
        let header = rows[try PageOrder.header(in: rows)]
        if let check, try header.decode(Bool.self, at: PullLayout.staleToken) {
            _ = try await client.queryByKey(
                TokenCheck.touch(userID: userID, deviceID: check.owner.deviceID, tokenID: check.owner.tokenID))
        }
        return try await page(from: rows, of: userID, after: cursor, limit: limit, form: form)
    }

    /// A pull's one statement (``pull(userID:deviceID:after:limit:form:check:)``): the header row, then the changes.
    ///
    /// `ownTransaction` is false when it runs inside another transaction (an exchange's), whose commit must then wait
    /// for the flush as usual.
    static func pullStatement(
        userID: UUID, deviceID: UUID, after cursor: SyncCursor?, limit: Int, check: TokenCheck?,
        ownTransaction: Bool = true
    ) -> PostgresQuery {
        let from = cursor?.version ?? 0
        let fetch = Int64(limit + 1)
        let parts = EntityTable.all.indices.map { Self.changes(in: $0, of: userID, after: from, limit: fetch) }
        let checked: (clauses: PostgresQuery, passed: PostgresQuery, stale: PostgresQuery) =
            if let check { ("\(check.clauses),", "AND \(check.passed)", TokenCheck.staleColumn) } else { ("", "", "false") }
        let flush: PostgresQuery = ownTransaction ? "CROSS JOIN \(PostgresQuery.commitsWithoutFlush)" : ""
        return """
            WITH \(checked.clauses) seen AS (
                UPDATE devices AS d SET last_pulled_version = \(from), last_pulled_at = now(), last_seen_at = now()
                FROM users AS u
                WHERE u.id = \(userID) AND d.user_id = \(userID) AND d.id = \(deviceID) \(checked.passed)
                  AND (\(cursor == nil)
                       OR (\(from) BETWEEN u.pruned_through AND u.version
                           AND \(cursor?.epoch) = \(SyncEpoch.value))))
            -- The header, then the changes in version order, as PostgreSQL merges them from each table's index
            -- and streams them: a UNION ALL with no ORDER BY of its own (PageOrder). Ordered by version, or joined
            -- to the user's row, the page was sorted again as a whole (563-577 kB per 1,000 changes) before its
            -- first row left. The epoch by a scalar subquery, not a join: sync_epoch's one row is never analysed
            -- (autovacuum analyses a table after 50 changes), so joined, it was taken for 1,540 rows, which priced
            -- a pull past jit_above_cost and had every pull compiled (ScalingPlanTests).
            SELECT u.version AS current, u.pruned_through, \(SyncEpoch.value) AS epoch, \(checked.stale) AS stale,
                   NULL::int4 AS t, NULL::uuid AS id, 0::int8 AS version, NULL::text AS pulled_change
            FROM users AS u
            \(flush)
            WHERE u.id = \(userID) \(checked.passed)
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, c.t, c.id, c.version, c.pulled_change
            FROM (SELECT * FROM (\(parts.joined(separator: " UNION ALL "))) AS b
                  WHERE true \(checked.passed) ORDER BY version LIMIT \(fetch)) AS c
            """
    }

    /// The page a pull statement's rows hold (their header present), or ``PullError/resetRequired``.
    func page(from rows: PostgresRows, of userID: UUID, after cursor: SyncCursor?, limit: Int, form: ClockForm)
        async throws -> PullPage
    {
        let order = try PageOrder(rows)
        let header = rows[order.header]
        let current = try header.decode(Int64.self, at: PullLayout.current)
        let prunedThrough = try header.decode(Int64.self, at: PullLayout.prunedThrough)
        let epoch = try header.decode(UUID.self, at: PullLayout.epoch)
        if let cursor, !cursor.continues(epoch: epoch, prunedThrough: prunedThrough, current: current) {
            throw PullError.resetRequired
        }

        // Each change's stored JSON is copied into the page as it is; rows that have none are built afterwards.
        var json: [UInt8] = []
        json.reserveCapacity(min(rows.count, limit) * 640)
        var entries: [PageEntry] = []
        entries.reserveCapacity(min(rows.count, limit))
        var hasMore = false
        var upper: Int64?
        for position in order.changes {
            let row = rows[position]
            let index = try row.decode(Int32.self, at: PullLayout.table)
            guard entries.count < limit else {
                hasMore = true
                break
            }
            let version = try row.decode(Int64.self, at: PullLayout.version)
            upper = version
            let stored: Range<Int>? = try row.withCell(at: PullLayout.change) { cell in
                guard !cell.isNull else { return nil }
                return try cell.withBytes(for: String.self) { bytes in
                    let start = json.count + (json.isEmpty ? 0 : 1)
                    if form == .perField && Change.mayHaveSharedClock(bytes) {
                        // Rewritten from the stored JSON in one pass over its bytes; JSON not laid out as the writer
                        // lays it out (edited around the API) is built from the columns.
                        if !json.isEmpty { json.append(UInt8(ascii: ",")) }
                        guard Change.appendPerField(fromShared: bytes, to: &json) else {
                            if start > 0 { json.removeLast() }
                            return nil
                        }
                    } else {
                        if !json.isEmpty { json.append(UInt8(ascii: ",")) }
                        json.append(contentsOf: bytes)
                    }
                    return start..<json.count
                }
            }
            if let stored {
                entries.append(.stored(stored))
            } else {
                entries.append(
                    .missing(table: Int(index), id: try row.decode(UUID.self, at: PullLayout.id), version: version))
            }
        }
        if entries.contains(where: \.isMissing) {
            (json, entries) = try await withBuiltChanges(json, entries, of: userID, form: form)
        }
        let cursor = SyncCursor(epoch: epoch, version: hasMore ? upper ?? current : current)
        return PullPage(changesJSON: json, count: entries.count, cursor: cursor, hasMore: hasMore)
    }

    /// A change of a pull page: its stored JSON's place in the page, or a row that has none.
    private enum PageEntry {
        case stored(Range<Int>)
        case missing(table: Int, id: UUID, version: Int64)

        var isMissing: Bool {
            if case .missing = self { true } else { false }
        }
    }

    /// The page with the changes of rows without stored JSON (written before migration 0011 or around the sync API)
    /// or with JSON a per-field pull cannot rewrite, built from their columns, in their places, by the writer a push
    /// uses.
    ///
    /// This reads in a later snapshot than the page did, so a record is built only at the version the page saw; one
    /// changed since is left out of this page: its new version is above the page's cursor, so the next pull brings it.
    private func withBuiltChanges(_ json: [UInt8], _ entries: [PageEntry], of userID: UUID, form: ClockForm) async throws
        -> ([UInt8], [PageEntry])
    {
        var built: [Int: [UUID: String]] = [:]
        for (index, table) in EntityTable.all.enumerated() {
            var ids: [UUID] = []
            var versions: [Int64] = []
            for case .missing(index, let id, let version) in entries {
                ids.append(id)
                versions.append(version)
            }
            guard !ids.isEmpty else { continue }
            let rows = try await client.query(
                """
                \(table.select) WHERE user_id = \(userID)
                AND (id, version) IN (SELECT * FROM unnest(\(ids)::uuid[], \(versions)::int8[]))
                """)
            for row in rows {
                let state = try table.state(from: row)
                built[index, default: [:]][state.id] = EntityTable.pulledChange(state, form: form)
            }
        }
        var page: [UInt8] = []
        page.reserveCapacity(json.count + entries.count * 640)
        var kept: [PageEntry] = []
        kept.reserveCapacity(entries.count)
        for entry in entries {
            let start = page.count + (page.isEmpty ? 0 : 1)
            switch entry {
            case .stored(let range):
                if !page.isEmpty { page.append(UInt8(ascii: ",")) }
                page.append(contentsOf: json[range])
            case .missing(let table, let id, _):
                guard let change = built[table]?[id] else { continue }
                if !page.isEmpty { page.append(UInt8(ascii: ",")) }
                page.append(contentsOf: change.utf8)
            }
            kept.append(.stored(start..<page.count))
        }
        return (page, kept)
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
