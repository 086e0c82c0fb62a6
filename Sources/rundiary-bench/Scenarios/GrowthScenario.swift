import Foundation

/// Scenario 4: one runner's small diary (100 records) pulled from a cursor five changes back, while the database
/// holds ever more records of other users (seeded by direct SQL): the cost of a pull must not grow with the service.
struct GrowthScenario: Sendable {
    static let diarySize = 100
    static let cursorVersion = 95
    /// Each filler user holds 1,000 records: 100 gear (versions 1…100) and 900 runs (101…1000).
    static let recordsPerFillerUser = 1000

    let context: BenchContext

    func run() async throws -> [BenchFigure] {
        let session = try await context.api.signUpDevice(label: "growth-0")
        let device = DeviceState(session: session)
        let records = DiaryRecordFactory.mixedBatch(count: Self.diarySize, seed: 0)
        let body = PushBody.make(records, firstMutationID: device.takeMutationIDs(records.count), device: session.deviceID)
        let pushed = try await context.api.post("/v1/sync/push", json: body, token: session.token)
        guard pushed.isSuccess else { throw BenchError("growth: seeding push failed: \(pushed.status)") }
        let first = try await context.api.get(APIClient.pullPath(cursor: "", limit: Self.cursorVersion), token: session.token)
        guard first.isSuccess, let page = PullReply(first.body), page.hasMore else {
            throw BenchError("growth: the first pull did not stop at version \(Self.cursorVersion)")
        }
        let path = APIClient.pullPath(cursor: page.cursor)

        var figures: [BenchFigure] = []
        var seededUsers = 0
        var baseline: Double?
        for size in context.scale.growthSizes {
            let users = size / Self.recordsPerFillerUser
            context.log("growth: seeding other users' records up to \(size) by direct SQL")
            let started = ContinuousClock.now
            while seededUsers < users {
                let chunk = min(100, users - seededUsers)
                try await context.database.psql.run(Self.fillerSQL(firstUser: seededUsers + 1, lastUser: seededUsers + chunk))
                seededUsers += chunk
            }
            try await context.database.psql.run("VACUUM ANALYZE;")
            context.log(String(format: "growth: seeded in %.1f s", (ContinuousClock.now - started).seconds))

            for _ in 0..<50 { _ = try await context.api.get(path, token: session.token) }
            var latencies: [Double] = []
            for _ in 0..<context.scale.growthPulls {
                let begin = ContinuousClock.now
                let reply = try await context.api.get(path, token: session.token)
                guard reply.isSuccess else { throw BenchError("growth: pull failed: \(reply.status) \(reply.text.prefix(300))") }
                latencies.append((ContinuousClock.now - begin).milliseconds)
            }
            let summary = LatencySummary(milliseconds: latencies)
            let store = try await context.store.pull(
                user: session.userID, device: session.deviceID, firstVersion: Int64(Self.cursorVersion), pages: 1,
                pageSize: Self.diarySize - Self.cursorVersion, seconds: 3)
            let label = size >= 1_000_000 ? "\(size / 1_000_000)M" : "\(size / 1000)k"
            context.log(String(format: "growth: %@ others → p50 %.2f ms, p99 %.2f ms", label, summary.p50, summary.p99))
            var p50 = BenchFigure(
                scenario: "growth", metric: "pull p50, \(label) other records", value: summary.p50, unit: "ms",
                ceiling: store.meanMilliseconds, note: "5 changes; ceiling: the store's pull of them, mean latency")
            if let baseline {
                p50.target = "flat: ≤ 1.2 × the 10k figure"
                p50.meetsTarget = summary.p50 <= 1.2 * baseline
            } else {
                baseline = summary.p50
            }
            figures.append(p50)
            figures.append(
                BenchFigure(scenario: "growth", metric: "pull p99, \(label) other records", value: summary.p99, unit: "ms"))
        }
        return figures
    }

    /// Filler users `firstUser…lastUser`, each with 100 gear and 900 runs whose versions, clocks and field versions
    /// are consistent (the user's counter is 1000).
    static func fillerSQL(firstUser: Int, lastUser: Int) -> String {
        let user = "('c0000000-0000-4000-8000-' || lpad(u::text, 12, '0'))::uuid"
        let hlc = "2026-01-01T00:00:00.000Z-0000-c0000000-0000-4000-8000-000000000000"
        func clocks(_ fields: [String]) -> String {
            "'{" + fields.map { "\"\($0)\": \"\(hlc)\"" }.joined(separator: ", ") + "}'"
        }
        func versions(_ fields: [String]) -> String {
            "jsonb_build_object(" + fields.map { "'\($0)', n" }.joined(separator: ", ") + ")::text"
        }
        let gearFields = ["name", "brand", "started_on", "limit_distance_m"]
        let runFields = ["started_at", "surface", "is_indoor", "distance_m", "elapsed_s", "moving_s", "rpe", "title"]
        return """
            INSERT INTO users (id, email, display_name, version)
            SELECT \(user), 'filler-' || u || '@bench.invalid', '', \(recordsPerFillerUser)
            FROM generate_series(\(firstUser), \(lastUser)) AS u;
            INSERT INTO gear (user_id, id, version, clocks, field_versions, name, brand, started_on, limit_distance_m)
            SELECT \(user), gen_random_uuid(), n, \(clocks(gearFields)), \(versions(gearFields)),
                   'Trainer ' || n, 'Brooks', date '2025-01-01' + n, 800000
            FROM generate_series(\(firstUser), \(lastUser)) AS u, generate_series(1, 100) AS n;
            INSERT INTO runs (user_id, id, version, clocks, field_versions, started_at, started_at_offset_s, surface,
                              is_indoor, distance_m, elapsed_s, moving_s, rpe, title)
            SELECT \(user), gen_random_uuid(), n, \(clocks(runFields)), \(versions(runFields)),
                   timestamptz '2025-01-01 07:30:00+01' + n * interval '1 day', 3600, 'treadmill', true,
                   5000 + n, 1800 + n, 1700 + n, 4, 'Easy run'
            FROM generate_series(\(firstUser), \(lastUser)) AS u, generate_series(101, 1000) AS n;
            """
    }
}
