import Foundation
import Postgres
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("rundiary stats")
struct StatsTests {
    @Test("counts users, active devices, records per entity, size and the oldest cursor")
    func stats() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let diary = Diary(client: client)
            let ana = try await diary.user("ana@example.org", version: 12)
            let bo = try await diary.user("bo@example.org")
            try await client.execute("UPDATE users SET disabled_at = now() WHERE id = \(bo)")
            try await diary.device(of: ana, pulled: 12, seenDaysAgo: 1)
            try await diary.device(of: ana, pulled: 12, seenDaysAgo: 20)
            try await diary.device(of: ana, pulled: 12, seenDaysAgo: 100)
            try await diary.device(of: bo, pulled: 0, seenDaysAgo: 2, revoked: true)
            let slow = try await diary.device(of: ana, pulled: 4, seenDaysAgo: 3)
            try await client.execute(
                "UPDATE devices SET last_pulled_at = now() - interval '1 day' * (100 - coalesce(last_pulled_version, 0))")
            try await client.execute("UPDATE devices SET last_pulled_at = now() - interval '500 days' WHERE id = \(slow)")
            try await diary.run(of: ana, version: 1)
            try await diary.run(of: ana, version: 2)
            try await diary.tombstone("runs", of: ana, version: 3, daysAgo: 1)
            try await diary.tombstone("gear", of: ana, version: 12, daysAgo: 1)

            let outcome = try await Rundiary.run(["stats", "--json"], databaseURL: url)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let stats = try outcome.jsonObject()
            #expect(stats["users"] as? Int == 2)
            #expect(stats["disabled_users"] as? Int == 1)
            #expect(stats["devices"] as? Int == 4)
            #expect(stats["devices_active7_days"] as? Int == 2)
            #expect(stats["devices_active30_days"] as? Int == 3)
            #expect((stats["database_bytes"] as? Int ?? 0) > 1_000_000)
            let records = try #require(stats["records"] as? [[String: Any]])
            #expect(records.count == 6)
            let runs = try #require(records.first { $0["entity"] as? String == "run" })
            #expect(runs["live"] as? Int == 2)
            #expect(runs["tombstones"] as? Int == 1)
            #expect(records.first { $0["entity"] as? String == "gear" }?["tombstones"] as? Int == 1)
            let oldest = try #require(stats["oldest_cursor"] as? [String: Any])
            #expect(oldest["device_id"] as? String == slow.uuidString)
            #expect(oldest["last_pulled_version"] as? Int == 4)
            #expect(oldest["versions_behind"] as? Int == 8)

            let text = try await Rundiary.run(["stats"], databaseURL: url)
            #expect(text.status == 0)
            #expect(text.stdout.contains("users           2 (1 disabled)"))
            #expect(text.stdout.contains("8 behind"))
        }
    }
}
