import Foundation
import Postgres
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@testable import RunDiaryStore

/// A pull copies each record's stored JSON (`pulled_change`, written by the push with the record's columns) into its
/// page. These tests hold that JSON to the columns it stands for, for every field type of every entity, and show that
/// rows without it (written before migration 0011 or around the sync API) pull the same bytes, built from their
/// columns, until `rundiary migrate` fills them in.
@Suite("Stored pull JSON")
struct PulledChangeTests {
    static let ids = (
        gear: UUID(uuidString: "9c2e4b1a-7d3f-4a5b-8c6d-0e1f2a3b4c5d")!,
        plan: UUID(uuidString: "8a9b0c1d-2e3f-4a5b-9c6d-7e8f90a1b2c3")!,
        planItem: UUID(uuidString: "c4d5e6f7-0819-4a2b-9c3d-4e5f60718293")!,
        run: UUID(uuidString: "3B0F6A8E-2C4D-4E7A-9F10-5A6B7C8D9E01")!,
        painEntry: UUID(uuidString: "5d7e8f90-1a2b-4c3d-8e4f-6a7b8c9d0e1f")!,
        exerciseLog: UUID(uuidString: "e1f2a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7")!
    )

    /// Text that JSON must escape, and that only a byte-exact copy keeps: quotes, a backslash, a newline, U+2028, an
    /// emoji and a combining accent.
    static let tricky = "Hip \"clicks\" \\ after 5 km\nnext line\u{2028}🏃 cafe\u{301}"

    /// One record of each entity with every field set, references between them, in an order the references allow.
    static func creates(device: UUID) -> [Mutation] {
        let records: [(EntityKind, UUID, [String: JSONValue])] = [
            (
                .gear, ids.gear,
                [
                    "name": "Daily trainers", "brand": "Asics", "model": .string(tricky), "started_on": "2026-09-01",
                    "retired_on": "2027-03-01", "initial_distance_m": 12000, "limit_distance_m": .number(700000.5),
                ]
            ),
            (
                .plan, ids.plan,
                [
                    "kind": "rehab", "title": "Hip rehab, phase 1", "goal": "Run 30 minutes pain-free",
                    "author_role": "physical_therapist", "author_name": "Dr. Jana Novák", "status": "active",
                    "start_date": "2026-11-30", "end_date": "2027-01-24", "pain_ceiling": 3, "notes": .string(tricky),
                ]
            ),
            (
                .planItem, ids.planItem,
                [
                    "plan_id": .string(ids.plan.uuidString), "kind": "strength", "exercise": "Split squat",
                    "instructions": "Slow descent", "sets": 3, "reps": 12, "hold_s": 2, "load": .number(10.25),
                    "load_unit": "kg", "target_rpe": 7, "days_of_week": ["mon", "wed", "fri"], "times_per_week": 3,
                    "position": 1,
                ]
            ),
            (
                .run, ids.run,
                [
                    "started_at": "2026-11-26T07:30:00.250+01:00", "time_zone": "Europe/Berlin", "surface": "treadmill",
                    "is_indoor": true, "distance_m": .number(8012.5), "elapsed_s": 2950, "moving_s": 2900,
                    "elevation_gain_m": 0, "incline_pct": .number(-1.5), "avg_cadence_spm": 172,
                    "avg_step_length_mm": 1080, "avg_hr_bpm": 148, "max_hr_bpm": 171, "rpe": .number(6.5), "feel": 3,
                    "gear_id": .string(ids.gear.uuidString.uppercased()), "plan_item_id": .string(ids.planItem.uuidString),
                    "title": "Easy treadmill run", "notes": .string(tricky), "form_notes": "Overstriding",
                ]
            ),
            (
                .painEntry, ids.painEntry,
                [
                    "recorded_at": "2026-11-27T07:05:00Z", "body_site": "hip", "side": "right", "severity": 3,
                    "timing": "next_morning", "qualities": ["aching", "stiffness"], "activity_impact": "reduced_volume",
                    "run_id": .string(ids.run.uuidString), "notes": .string(tricky),
                ]
            ),
            (
                .exerciseLog, ids.exerciseLog,
                [
                    "plan_item_id": .string(ids.planItem.uuidString), "performed_at": "2026-12-02T18:15:00.123456-05:00",
                    "status": "partial", "sets_done": 2, "reps_done": 24, "load": 10, "pain_during": 2,
                    "notes": "Third set skipped",
                ]
            ),
        ]
        return records.enumerated().map { index, record in
            Mutation(
                mutationID: Int64(index + 1), entity: record.0, id: record.1, op: .upsert,
                hlc: HLC(physicalMillis: 1_764_000_000_000 + Int64(index), counter: 0, node: device), fields: record.2)
        }
    }

    /// A new account with one device (by SQL: no password, no token).
    static func newAccount(_ client: PostgresClient) async throws -> (user: UUID, device: UUID) {
        let (user, device) = (UUID(), UUID())
        try await client.execute(
            "INSERT INTO users (id, email, display_name) VALUES (\(user), \(user.uuidString + "@example.test"), 'R')")
        try await client.execute(
            "INSERT INTO devices (user_id, id, name, platform) VALUES (\(user), \(device), 'Phone', 'ios')")
        return (user, device)
    }

    /// A user with one device, and the six records pushed, then a field cleared and the exercise log deleted.
    static func withDiary(_ body: (SyncStore, PostgresClient, _ user: UUID, _ device: UUID) async throws -> Void)
        async throws
    {
        try await TestDatabase.withMigratedDatabase { _, client in
            let (user, device) = try await newAccount(client)
            let store = SyncStore(client: client)
            let later = HLC(physicalMillis: 1_764_000_100_000, counter: 0, node: device)
            let mutations =
                creates(device: device) + [
                    Mutation(
                        mutationID: 7, entity: .run, id: ids.run, op: .upsert, hlc: later, fields: ["form_notes": .null]),
                    Mutation(mutationID: 8, entity: .exerciseLog, id: ids.exerciseLog, op: .delete, hlc: later),
                ]
            let outcome = try await store.push(
                userID: user, deviceID: device, mutations: mutations, now: Date(timeIntervalSince1970: 1_764_000_200),
                maxClockSkewSeconds: 300)
            #expect(outcome.results.allSatisfy { $0.status == .applied }, "\(outcome.results)")
            try await body(store, client, user, device)
        }
    }

    /// Every page from the start, with `limit` changes at most per page.
    static func pullAll(
        _ store: SyncStore, _ user: UUID, _ device: UUID, limit: Int, form: ClockForm = .shared
    ) async throws -> [UInt8] {
        var cursor: SyncCursor?
        var all: [UInt8] = []
        while true {
            let page = try await store.pull(userID: user, deviceID: device, after: cursor, limit: limit, form: form)
            if !all.isEmpty, !page.changesJSON.isEmpty { all.append(UInt8(ascii: ",")) }
            all += page.changesJSON
            cursor = page.cursor
            if !page.hasMore { return all }
        }
    }

    static func decode(_ json: [UInt8]) throws -> [Change] {
        try JSONDecoder().decode([Change].self, from: Data("[".utf8 + json + "]".utf8))
    }

    @Test func thePushStoresWhatTheColumnsHoldForEveryFieldType() async throws {
        try await Self.withDiary { _, client, user, _ in
            var seen = 0
            for table in EntityTable.all {
                let rows = try await client.query(
                    "SELECT \(table.selectColumns), pulled_change FROM \(table.table) WHERE user_id = \(user)")
                for row in rows {
                    let fromColumns = EntityTable.pulledChange(try table.state(from: row))
                    let stored = try row.decode(String.self, at: row.count - 1)
                    #expect(stored == fromColumns, "\(table.name)")
                    seen += 1
                }
            }
            #expect(seen == 6)
        }
    }

    @Test func aPullSendsEachRecordsLatestStateInVersionOrder() async throws {
        try await Self.withDiary { store, _, user, device in
            let changes = try Self.decode(try await Self.pullAll(store, user, device, limit: 100))
            let order = [
                Self.ids.gear, Self.ids.plan, Self.ids.planItem, Self.ids.painEntry, Self.ids.run, Self.ids.exerciseLog,
            ]
            #expect(changes.map(\.id) == order)
            #expect(changes.map(\.version) == changes.map(\.version).sorted())
            let run = try #require(changes.first { $0.id == Self.ids.run })
            #expect(run.fields["form_notes"] == .null)
            #expect(run.fields["notes"] == .string(Self.tricky))
            #expect(run.fields["gear_id"] == .string(Self.ids.gear.uuidString.lowercased()))
            #expect(run.fields["started_at"] == "2026-11-26T07:30:00.250+01:00")
            #expect(run.fields.count == 20 && run.clocks.count == 20)
            let log = try #require(changes.first { $0.id == Self.ids.exerciseLog })
            #expect(log.deleted && log.fields.isEmpty && log.clocks.isEmpty)
            let plan = try #require(changes.first { $0.id == Self.ids.plan })
            #expect(plan.fields["author_name"] == "Dr. Jana Novák")
        }
    }

    /// A batch writes the records it did not find with a plain insert and those it read with an upsert, in one
    /// statement: new and stored records of the same tables, and a record created and edited within the batch.
    @Test func aBatchInsertsNewRecordsAndUpdatesStoredOnes() async throws {
        try await Self.withDiary { store, client, user, device in
            let createdAt = { (table: String, id: UUID) async throws -> Date in
                try await client.query(
                    "SELECT created_at FROM \(try PostgresIdentifier(validating: table)) WHERE user_id = \(user) AND id = \(id)"
                ).single().decode(Date.self)
            }
            let (runCreated, painCreated) = (
                try await createdAt("runs", Self.ids.run), try await createdAt("pain_entries", Self.ids.painEntry)
            )
            let (newRun, newPain, newPlan) = (UUID(), UUID(), UUID())
            let hlc = { (counter: UInt16) in HLC(physicalMillis: 1_764_000_150_000, counter: counter, node: device) }
            let mutations = [
                Mutation(
                    mutationID: 9, entity: .run, id: newRun, op: .upsert, hlc: hlc(0),
                    fields: ["started_at": "2026-12-01T07:00:00+01:00", "elapsed_s": 1800, "title": "New run"]),
                Mutation(mutationID: 10, entity: .run, id: Self.ids.run, op: .upsert, hlc: hlc(1), fields: ["title": "Renamed"]),
                Mutation(
                    mutationID: 11, entity: .painEntry, id: newPain, op: .upsert, hlc: hlc(2),
                    fields: [
                        "recorded_at": "2026-12-01T09:00:00Z", "body_site": "knee", "side": "left", "severity": 2,
                        "timing": "after_run", "run_id": .string(newRun.uuidString),
                    ]),
                Mutation(mutationID: 12, entity: .painEntry, id: Self.ids.painEntry, op: .upsert, hlc: hlc(3), fields: ["severity": 5]),
                Mutation(
                    mutationID: 13, entity: .plan, id: newPlan, op: .upsert, hlc: hlc(4), fields: ["kind": "training", "title": "Base"]),
                Mutation(mutationID: 14, entity: .plan, id: newPlan, op: .upsert, hlc: hlc(5), fields: ["title": "Base, week 2"]),
            ]
            let outcome = try await store.push(
                userID: user, deviceID: device, mutations: mutations, now: Date(timeIntervalSince1970: 1_764_000_200),
                maxClockSkewSeconds: 300)
            #expect(outcome.results.map(\.status) == Array(repeating: .applied, count: 6), "\(outcome.results)")

            let changes = try Self.decode(try await Self.pullAll(store, user, device, limit: 100))
            #expect(changes.count == 9)
            let byID = Dictionary(uniqueKeysWithValues: changes.map { ($0.id, $0) })
            #expect(byID[newRun]?.fields["title"] == "New run")
            #expect(byID[Self.ids.run]?.fields["title"] == "Renamed")
            #expect(byID[Self.ids.run]?.fields["notes"] == .string(Self.tricky))
            #expect(byID[newPain]?.fields["run_id"] == .string(newRun.uuidString.lowercased()))
            #expect(byID[Self.ids.painEntry]?.fields["severity"] == 5)
            #expect(byID[newPlan]?.fields["title"] == "Base, week 2" && byID[newPlan]?.fields["kind"] == "training")
            // The stored records were updated in place, not written anew.
            #expect(try await createdAt("runs", Self.ids.run) == runCreated)
            #expect(try await createdAt("pain_entries", Self.ids.painEntry) == painCreated)
            for table in EntityTable.all {
                for row in try await client.query(
                    "SELECT \(table.selectColumns), pulled_change FROM \(table.table) WHERE user_id = \(user)")
                {
                    #expect(try row.decode(String.self, at: row.count - 1) == EntityTable.pulledChange(try table.state(from: row)))
                }
            }
        }
    }

    /// The push stores the shared clock form; a pull in the per-field form builds those records from their columns.
    /// Both read back to the same changes, in the same order, in pages of any size.
    @Test func bothClockFormsPullTheSameChanges() async throws {
        try await Self.withDiary { store, _, user, device in
            let shared = try await Self.pullAll(store, user, device, limit: 100)
            let perField = try await Self.pullAll(store, user, device, limit: 100, form: .perField)
            #expect(try Self.decode(shared) == Self.decode(perField))
            #expect(shared.count < perField.count)
            let run = try #require(try Self.decode(perField).first { $0.id == Self.ids.run })
            #expect(run.clocks.count == 20 && Set(run.clocks.values).count == 2)
            #expect(!perField.withUnsafeBytes(Change.mayHaveSharedClock))
            #expect(String(decoding: shared, as: UTF8.self).contains(#""clocks":{"form_notes":"#))
            for limit in 1...4 {
                #expect(try await Self.pullAll(store, user, device, limit: limit, form: .perField) == perField)
            }
        }
    }

    /// Stored JSON in the shared form that is no longer laid out as the writer lays it out (edited around the API): a
    /// per-field pull builds that record from its columns instead.
    @Test func aPerFieldPullBuildsAChangeItCannotRewriteFromItsColumns() async throws {
        try await Self.withDiary { store, client, user, device in
            let perField = try await Self.pullAll(store, user, device, limit: 100, form: .perField)
            let garbled = try await client.execute(
                """
                UPDATE runs SET pulled_change = replace(pulled_change, '"clocks":{', '"clocks":[')
                WHERE user_id = \(user) AND id = \(Self.ids.run)
                """)
            #expect(garbled == 1)
            #expect(try await Self.pullAll(store, user, device, limit: 100, form: .perField) == perField)
            #expect(
                try await Self.pullAll(store, user, device, limit: 100) != Self.pullAll(store, user, device, limit: 100, form: .perField))
        }
    }

    /// JSON stored before the shared form (every field's clock listed) is valid shared form: a pull in either form
    /// passes it through as stored, and `rundiary check` does not count it stale.
    @Test func jsonStoredInThePerFieldFormPassesThroughBothForms() async throws {
        try await Self.withDiary { store, client, user, device in
            let perField = try await Self.pullAll(store, user, device, limit: 100, form: .perField)
            for table in EntityTable.all {
                let rows = try await client.query(
                    "SELECT \(table.selectColumns), user_id FROM \(table.table) WHERE user_id = \(user)")
                for row in rows {
                    let state = try table.state(from: row)
                    try await client.execute(
                        """
                        UPDATE \(table.table) SET pulled_change = \(EntityTable.pulledChange(state, form: .perField))
                        WHERE user_id = \(user) AND id = \(state.id)
                        """)
                }
            }
            #expect(try await Self.pullAll(store, user, device, limit: 100) == perField)
            #expect(try await Self.pullAll(store, user, device, limit: 2, form: .perField) == perField)
            let check = IntegrityCheck(client: client, migrations: try TestDatabase.migrations(), logger: TestDatabase.logger)
            let report = try await check.run(repair: false)
            #expect(!report.findings.contains { $0.kind == .stalePulledChange }, "\(report.findings)")
        }
    }

    /// A record's wide values are compressed with LZ4 (migration 0013; this cluster has it) and pull back unchanged.
    @Test func wideValuesAreCompressedWithLZ4AndPullBackUnchanged() async throws {
        try await Self.withDiary { store, client, user, device in
            let notes = String(repeating: "Hip ached after the long run; eased by the clamshells. ", count: 70)
            let hlc = HLC(physicalMillis: 1_764_000_150_000, counter: 0, node: device)
            let outcome = try await store.push(
                userID: user, deviceID: device,
                mutations: [
                    Mutation(mutationID: 9, entity: .run, id: Self.ids.run, op: .upsert, hlc: hlc, fields: ["notes": .string(notes)])
                ], now: Date(timeIntervalSince1970: 1_764_000_200), maxClockSkewSeconds: 300)
            #expect(outcome.results.first?.status == .applied)
            let methods = try await client.query(
                """
                SELECT pg_column_compression(pulled_change), pg_column_compression(clocks) FROM runs
                WHERE user_id = \(user) AND id = \(Self.ids.run)
                """
            ).single().decode((String?, String?).self)
            #expect(methods.0 == "lz4")
            #expect(methods.1 == nil || methods.1 == "lz4")  // the clocks alone may fit uncompressed
            let run = try #require(try Self.decode(try await Self.pullAll(store, user, device, limit: 100)).first { $0.id == Self.ids.run })
            #expect(run.fields["notes"] == .string(notes))
            #expect(run.clocks["notes"] == hlc)
        }
    }

    /// ANALYZE gathers no statistics on the JSON text columns no statement filters on (migration 0017), and still
    /// gathers them on every other column of every record table.
    @Test func analyzeSkipsTheJSONTextColumns() async throws {
        try await Self.withDiary { _, client, _, _ in
            for table in EntityTable.all {
                try await client.execute("ANALYZE \(table.table)")
                let rows = try await client.query(
                    "SELECT attname::text FROM pg_stats WHERE schemaname = 'public' AND tablename = \(table.name)")
                let analyzed: Set<String> = Set(try rows.map { try $0.decode(String.self) })
                #expect(analyzed.isDisjoint(with: ["clocks", "field_versions", "pulled_change"]), "\(table.name)")
                #expect(analyzed.isSuperset(of: ["user_id", "id", "version", "deleted_hlc", "updated_at"]), "\(table.name)")
                // Every column: user_id, created_at and updated_at besides those a push writes, less the three.
                #expect(analyzed.count == 3 + table.columns.count - 3, "\(table.name): \(analyzed.sorted())")
            }
        }
    }

    /// Clocks and field versions are JSON text (migration 0014), LZ4-compressed like the stored change; rows converted
    /// from `jsonb` hold its text form (`{"a": 1}`, other key order), which a push reads and merges like its own.
    @Test func clocksAreTextAndRowsConvertedFromJSONBMergeAsBefore() async throws {
        try await Self.withDiary { store, client, user, device in
            let columns = try await client.query(
                """
                SELECT attname::text, format_type(atttypid, atttypmod), attcompression::text FROM pg_attribute
                WHERE attrelid = 'runs'::regclass AND attname IN ('clocks', 'field_versions') ORDER BY attname
                """
            ).map { try $0.decode((String, String, String).self) }
            #expect(columns.map(\.0) == ["clocks", "field_versions"])
            #expect(columns.allSatisfy { $0.1 == "text" && $0.2 == "l" })

            let before = try #require(
                try Self.decode(try await Self.pullAll(store, user, device, limit: 100)).first { $0.id == Self.ids.run })
            let converted = try await client.execute(
                """
                UPDATE runs SET clocks = clocks::jsonb::text, field_versions = field_versions::jsonb::text
                WHERE user_id = \(user) AND id = \(Self.ids.run)
                """)
            #expect(converted == 1)
            #expect(
                try await client.query("SELECT clocks FROM runs WHERE user_id = \(user) AND id = \(Self.ids.run)")
                    .single().decode(String.self).contains("\": \""))
            let hlc = HLC(physicalMillis: 1_764_000_150_000, counter: 0, node: device)
            let outcome = try await store.push(
                userID: user, deviceID: device,
                mutations: [
                    Mutation(mutationID: 9, entity: .run, id: Self.ids.run, op: .upsert, hlc: hlc, fields: ["title": "Hill repeats, easy"])
                ], now: Date(timeIntervalSince1970: 1_764_000_200), maxClockSkewSeconds: 300)
            #expect(outcome.results.first?.status == .applied)
            let after = try #require(
                try Self.decode(try await Self.pullAll(store, user, device, limit: 100)).first { $0.id == Self.ids.run })
            var expected = before.clocks
            expected["title"] = hlc
            #expect(after.clocks == expected)
            #expect(after.fields.filter { $0.key != "title" } == before.fields.filter { $0.key != "title" })
            #expect(after.fields["title"] == "Hill repeats, easy")
        }
    }

    @Test func rowsWithoutStoredJSONPullTheSameBytesUntilMigrateFillsThem() async throws {
        try await Self.withDiary { store, client, user, device in
            let stored = try await Self.pullAll(store, user, device, limit: 100)
            let emptied =
                try await client.execute("UPDATE runs SET pulled_change = NULL WHERE user_id = \(user)")
                + client.execute("UPDATE plans SET pulled_change = NULL WHERE user_id = \(user)")
                + client.execute("UPDATE exercise_logs SET pulled_change = NULL WHERE user_id = \(user)")
            #expect(emptied == 3)
            // Whole pages and pages of two, where built and stored changes alternate and pages end on built ones.
            #expect(try await Self.pullAll(store, user, device, limit: 100) == stored)
            for limit in 1...4 {
                let paged = try await Self.pullAll(store, user, device, limit: limit)
                #expect(paged == stored, "pages of \(limit)")
            }
            #expect(try await store.fillPulledChanges(batchSize: 2) == 3)
            #expect(try await store.fillPulledChanges() == 0)
            #expect(try await Self.pullAll(store, user, device, limit: 100) == stored)
        }
    }

    @Test func anUpdateThatLeavesTheStoredJSONClearsItInEveryRecordTable() async throws {
        try await Self.withDiary { store, client, user, device in
            let stored = try await Self.pullAll(store, user, device, limit: 100)
            for table in EntityTable.all {
                // What a repair in psql, or the previous release's upsert during a rolling upgrade, does.
                try await client.execute("UPDATE \(table.table) SET updated_at = now() WHERE user_id = \(user)")
                let left = try await client.query(
                    "SELECT count(*) FROM \(table.table) WHERE user_id = \(user) AND pulled_change IS NOT NULL")
                #expect(try left.single().decode(Int.self, at: 0) == 0, "\(table.name)")
            }
            #expect(try await Self.pullAll(store, user, device, limit: 100) == stored)
            #expect(try await store.fillPulledChanges() == 6)
        }
    }
}
