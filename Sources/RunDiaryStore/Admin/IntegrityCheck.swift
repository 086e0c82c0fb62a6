import Foundation
import Logging
import Postgres
import RunDiaryModels

/// Integrity of the stored diaries and of the schema: what `rundiary check` looks for, and the one repair that is
/// always safe.
///
/// - every record belongs to an account that exists (no foreign key holds it since migration 0012: every write
///   path locks the account's row first, and the erasure removes records before the account);
/// - every user's `version` is at least the highest version of their records (else the next push would reuse one);
/// - no two records of a user share a version (pull order would be ambiguous);
/// - every reference (`run_id`, `gear_id`, `plan_item_id`, `plan_id`) names a record of the same user, live or
///   deleted;
/// - every field set on a live record has a clock in `clocks` (else merges cannot order its writes);
/// - every record's stored pull JSON (`pulled_change`) is what its columns hold (a row edited around the sync API
///   would otherwise be pulled as it was before); `--repair` rewrites it from the columns;
/// - every migration is applied and unchanged.
package struct IntegrityCheck: Sendable {
    /// One thing found wrong.
    package struct Finding: Sendable, Hashable, Codable {
        package enum Kind: String, Sendable, Codable {
            case versionBehind = "version_behind"
            case duplicateVersion = "duplicate_version"
            case missingReference = "missing_reference"
            case missingClock = "missing_clock"
            case stalePulledChange = "stale_pulled_change"
            case orphanedRecord = "orphaned_record"
            case migration
        }

        package let kind: Kind
        package let userID: UUID?
        package let entity: String?
        package let recordID: UUID?
        /// One line for the operator.
        package let detail: String
        /// Whether `--repair` fixes it.
        package let repairable: Bool
    }

    /// The outcome of a check, and of a repair when one was asked for.
    package struct Report: Sendable, Hashable, Codable {
        /// What was wrong before any repair.
        package let findings: [Finding]
        /// What the repair fixed.
        package let repaired: [Finding]
        /// What is still wrong.
        package let remaining: [Finding]
    }

    let client: PostgresClient
    let migrations: [Migration]
    let logger: Logger

    package init(client: PostgresClient, migrations: [Migration], logger: Logger) {
        self.client = client
        self.migrations = migrations
        self.logger = logger
    }

    /// Checks everything; with `repair`, raises users' versions to their records' highest and checks again.
    package func run(repair: Bool) async throws -> Report {
        let findings = try await findings()
        guard repair, findings.contains(where: \.repairable) else {
            return Report(findings: findings, repaired: [], remaining: findings)
        }
        let raised = try await raiseUserVersions()
        logger.notice("users' versions raised", metadata: ["users": "\(raised)"])
        let rewritten = try await rewriteStalePulledChanges(
            findings.filter { $0.kind == .stalePulledChange && $0.repairable })
        logger.notice("stored pull JSON rewritten", metadata: ["records": "\(rewritten)"])
        let remaining = try await self.findings()
        return Report(findings: findings, repaired: findings.filter { !remaining.contains($0) }, remaining: remaining)
    }

    /// Everything wrong, in a stable order.
    package func findings() async throws -> [Finding] {
        var findings = try await orphanedRecords()
        findings += try await versionsBehind()
        findings += try await duplicateVersions()
        for table in EntityTable.all {
            findings += try await missingReferences(in: table)
            findings += try await missingClocks(in: table)
            findings += try await stalePulledChanges(in: table)
        }
        findings += try await migrationFindings()
        return findings
    }

    /// Every record's version with its user and entity, over all record tables.
    private var allVersions: PostgresQuery {
        EntityTable.all.map { "SELECT user_id, version, \($0.entity) AS entity, id FROM \($0.table)" as PostgresQuery }
            .joined(separator: " UNION ALL ")
    }

    private func orphanedRecords() async throws -> [Finding] {
        let rows = try await client.query(
            """
            SELECT v.user_id, v.entity, v.id FROM (\(allVersions)) v
            WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = v.user_id) ORDER BY v.user_id, v.entity, v.id
            """)
        return try rows.map { row in
            let (userID, entity, recordID) = try row.decode((UUID, String, UUID).self)
            return Finding(
                kind: .orphanedRecord, userID: userID, entity: entity, recordID: recordID,
                detail: "no account has this record's user id (an account row deleted around `rundiary user delete --erase`?)",
                repairable: false)
        }
    }

    private func versionsBehind() async throws -> [Finding] {
        let rows = try await client.query(
            """
            SELECT u.id, u.version, m.max_version FROM users u
            JOIN (SELECT user_id, max(version) AS max_version FROM (\(allVersions)) v GROUP BY user_id) m
              ON m.user_id = u.id
            WHERE u.version < m.max_version ORDER BY u.id
            """)
        return try rows.map { row in
            let (userID, version, highest) = try row.decode((UUID, Int64, Int64).self)
            return Finding(
                kind: .versionBehind, userID: userID, entity: nil, recordID: nil,
                detail: "user version \(version) is below the highest record version \(highest)", repairable: true)
        }
    }

    private func duplicateVersions() async throws -> [Finding] {
        let rows = try await client.query(
            """
            SELECT user_id, version, array_agg(entity || ' ' || id::text ORDER BY entity, id)
            FROM (\(allVersions)) v GROUP BY user_id, version HAVING count(*) > 1 ORDER BY user_id, version
            """)
        return try rows.map { row in
            let (userID, version, records) = try row.decode((UUID, Int64, [String]).self)
            return Finding(
                kind: .duplicateVersion, userID: userID, entity: nil, recordID: nil,
                detail: "\(records.count) records share version \(version): \(records.joined(separator: ", "))",
                repairable: false)
        }
    }

    private func missingReferences(in table: EntityTable) async throws -> [Finding] {
        var findings: [Finding] = []
        for field in table.schema.fields {
            guard case .reference(let target) = field.type else { continue }
            let targetTable = EntityTable.identifier(EntityTable.name(of: target))
            let column = EntityTable.identifier(field.name)
            let rows = try await client.query(
                """
                SELECT r.user_id, r.id, r.\(column) FROM \(table.table) r
                WHERE r.\(column) IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM \(targetTable) t WHERE t.user_id = r.user_id AND t.id = r.\(column))
                ORDER BY r.user_id, r.id
                """)
            for row in rows {
                let (userID, recordID, missing) = try row.decode((UUID, UUID, UUID).self)
                findings.append(
                    Finding(
                        .missingReference, table, userID: userID, recordID: recordID,
                        "\(field.name) names \(target.rawValue) \(missing.uuidString.lowercased()), which does not exist"))
            }
        }
        return findings
    }

    /// Live records with a field set but no clock for it, or with clocks that are not a JSON object of clocks (the
    /// column is text since migration 0014: PostgreSQL no longer checks that it is JSON).
    private func missingClocks(in table: EntityTable) async throws -> [Finding] {
        // The names of the fields set on the row; each name travels as a parameter.
        let set = table.schema.fields.map { field -> PostgresQuery in
            "CASE WHEN \(EntityTable.identifier(field.name)) IS NOT NULL THEN \(field.name) END"
        }
        var findings: [Finding] = []
        try await scan(
            table, columns: "clocks, array_remove(ARRAY[\(set.joined(separator: ", "))]::text[], NULL)",
            where: "deleted_hlc IS NULL"
        ) { row, userID, recordID in
            let (clocksText, fields) = try row.decode((String, [String]).self)
            let detail: String
            if case .object(let clocks)? = try? JSONValue(parsing: Array(clocksText.utf8)) {
                let missing = fields.filter { clocks[$0]?.stringValue.flatMap(HLC.init) == nil }
                guard !missing.isEmpty else { return }
                detail = "no clock for \(missing.joined(separator: ", "))"
            } else {
                detail = "the clocks are not a JSON object"
            }
            findings.append(Finding(.missingClock, table, userID: userID, recordID: recordID, detail))
        }
        return findings
    }

    /// Records whose stored pull JSON is not what a push would store for their columns, in either clock form (this
    /// decodes every record, as a pull of every diary would).
    private func stalePulledChanges(in table: EntityTable) async throws -> [Finding] {
        var findings: [Finding] = []
        try await scan(table, columns: "\(table.selectColumns), pulled_change", where: "pulled_change IS NOT NULL") {
            row, userID, id in
            let state: RecordState
            do {
                state = try table.state(from: row)
            } catch {
                findings.append(
                    Finding(
                        .stalePulledChange, table, userID: userID, recordID: id,
                        "the record's columns cannot be read back as a record"))
                return
            }
            // Releases before the shared clock form stored every field's clock: such JSON is as current.
            let stored = try row.decode(String.self, at: row.count - 3)
            guard !ClockForm.allCases.contains(where: { stored == EntityTable.pulledChange(state, form: $0) }) else { return }
            findings.append(
                Finding(
                    .stalePulledChange, table, userID: userID, recordID: id,
                    "the stored pull JSON differs from the record's columns (edited around the sync API?)", repairable: true))
        }
        return findings
    }

    /// Reads `columns` of `table`'s rows matching `condition` in key order, a thousand rows per statement, and hands
    /// each row (`columns`, then the user and record id) to `body` with its key.
    private func scan(
        _ table: EntityTable, columns: PostgresQuery, where condition: PostgresQuery,
        _ body: (PostgresRow, UUID, UUID) throws -> Void
    ) async throws {
        var after: (user: UUID, id: UUID)?
        while true {
            let position: PostgresQuery = after.map { "AND (user_id, id) > (\($0.user), \($0.id))" } ?? ""
            let rows = try await client.query(
                """
                SELECT \(columns), user_id, id FROM \(table.table)
                WHERE \(condition) \(position) ORDER BY user_id, id LIMIT 1000
                """)
            for row in rows {
                let key = (user: try row.decode(UUID.self, at: row.count - 2), id: try row.decode(UUID.self, at: row.count - 1))
                after = key
                try body(row, key.user, key.id)
            }
            if rows.count < 1000 { return }
        }
    }

    /// Clears the stored pull JSON of the records found stale, and writes it again from their columns.
    private func rewriteStalePulledChanges(_ stale: [Finding]) async throws -> Int {
        guard !stale.isEmpty else { return 0 }
        for table in EntityTable.all {
            let mine = stale.filter { $0.entity == table.entity.rawValue }
            guard !mine.isEmpty else { continue }
            try await client.execute(
                """
                UPDATE \(table.table) AS t SET pulled_change = NULL
                FROM unnest(\(mine.compactMap(\.userID))::uuid[], \(mine.compactMap(\.recordID))::uuid[]) AS s(user_id, id)
                WHERE t.user_id = s.user_id AND t.id = s.id
                """)
        }
        return try await SyncStore(client: client).fillPulledChanges()
    }

    private func migrationFindings() async throws -> [Finding] {
        let status = try await Migrator(client: client, migrations: migrations, logger: logger).status()
        var findings: [Finding] = []
        for applied in status.applied where !applied.checksumMatches || applied.isUnknown {
            let detail =
                applied.isUnknown
                ? "migration \(applied.version) (\(applied.name)) is applied but unknown to this build"
                : "migration \(applied.version) (\(applied.name)) was changed after it was applied"
            findings.append(
                Finding(kind: .migration, userID: nil, entity: nil, recordID: nil, detail: detail, repairable: false))
        }
        for pending in status.pending {
            findings.append(
                Finding(
                    kind: .migration, userID: nil, entity: nil, recordID: nil,
                    detail: "migration \(pending.version) (\(pending.name)) is not applied; run `rundiary migrate`",
                    repairable: false))
        }
        return findings
    }

    /// Raises each user's version to their highest record version, under the user's row lock as a push takes it.
    private func raiseUserVersions() async throws -> Int {
        try await client.execute(
            """
            UPDATE users u SET version = m.max_version, updated_at = now()
            FROM (SELECT user_id, max(version) AS max_version FROM (\(allVersions)) v GROUP BY user_id) m
            WHERE m.user_id = u.id AND u.version < m.max_version
            """)
    }
}

extension IntegrityCheck.Finding {
    /// A finding about one record of `table`.
    fileprivate init(
        _ kind: Kind, _ table: EntityTable, userID: UUID, recordID: UUID, _ detail: String, repairable: Bool = false
    ) {
        self.init(
            kind: kind, userID: userID, entity: table.entity.rawValue, recordID: recordID, detail: detail,
            repairable: repairable)
    }
}
