import Foundation
import Postgres
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("rundiary user delete --erase")
struct ErasureTests {
    /// A user with something in every table: records and tombstones of every kind, devices, tokens, share links,
    /// share accesses, conflicts and rejections, a request allowance.
    static func plantFullDiary(_ email: String, client: PostgresClient) async throws -> UUID {
        let diary = Diary(client: client)
        let accounts = AccountStore(client: client)
        let user = try await accounts.createUser(email: email, passwordHash: "$2b$10$x", displayName: "Runner")
        let phone = UUID()
        let (phoneToken, _) = try await accounts.issueToken(userID: user.id, deviceID: phone, deviceName: "phone", platform: "ios")
        // A metered request: the user's shared request allowance (request_allowances).
        _ = try await accounts.owner(ofToken: phoneToken.text, metering: RequestRate(perSecond: 50, burst: 200))
        _ = try await accounts.issueToken(userID: user.id, deviceID: UUID(), deviceName: "tablet", platform: "ios")
        let gear = try await diary.gear(of: user.id, version: 1)
        let run = try await diary.run(of: user.id, version: 2, gearID: gear)
        try await diary.painEntry(of: user.id, version: 3, runID: run)
        _ = try await diary.planWithItemAndLog(of: user.id, version: 4)
        let tables: [PostgresIdentifier] = ["runs", "pain_entries", "plans", "plan_items", "exercise_logs", "gear"]
        for (version, table) in zip(Int64(7)..., tables) {
            try await diary.tombstone(table, of: user.id, version: version, daysAgo: 1)
        }
        try await diary.journal(of: user.id, deviceID: phone, daysAgo: 1)
        // The older part of the phone's acknowledgement window (one entry: mutation 1 and its digest).
        try await client.execute(
            "INSERT INTO device_acknowledgements (user_id, device_id, entries) VALUES (\(user.id), \(phone), \(Data(count: 16)))")
        let shares = ShareStore(client: client)
        let (_, token) = try await diary.share(of: user.id, label: "PT")
        _ = try await shares.open(token: token.text, format: "fhir", clientAddress: "10.0.0.1", userAgent: "test")
        return user.id
    }

    /// Every base table of the public schema with a user_id column, from the catalog.
    static func userTables(_ client: PostgresClient) async throws -> [String] {
        try await client.query(
            """
            SELECT c.table_name::text FROM information_schema.columns c
            JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE c.table_schema = 'public' AND c.column_name = 'user_id' AND t.table_type = 'BASE TABLE'
            ORDER BY 1
            """
        ).map { try $0.decode(String.self, at: 0) }
    }

    /// Rows per user-keyed table for one user.
    static func rowsPerTable(of userID: UUID, _ client: PostgresClient) async throws -> [String: Int] {
        var rows: [String: Int] = [:]
        for table in try await userTables(client) {
            let name = try PostgresIdentifier(validating: table)
            rows[table] = try await client.query("SELECT count(*) FROM \(name) WHERE user_id = \(userID)")
                .single().decode(Int.self, at: 0)
        }
        return rows
    }

    /// Rows, in every table of the public schema, whose text form contains `needle`.
    static func rowsMentioning(_ needle: String, _ client: PostgresClient) async throws -> [String: Int] {
        let tables = try await client.query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        ).map { try $0.decode(String.self, at: 0) }
        var found: [String: Int] = [:]
        for table in tables {
            let name = try PostgresIdentifier(validating: table)
            let pattern = "%" + needle.lowercased() + "%"
            let count = try await client.query("SELECT count(*) FROM \(name) t WHERE lower(t::text) LIKE \(pattern)")
                .single().decode(Int.self, at: 0)
            if count > 0 { found[table] = count }
        }
        return found
    }

    @Test("erasure leaves no row of the user in any table and touches no other user")
    func eraseEverything() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let ana = try await Self.plantFullDiary("ana@example.org", client: client)
            let bo = try await Self.plantFullDiary("bo@example.org", client: client)
            let anaBefore = try await Self.rowsPerTable(of: ana, client)
            let boBefore = try await Self.rowsPerTable(of: bo, client)
            // The plant reaches every table that holds user ids, so the erasure is tested on all of them.
            #expect(anaBefore.filter { $0.value == 0 }.isEmpty, "tables not planted: \(anaBefore.filter { $0.value == 0 })")
            #expect(try await Self.rowsMentioning(ana.uuidString, client).isEmpty == false)

            let erased = try await Rundiary.run(
                ["user", "delete", "ana@example.org", "--erase", "--yes", "--json"], databaseURL: url)
            #expect(erased.status == 0, "\(erased.stderr)")
            let report = try erased.jsonObject()
            let tables = try #require(report["tables"] as? [[String: Any]])
            let removed = Dictionary(uniqueKeysWithValues: tables.map { ($0["table"] as! String, $0["rows"] as! Int) })
            for (table, rows) in anaBefore { #expect(removed[table] == rows, "\(table)") }
            #expect(removed["users"] == 1)
            let order = tables.map { $0["table"] as! String }
            #expect(order.last == "users")
            #expect(order.firstIndex(of: "tokens")! < order.firstIndex(of: "devices")!)
            #expect(order.firstIndex(of: "share_accesses")! < order.firstIndex(of: "shares")!)

            #expect(try await Self.rowsPerTable(of: ana, client).values.allSatisfy { $0 == 0 })
            #expect(try await Self.rowsMentioning(ana.uuidString, client) == [:])
            #expect(try await Self.rowsMentioning("ana@example.org", client) == [:])
            #expect(try await Self.rowsPerTable(of: bo, client) == boBefore)
            #expect(try await Diary(client: client).count("SELECT count(*) FROM users WHERE id = \(bo)") == 1)
        }
    }

    @Test("--dry-run and an unconfirmed erasure remove nothing; typing the email erases")
    func confirmation() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let ana = try await Self.plantFullDiary("ana@example.org", client: client)
            let before = try await Self.rowsPerTable(of: ana, client)

            let dryRun = try await Rundiary.run(["user", "delete", "ana@example.org", "--erase", "--dry-run"], databaseURL: url)
            #expect(dryRun.status == 0, "\(dryRun.stderr)")
            #expect(dryRun.stdout.hasPrefix("would remove user ana@example.org"))
            #expect(dryRun.stdout.contains("tokens"))
            #expect(try await Self.rowsPerTable(of: ana, client) == before)

            let refused = try await Rundiary.run(
                ["user", "delete", "ana@example.org", "--erase"], databaseURL: url, stdin: "bo@example.org\n")
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("Type the email"))
            #expect(refused.stderr.hasSuffix("rundiary: not confirmed; nothing was removed\n"))
            #expect(try await Self.rowsPerTable(of: ana, client) == before)

            let noAnswer = try await Rundiary.run(["user", "delete", "ana@example.org", "--erase"], databaseURL: url)
            #expect(noAnswer.status == 1)
            #expect(try await Self.rowsPerTable(of: ana, client) == before)

            let confirmed = try await Rundiary.run(
                ["user", "delete", "ana@example.org", "--erase"], databaseURL: url, stdin: "Ana@Example.org\n")
            #expect(confirmed.status == 0, "\(confirmed.stderr)")
            #expect(confirmed.stdout.hasPrefix("removed user ana@example.org"))
            #expect(confirmed.stdout.contains("total"))
            #expect(try await Self.rowsMentioning(ana.uuidString, client) == [:])

            let again = try await Rundiary.run(["user", "delete", "ana@example.org", "--erase", "--yes"], databaseURL: url)
            #expect(again.status == 1)
            #expect(again.stderr == "rundiary: no user with email ana@example.org\n")
        }
    }

    @Test("erasure finds tables it does not know, from the catalog, and deletes children first")
    func unknownTables() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            // A later migration's tables: a parent keyed by user, a child referencing it, and one naming the user
            // through a differently named foreign key.
            try await client.execute(
                "CREATE TABLE zz_notes (user_id uuid NOT NULL REFERENCES users (id), id uuid NOT NULL, PRIMARY KEY (user_id, id))")
            try await client.execute(
                """
                CREATE TABLE aa_note_tags (user_id uuid NOT NULL, note_id uuid NOT NULL,
                    FOREIGN KEY (user_id, note_id) REFERENCES zz_notes (user_id, id))
                """)
            try await client.execute("CREATE TABLE audit (owner uuid REFERENCES users (id), what text)")
            let ana = try await Self.plantFullDiary("ana@example.org", client: client)
            let bo = try await Self.plantFullDiary("bo@example.org", client: client)
            for user in [ana, bo] {
                let note = UUID()
                try await client.execute("INSERT INTO zz_notes VALUES (\(user), \(note))")
                try await client.execute("INSERT INTO aa_note_tags VALUES (\(user), \(note))")
                try await client.execute("INSERT INTO audit VALUES (\(user), 'x')")
            }

            let report = try await Erasure(client: client, logger: TestDatabase.logger).erase(
                email: "ana@example.org", dryRun: false)
            let order = report.tables.map(\.table)
            #expect(order.firstIndex(of: "aa_note_tags")! < order.firstIndex(of: "zz_notes")!)
            #expect(report.tables.first { $0.table == "audit" }?.rows == 1)
            #expect(try await Self.rowsMentioning(ana.uuidString, client) == [:])
            #expect(try await Diary(client: client).count("SELECT count(*) FROM audit WHERE owner = \(bo)") == 1)
            #expect(try await Diary(client: client).count("SELECT count(*) FROM aa_note_tags WHERE user_id = \(bo)") == 1)
        }
    }
}
