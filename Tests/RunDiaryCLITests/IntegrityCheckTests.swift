import Foundation
import Postgres
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("rundiary check")
struct IntegrityCheckTests {
    /// A consistent diary: references to live and to deleted records, clocks for every set field.
    static func plantHealthyDiary(_ client: PostgresClient) async throws -> UUID {
        let diary = Diary(client: client)
        let ana = try await diary.user("ana@example.org")
        let gear = try await diary.gear(of: ana, version: 1)
        let run = try await diary.run(of: ana, version: 2, gearID: gear)
        try await diary.painEntry(of: ana, version: 3, runID: run)
        _ = try await diary.planWithItemAndLog(of: ana, version: 4)
        let deletedRun = try await diary.tombstone("runs", of: ana, version: 7, daysAgo: 1)
        try await diary.painEntry(of: ana, version: 8, runID: deletedRun)
        return ana
    }

    @Test("a healthy database passes, as text and JSON, exit 0")
    func healthy() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            _ = try await Self.plantHealthyDiary(client)
            let text = try await Rundiary.run(["check"], databaseURL: url)
            #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
            #expect(text.stdout == "no problems found\n")
            let json = try await Rundiary.run(["check", "--json"], databaseURL: url)
            #expect(json.status == 0)
            #expect((try json.jsonObject()["findings"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("finds each planted corruption")
    func findsCorruptions() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let ana = try await Self.plantHealthyDiary(client)
            let diary = Diary(client: client)
            let bo = try await diary.user("bo@example.org")
            let boRun = try await diary.run(of: bo, version: 1)
            // 1. version behind; 2. duplicate version; 3. a reference to a record that never existed, and one to
            // another user's run; 4. a set field without a clock; 5. a migration changed after it was applied; 6. a
            // record whose account row was deleted around the erasure (no foreign key stops it since migration 0012).
            try await client.execute("UPDATE users SET version = 2 WHERE id = \(ana)")
            let duplicate = try await diary.gear(of: ana, version: 3)
            let ghost = UUID()
            let orphan = try await diary.painEntry(of: ana, version: 9, runID: ghost)
            let stolen = try await diary.painEntry(of: ana, version: 10, runID: boRun)
            let unclocked = try await diary.run(of: ana, version: 11, clocks: ["started_at"])
            // Clocks are JSON text since migration 0014: PostgreSQL takes any text, the check reads it.
            let garbled = try await diary.run(of: ana, version: 12)
            try await client.execute(#"UPDATE runs SET clocks = '{"started_at": "2026-' WHERE id = \#(garbled)"#)
            try await client.execute("UPDATE users SET version = 2 WHERE id = \(ana)")
            try await client.execute("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 2")
            let cy = try await diary.user("cy@example.org")
            let cyRun = try await diary.run(of: cy, version: 1)
            try await client.execute("DELETE FROM users WHERE id = \(cy)")

            let check = IntegrityCheck(client: client, migrations: try TestDatabase.migrations(), logger: TestDatabase.logger)
            let findings = try await check.findings()
            let kinds = findings.map(\.kind)
            #expect(kinds.filter { $0 == .versionBehind }.count == 1)
            #expect(findings.first { $0.kind == .versionBehind }?.userID == ana)
            #expect(findings.first { $0.kind == .duplicateVersion }?.detail.contains(duplicate.uuidString.lowercased()) == true)
            let references = findings.filter { $0.kind == .missingReference }
            #expect(Set(references.compactMap(\.recordID)) == [orphan, stolen])
            #expect(references.contains { $0.detail.contains(ghost.uuidString.lowercased()) })
            let clocks = findings.filter { $0.kind == .missingClock }
            #expect(Set(clocks.map(\.recordID)) == [unclocked, garbled])
            #expect(clocks.first { $0.recordID == unclocked }?.detail == "no clock for elapsed_s")
            #expect(clocks.first { $0.recordID == garbled }?.detail == "the clocks are not a JSON object")
            #expect(findings.contains { $0.kind == .migration && $0.detail.contains("changed") })
            let orphaned = findings.filter { $0.kind == .orphanedRecord }
            #expect(orphaned.map(\.recordID) == [cyRun] && orphaned.first?.userID == cy && orphaned.first?.entity == "run")
            #expect(findings.count == 8)
        }
    }

    @Test("the command exits 1 with the list; --repair raises versions only and says what it left")
    func repair() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let ana = try await Self.plantHealthyDiary(client)
            let diary = Diary(client: client)
            try await diary.run(of: ana, version: 20, clocks: ["elapsed_s"])
            try await client.execute("UPDATE users SET version = 5 WHERE id = \(ana)")

            let found = try await Rundiary.run(["check"], databaseURL: url)
            #expect(found.status == 1)
            #expect(found.stdout.contains("problem   version_behind user \(ana.uuidString.lowercased())"))
            #expect(found.stdout.contains("problem   missing_clock"))
            #expect(found.stdout.contains("2 problem(s); --repair can fix some"))
            #expect(try await diary.count("SELECT version::int8 FROM users WHERE id = \(ana)") == 5)

            let repaired = try await Rundiary.run(["check", "--repair"], databaseURL: url)
            #expect(repaired.status == 1)
            #expect(repaired.stdout.contains("repaired  version_behind"))
            #expect(repaired.stdout.contains("problem   missing_clock"))
            #expect(repaired.stdout.contains("1 problem(s), 1 repaired"))
            #expect(try await diary.count("SELECT version::int8 FROM users WHERE id = \(ana)") == 20)
            #expect(
                try await diary.count(
                    "SELECT count(*) FROM runs WHERE user_id = \(ana) AND deleted_hlc IS NULL AND NOT clocks::jsonb ? 'started_at'") == 1)

            try await client.execute("UPDATE users SET version = 1 WHERE id = \(ana)")
            try await client.execute(
                "UPDATE runs SET clocks = (clocks::jsonb || jsonb_build_object('started_at', \(Diary.hlc)::text))::text WHERE user_id = \(ana)"
            )
            let json = try await Rundiary.run(["check", "--repair", "--json"], databaseURL: url)
            #expect(json.status == 0, "\(json.stdout)")
            let report = try json.jsonObject()
            #expect((report["repaired"] as? [[String: Any]])?.first?["kind"] as? String == "version_behind")
            #expect((report["remaining"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("stored pull JSON follows the columns: cleared by an edit around the sync API, rewritten by --repair")
    func storedPullJSON() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let ana = try await Self.plantHealthyDiary(client)
            let diary = Diary(client: client)
            let storedJSON: PostgresQuery = "SELECT count(*) FROM runs WHERE user_id = \(ana) AND pulled_change LIKE"
            // The diary is planted by SQL, without stored pull JSON: what `rundiary migrate` fills in.
            #expect(try await SyncStore(client: client).fillPulledChanges() == 8)
            #expect(try await diary.count("\(storedJSON) '%\"elapsed_s\":1800%'") == 1)

            // An edit in psql that leaves the JSON as it was: the trigger clears it, the next migrate writes it anew.
            try await client.execute("UPDATE runs SET elapsed_s = 1901 WHERE user_id = \(ana) AND elapsed_s = 1800")
            #expect(try await diary.count("SELECT count(*) FROM runs WHERE user_id = \(ana) AND pulled_change IS NULL") == 1)
            #expect(try await SyncStore(client: client).fillPulledChanges() == 1)
            #expect(try await diary.count("\(storedJSON) '%\"elapsed_s\":1901%'") == 1)
            let clean = try await Rundiary.run(["check"], databaseURL: url)
            #expect(clean.status == 0, "\(clean.stdout)")

            // JSON that no longer says what the columns hold (written wrong by hand): found, and rewritten.
            try await client.execute(
                """
                UPDATE runs SET pulled_change = replace(pulled_change, '"elapsed_s":1901', '"elapsed_s":1800')
                WHERE user_id = \(ana) AND elapsed_s = 1901
                """)
            let found = try await Rundiary.run(["check"], databaseURL: url)
            #expect(found.status == 1)
            #expect(found.stdout.contains("problem   stale_pulled_change user \(ana.uuidString.lowercased())"), "\(found.stdout)")
            #expect(found.stdout.contains("1 problem(s); --repair can fix some"))
            let repaired = try await Rundiary.run(["check", "--repair"], databaseURL: url)
            #expect(repaired.status == 0, "\(repaired.stdout)")
            #expect(repaired.stdout.contains("repaired  stale_pulled_change"))
            #expect(try await diary.count("\(storedJSON) '%\"elapsed_s\":1901%'") == 1)
        }
    }

    @Test("a pending migration is a finding")
    func pendingMigration() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let last = try TestDatabase.migrations().last!
            try await client.execute("DELETE FROM schema_migrations WHERE version = \(last.version)")
            let outcome = try await Rundiary.run(["check"], databaseURL: url)
            #expect(outcome.status == 1)
            #expect(outcome.stdout.contains("migration \(last.version) (\(last.name)) is not applied"))
        }
    }
}
