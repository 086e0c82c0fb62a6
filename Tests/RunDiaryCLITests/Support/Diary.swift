import Foundation
import Postgres
import RunDiaryStore

/// Plants users, devices and records with plain SQL, as the tests need them (the sync push is not used here).
struct Diary {
    let client: PostgresClient

    /// A clock value for planted fields.
    static let hlc = "2026-01-01T00:00:00.000Z-0000-00000000-0000-4000-8000-000000000000"

    /// Creates a user and returns its id.
    @discardableResult
    func user(_ email: String, version: Int64 = 0) async throws -> UUID {
        let id = UUID()
        try await client.execute("INSERT INTO users (id, email, version) VALUES (\(id), \(email), \(version))")
        return id
    }

    /// Creates a device with a pull position, seen `seenDaysAgo` days ago (nil: never seen).
    @discardableResult
    func device(
        of userID: UUID, id: UUID = UUID(), pulled: Int64?, seenDaysAgo: Double? = 0, revoked: Bool = false,
        createdDaysAgo: Double = 400
    ) async throws -> UUID {
        try await client.execute(
            """
            INSERT INTO devices (user_id, id, name, last_pulled_version, last_seen_at, revoked_at, created_at)
            VALUES (\(userID), \(id), 'planted', \(pulled),
                    now() - make_interval(secs => \(seenDaysAgo.map { $0 * 86_400 })),
                    CASE WHEN \(revoked) THEN now() END, now() - make_interval(secs => \(createdDaysAgo * 86_400)))
            """)
        return id
    }

    /// Sets the user's version to at least `version`, as a push would.
    func raiseVersion(of userID: UUID, to version: Int64) async throws {
        try await client.execute("UPDATE users SET version = greatest(version, \(version)) WHERE id = \(userID)")
    }

    /// A tombstone in `table` (a record table), deleted `daysAgo` days ago.
    @discardableResult
    func tombstone(_ table: PostgresIdentifier, of userID: UUID, version: Int64, daysAgo: Double, id: UUID = UUID())
        async throws -> UUID
    {
        try await client.execute(
            """
            INSERT INTO \(table) (user_id, id, version, deleted_hlc, updated_at)
            VALUES (\(userID), \(id), \(version), \(Self.hlc), now() - make_interval(secs => \(daysAgo * 86_400)))
            """)
        try await raiseVersion(of: userID, to: version)
        return id
    }

    /// A live run with clocks for its fields.
    @discardableResult
    func run(of userID: UUID, version: Int64, id: UUID = UUID(), gearID: UUID? = nil, clocks: [String]? = nil)
        async throws -> UUID
    {
        let keys = clocks ?? ["started_at", "elapsed_s"] + (gearID == nil ? [] : ["gear_id"])
        try await client.execute(
            """
            INSERT INTO runs (user_id, id, version, started_at, elapsed_s, gear_id, clocks, field_versions)
            VALUES (\(userID), \(id), \(version), now(), 1800, \(gearID), \(try Self.clocks(keys)), '{}')
            """)
        try await raiseVersion(of: userID, to: version)
        return id
    }

    /// A live gear record.
    @discardableResult
    func gear(of userID: UUID, version: Int64, id: UUID = UUID()) async throws -> UUID {
        try await client.execute(
            """
            INSERT INTO gear (user_id, id, version, name, clocks) VALUES (\(userID), \(id), \(version), 'Shoes',
                \(try Self.clocks(["name"])))
            """)
        try await raiseVersion(of: userID, to: version)
        return id
    }

    /// A live pain entry, optionally after a run.
    @discardableResult
    func painEntry(of userID: UUID, version: Int64, runID: UUID? = nil, id: UUID = UUID()) async throws -> UUID {
        var keys = ["recorded_at", "body_site", "side", "severity", "timing"]
        if runID != nil { keys.append("run_id") }
        try await client.execute(
            """
            INSERT INTO pain_entries (user_id, id, version, recorded_at, body_site, side, severity, timing, run_id, clocks)
            VALUES (\(userID), \(id), \(version), now(), 'hip', 'right', 3, 'next_morning', \(runID), \(try Self.clocks(keys)))
            """)
        try await raiseVersion(of: userID, to: version)
        return id
    }

    /// A live plan, one item in it and one log of that item; versions `version`, +1, +2.
    func planWithItemAndLog(of userID: UUID, version: Int64) async throws -> (plan: UUID, item: UUID, log: UUID) {
        let (plan, item, log) = (UUID(), UUID(), UUID())
        try await client.execute(
            """
            INSERT INTO plans (user_id, id, version, kind, title, clocks)
            VALUES (\(userID), \(plan), \(version), 'rehab', 'Hip', \(try Self.clocks(["kind", "title"])))
            """)
        try await client.execute(
            """
            INSERT INTO plan_items (user_id, id, version, plan_id, kind, exercise, clocks)
            VALUES (\(userID), \(item), \(version + 1), \(plan), 'strength', 'Squat',
                    \(try Self.clocks(["plan_id", "kind", "exercise"])))
            """)
        try await client.execute(
            """
            INSERT INTO exercise_logs (user_id, id, version, plan_item_id, performed_at, status, clocks)
            VALUES (\(userID), \(log), \(version + 2), \(item), now(), 'done',
                    \(try Self.clocks(["plan_item_id", "performed_at", "status"])))
            """)
        try await raiseVersion(of: userID, to: version + 2)
        return (plan, item, log)
    }

    /// A sync conflict and a sync rejection of the user, `daysAgo` days old.
    func journal(of userID: UUID, deviceID: UUID, daysAgo: Double) async throws {
        let age = daysAgo * 86_400
        try await client.execute(
            """
            INSERT INTO sync_conflicts (user_id, entity, record_id, field, winning_value, winning_hlc, losing_value,
                                        losing_hlc, device_id, mutation_id, version, created_at)
            VALUES (\(userID), 'run', \(UUID()), 'title', '"a"', \(Self.hlc), '"b"', \(Self.hlc), \(deviceID), 1, 1,
                    now() - make_interval(secs => \(age)))
            """)
        try await client.execute(
            """
            INSERT INTO sync_rejections (user_id, device_id, mutation_id, code, message, mutation, created_at)
            VALUES (\(userID), \(deviceID), 2, 'invalid_value', 'bad', '{}', now() - make_interval(secs => \(age)))
            """)
    }

    /// A share link of the user (columns of Migrations/0004_shares.sql), expiring in `expiresInHours`.
    @discardableResult
    func share(of userID: UUID, label: String = "", expiresInHours: Double = 24, maxViews: Int? = nil) async throws
        -> (id: UUID, token: AccessToken)
    {
        let id = UUID()
        let token = AccessToken.generate(.share)
        try await client.execute(
            """
            INSERT INTO shares (user_id, id, token_hash, label, include, expires_at, max_views)
            VALUES (\(userID), \(id), \(token.hash), \(label), ARRAY['run', 'pain_entry']::text[],
                    now() + make_interval(secs => \(expiresInHours * 3600)), \(maxViews.map { Int32($0) }))
            """)
        return (id, token)
    }

    /// Rows of a query's single count.
    func count(_ query: PostgresQuery) async throws -> Int {
        try await client.query(query).single().decode(Int.self, at: 0)
    }

    static func clocks(_ keys: [String]) throws -> PostgresJSON<[String: String]> {
        try PostgresJSON(Dictionary(uniqueKeysWithValues: keys.map { ($0, hlc) }))
    }
}
