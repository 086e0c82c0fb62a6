import Foundation

/// The least SQL any sync server must make PostgreSQL run for the same work (issue 10; defined by the team's shared
/// ceiling files), in a database of its own: a push is one counter bump plus a 100-row upsert into a table as wide
/// as `pain_entries` with only its primary key and a `(user_id, version)` index; a pull page is one 1,000-row range
/// read by `(user_id, version)`. Run by pgbench on the same cluster, so every figure can be stated as a fraction
/// of what this machine can do at all.
struct LeastSQLCeiling: Sendable {
    static let databaseName = "rundiary_bench_least"
    /// The account whose 10,000 rows the pull reads.
    static let heavyUser = "11111111-1111-1111-1111-111111111111"

    let pgbench: Pgbench
    let psql: PSQL

    /// Drops and recreates the ceiling's database with its two tables.
    static func prepare(environment: BenchEnvironment) async throws -> LeastSQLCeiling {
        let admin = PSQL(binary: environment.psqlPath, url: environment.adminURL)
        try await admin.run(
            """
            DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE);
            CREATE DATABASE \(databaseName);
            """)
        let url = try BenchDatabase.url(replacingDatabaseIn: environment.adminURL, with: databaseName)
        let ceiling = LeastSQLCeiling(
            pgbench: Pgbench(binary: environment.pgbenchPath, url: url), psql: PSQL(binary: environment.psqlPath, url: url))
        try await ceiling.psql.run(setupSQL)
        return ceiling
    }

    /// Upserted rows per second with `clients` concurrent pushers (100 rows per transaction).
    func pushRowsPerSecond(clients: Int, seconds: Int) async throws -> Double {
        try await pgbench.run(script: Self.pushScript, clients: clients, seconds: seconds).transactionsPerSecond * 100
    }

    /// Rows read per second by one reader (1,000 rows per page), and the mean page latency in milliseconds.
    func pull(seconds: Int) async throws -> (rowsPerSecond: Double, meanMilliseconds: Double) {
        let outcome = try await pgbench.run(script: Self.pullScript, clients: 1, seconds: seconds)
        return (outcome.transactionsPerSecond * 1000, outcome.averageLatencyMilliseconds)
    }

    static let clocks =
        #"'{"recorded_at":"2026-11-26T13:45:19.123Z-0000-7f1c0a52-0000-0000-0000-000000000000","severity":"2026-11-26T13:45:19.123Z-0000-7f1c0a52-0000-0000-0000-000000000000"}'::jsonb"#

    static let setupSQL = """
        CREATE TABLE user_sync (user_id uuid PRIMARY KEY, version bigint NOT NULL DEFAULT 0);
        INSERT INTO user_sync SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(u), 12, '0'))::uuid, 0
        FROM generate_series(1, 1000) u;
        INSERT INTO user_sync VALUES ('\(heavyUser)', 10000);
        CREATE TABLE pain_entries (
          user_id uuid NOT NULL, id uuid NOT NULL, version bigint NOT NULL, deleted boolean NOT NULL DEFAULT false,
          recorded_at timestamptz NOT NULL, body_site text NOT NULL, side text,
          severity int NOT NULL CHECK (severity BETWEEN 0 AND 10), timing text NOT NULL, notes text, clocks jsonb NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (user_id, id));
        CREATE INDEX ON pain_entries (user_id, version);
        INSERT INTO pain_entries (user_id, id, version, recorded_at, body_site, side, severity, timing, notes, clocks)
        SELECT '\(heavyUser)', gen_random_uuid(), g, now(), 'hip', 'left', g % 11, 'next_morning', 'pain note ' || g,
               \(clocks)
        FROM generate_series(1, 10000) g;
        VACUUM ANALYZE;
        """

    static let pushScript = """
        \\set u random(1, 1000)
        BEGIN;
        UPDATE user_sync SET version = version + 100 WHERE user_id = ('00000000-0000-0000-0000-' || lpad(to_hex(:u), 12, '0'))::uuid;
        INSERT INTO pain_entries (user_id, id, version, recorded_at, body_site, side, severity, timing, notes, clocks) SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(:u), 12, '0'))::uuid, gen_random_uuid(), g, now(), 'hip', 'right', g % 11, 'after_run', 'hip after treadmill run', \(clocks) FROM generate_series(1, 100) g ON CONFLICT (user_id, id) DO UPDATE SET severity = excluded.severity, version = excluded.version, clocks = excluded.clocks, updated_at = now();
        COMMIT;

        """

    static let pullScript = """
        \\set v random(0, 9) * 1000
        SELECT id, version, deleted, recorded_at, body_site, side, severity, timing, notes, clocks FROM pain_entries WHERE user_id = '\(heavyUser)' AND version > :v ORDER BY version LIMIT 1000;

        """
}
