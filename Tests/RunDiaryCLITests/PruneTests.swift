import Foundation
import Postgres
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("rundiary prune")
struct PruneTests {
    static let policy = Pruner.Policy(tombstoneRetention: 90 * Pruner.Policy.day)

    /// The versions of the user's tombstones still stored, over all record tables.
    static func tombstoneVersions(of userID: UUID, _ client: PostgresClient) async throws -> Set<Int64> {
        let rows = try await client.query(
            """
            SELECT version FROM (
                SELECT user_id, version, deleted_hlc FROM runs UNION ALL SELECT user_id, version, deleted_hlc FROM pain_entries
                UNION ALL SELECT user_id, version, deleted_hlc FROM plans UNION ALL SELECT user_id, version, deleted_hlc FROM plan_items
                UNION ALL SELECT user_id, version, deleted_hlc FROM exercise_logs UNION ALL SELECT user_id, version, deleted_hlc FROM gear
            ) r WHERE user_id = \(userID) AND deleted_hlc IS NOT NULL
            """)
        return Set(try rows.map { try $0.decode(Int64.self, at: 0) })
    }

    static func prunedThrough(_ userID: UUID, _ client: PostgresClient) async throws -> Int64 {
        try await client.query("SELECT pruned_through FROM users WHERE id = \(userID)").single().decode(Int64.self, at: 0)
    }

    @Test("only old tombstones at or below every active device's cursor go; pruned_through rises to the highest")
    func respectsActiveCursors() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let diary = Diary(client: client)
            let ana = try await diary.user("ana@example.org")
            try await diary.device(of: ana, pulled: 5, seenDaysAgo: 1)  // active, the slowest
            try await diary.device(of: ana, pulled: 9, seenDaysAgo: 10)  // active
            try await diary.device(of: ana, pulled: 0, seenDaysAgo: 1, revoked: true)  // revoked: ignored
            try await diary.device(of: ana, pulled: 1, seenDaysAgo: 120)  // not seen within the retention: ignored
            try await diary.tombstone("runs", of: ana, version: 2, daysAgo: 200)
            try await diary.tombstone("gear", of: ana, version: 4, daysAgo: 100)
            try await diary.tombstone("plans", of: ana, version: 5, daysAgo: 91)
            try await diary.tombstone("pain_entries", of: ana, version: 6, daysAgo: 200)  // not pulled by the slowest
            try await diary.tombstone("plan_items", of: ana, version: 3, daysAgo: 10)  // too young
            try await diary.run(of: ana, version: 7)

            let pruner = Pruner(client: client, logger: TestDatabase.logger)
            let dryRun = try await pruner.prune(Self.policy, dryRun: true)
            #expect(dryRun.tables.reduce(0) { $0 + $1.rows } == 3)
            #expect(try await Self.tombstoneVersions(of: ana, client) == [2, 3, 4, 5, 6])
            #expect(try await Self.prunedThrough(ana, client) == 0)

            let report = try await pruner.prune(Self.policy, dryRun: false)
            #expect(report.tables.first { $0.table == "runs" }?.rows == 1)
            #expect(report.tables.first { $0.table == "gear" }?.rows == 1)
            #expect(report.tables.first { $0.table == "plans" }?.rows == 1)
            #expect(report.users.map { [$0.userID.uuidString: $0.prunedThrough] } == [[ana.uuidString: 5]])
            #expect(try await Self.tombstoneVersions(of: ana, client) == [3, 6])
            #expect(try await Self.prunedThrough(ana, client) == 5)
            #expect(try await diary.count("SELECT count(*) FROM runs WHERE user_id = \(ana) AND deleted_hlc IS NULL") == 1)
        }
    }

    @Test("an active device that never pulled holds every tombstone; with no active device, old ones all go")
    func neverPulledAndNoDevices() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let diary = Diary(client: client)
            let waiting = try await diary.user("waiting@example.org")
            try await diary.device(of: waiting, pulled: 10, seenDaysAgo: 0)
            try await diary.device(of: waiting, pulled: nil, seenDaysAgo: nil, createdDaysAgo: 2)  // new, never seen
            try await diary.tombstone("runs", of: waiting, version: 1, daysAgo: 100)
            let gone = try await diary.user("gone@example.org")
            try await diary.device(of: gone, pulled: 0, seenDaysAgo: 300)
            try await diary.tombstone("runs", of: gone, version: 1, daysAgo: 100)
            try await diary.tombstone("gear", of: gone, version: 8, daysAgo: 100)

            let report = try await Pruner(client: client, logger: TestDatabase.logger).prune(Self.policy, dryRun: false)
            #expect(try await Self.tombstoneVersions(of: waiting, client) == [1])
            #expect(try await Self.prunedThrough(waiting, client) == 0)
            #expect(try await Self.tombstoneVersions(of: gone, client) == [])
            #expect(try await Self.prunedThrough(gone, client) == 8)
            #expect(report.users.map { [$0.userID.uuidString: $0.prunedThrough] } == [[gone.uuidString: 8]])
        }
    }

    @Test("pruned_through is never lowered, and a tombstone a live record references is kept")
    func neverLowersAndKeepsReferenced() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let diary = Diary(client: client)
            let ana = try await diary.user("ana@example.org")
            let deletedRun = try await diary.tombstone("runs", of: ana, version: 1, daysAgo: 100)
            try await diary.tombstone("runs", of: ana, version: 2, daysAgo: 100)
            try await diary.painEntry(of: ana, version: 3, runID: deletedRun)
            try await client.execute("UPDATE users SET pruned_through = 50, version = 60 WHERE id = \(ana)")

            _ = try await Pruner(client: client, logger: TestDatabase.logger).prune(Self.policy, dryRun: false)
            #expect(try await Self.tombstoneVersions(of: ana, client) == [1])
            #expect(try await Self.prunedThrough(ana, client) == 50)
            let check = try await IntegrityCheck(client: client, migrations: try TestDatabase.migrations(), logger: TestDatabase.logger)
                .findings()
            #expect(check.isEmpty, "\(check)")
        }
    }

    @Test("random diaries: no tombstone an active device has not pulled is ever removed, every prunable one is")
    func randomizedHorizon() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            var random = SeededRandom(seed: 0x5EED_CAFE)
            let diary = Diary(client: client)
            let tables: [PostgresIdentifier] = ["runs", "pain_entries", "plans", "plan_items", "exercise_logs", "gear"]
            struct Planted { let user: UUID; let version: Int64; let ageDays: Double }
            var planted: [Planted] = []
            var horizons: [UUID: Int64] = [:]
            for index in 0..<8 {
                let user = try await diary.user("u\(index)@example.org")
                var horizon = Int64.max
                for _ in 0..<random.next(upTo: 4) {
                    let pulled: Int64? = random.next(upTo: 5) == 0 ? nil : Int64(random.next(upTo: 40))
                    let seen = Double(random.next(upTo: 150))
                    let revoked = random.next(upTo: 4) == 0
                    try await diary.device(of: user, pulled: pulled, seenDaysAgo: seen, revoked: revoked)
                    if !revoked && seen < 90 { horizon = min(horizon, pulled ?? 0) }
                }
                horizons[user] = horizon
                for version in 1...Int64(30) where random.next(upTo: 2) == 0 {
                    // 90 days exactly is left out: whether it is past the cutoff depends on milliseconds.
                    let days = random.next(upTo: 180)
                    let age = Double(days == 90 ? 91 : days)
                    try await diary.tombstone(tables[random.next(upTo: tables.count)], of: user, version: version, daysAgo: age)
                    planted.append(Planted(user: user, version: version, ageDays: age))
                }
            }

            let report = try await Pruner(client: client, logger: TestDatabase.logger).prune(Self.policy, dryRun: false)
            var removedCount = 0
            for (user, horizon) in horizons {
                let remaining = try await Self.tombstoneVersions(of: user, client)
                let mine = planted.filter { $0.user == user }
                let prunable = Set(mine.filter { $0.ageDays > 90.5 && $0.version <= horizon }.map(\.version))
                let keep = Set(mine.filter { $0.ageDays < 89.5 || $0.version > horizon }.map(\.version))
                #expect(remaining.isDisjoint(with: prunable), "user \(user): prunable tombstones left")
                #expect(keep.isSubset(of: remaining), "user \(user): removed a tombstone an active device needs")
                removedCount += mine.count - remaining.count
                let expectedThrough = prunable.max() ?? 0
                #expect(try await Self.prunedThrough(user, client) == expectedThrough)
            }
            #expect(removedCount == report.tables.prefix(6).reduce(0) { $0 + $1.rows })
            #expect(removedCount > 0)
        }
    }

    @Test("journal rows, access logs and long-expired share links go after their retentions")
    func journalAndShares() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let diary = Diary(client: client)
            let shares = ShareStore(client: client)
            let ana = try await diary.user("ana@example.org")
            let device = try await diary.device(of: ana, pulled: 0)
            try await diary.journal(of: ana, deviceID: device, daysAgo: 400)
            try await diary.journal(of: ana, deviceID: device, daysAgo: 10)
            // Expired 40 days ago, never opened: goes. Expired 40 days ago, opened 300 days ago: kept while its
            // access log is. Expired 10 days ago: kept. Opened 400 days ago: its access row goes.
            var ids: [String: UUID] = [:]
            for name in ["unused", "audited", "recent", "old-access"] {
                let (share, token) = try await diary.share(of: ana, label: name)
                ids[name] = share
                if name == "audited" || name == "old-access" {
                    _ = try await shares.open(token: token.text, format: "html", clientAddress: nil, userAgent: nil)
                }
            }
            try await client.execute(
                "UPDATE shares SET expires_at = now() - interval '40 days' WHERE id = ANY(\([ids["unused"]!, ids["audited"]!, ids["old-access"]!]))"
            )
            try await client.execute("UPDATE shares SET expires_at = now() - interval '10 days' WHERE id = \(ids["recent"]!)")
            try await client.execute(
                "UPDATE share_accesses SET accessed_at = now() - interval '300 days' WHERE share_id = \(ids["audited"]!)")
            try await client.execute(
                "UPDATE share_accesses SET accessed_at = now() - interval '400 days' WHERE share_id = \(ids["old-access"]!)")

            let report = try await Pruner(client: client, logger: TestDatabase.logger).prune(Pruner.Policy(), dryRun: false)
            let rows = Dictionary(uniqueKeysWithValues: report.tables.map { ($0.table, $0.rows) })
            #expect(rows["sync_conflicts"] == 1)
            #expect(rows["sync_rejections"] == 1)
            #expect(rows["share_accesses"] == 1)
            #expect(rows["shares"] == 2)
            #expect(try await diary.count("SELECT count(*) FROM sync_conflicts") == 1)
            #expect(try await diary.count("SELECT count(*) FROM sync_rejections") == 1)
            let left = try await client.query("SELECT label FROM shares WHERE user_id = \(ana)").map {
                try $0.decode(String.self, at: 0)
            }
            #expect(Set(left) == ["audited", "recent"])
        }
    }

    @Test("the command: --dry-run changes nothing, --retention and the environment are honoured, counts per table")
    func command() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let diary = Diary(client: client)
            let ana = try await diary.user("ana@example.org")
            try await diary.device(of: ana, pulled: 10, seenDaysAgo: 0)
            try await diary.tombstone("runs", of: ana, version: 1, daysAgo: 40)
            try await diary.tombstone("gear", of: ana, version: 2, daysAgo: 100)

            let dryRun = try await Rundiary.run(["prune", "--dry-run", "--json"], databaseURL: url)
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
            let dryReport = try dryRun.jsonObject()
            #expect(dryReport["dry_run"] as? Bool == true)
            let dryTables = try #require(dryReport["tables"] as? [[String: Any]])
            #expect(dryTables.first { $0["table"] as? String == "gear" }?["rows"] as? Int == 1)
            #expect(try await Self.tombstoneVersions(of: ana, client) == [1, 2])

            let text = try await Rundiary.run(["prune"], databaseURL: url, environment: ["RUNDIARY_TOMBSTONE_RETENTION": "60d"])
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.hasPrefix("removed:"))
            #expect(text.stdout.contains("gear"))
            #expect(try await Self.tombstoneVersions(of: ana, client) == [1])

            let shorter = try await Rundiary.run(["prune", "--retention", "720h"], databaseURL: url)
            #expect(shorter.status == 0, "\(shorter.stderr)")
            #expect(try await Self.tombstoneVersions(of: ana, client) == [])
            #expect(try await Self.prunedThrough(ana, client) == 2)
        }
    }
}

/// A small deterministic generator (SplitMix64), so that a failing random case can be replayed.
struct SeededRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(upTo bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
