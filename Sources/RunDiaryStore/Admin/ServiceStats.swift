import Foundation
import Postgres

/// The service at a glance: what `rundiary stats` prints.
package struct ServiceStats: Sendable, Hashable, Codable {
    /// The device (not revoked) whose last pull is the oldest: how far behind the slowest sync is.
    package struct OldestCursor: Sendable, Hashable, Codable {
        package let userID: UUID
        package let deviceID: UUID
        /// nil when the device has never pulled.
        package let lastPulledVersion: Int64?
        package let lastPulledAt: Date?
        /// Changes of its user the device has not pulled yet.
        package let versionsBehind: Int64
    }

    package let users: Int
    package let disabledUsers: Int
    /// Devices not revoked.
    package let devices: Int
    package let devicesActive7Days: Int
    package let devicesActive30Days: Int
    package let records: [AdminStore.RecordCount]
    package let databaseBytes: Int64
    package let oldestCursor: OldestCursor?
    /// Server instances whose live channel is listening on this database now (their `LISTEN` connections). Each
    /// instance's own streams and long-polls are counted in its `/ready`.
    package let liveListeners: Int

    /// Reads the figures; a handful of aggregate queries.
    package static func collect(client: PostgresClient) async throws -> ServiceStats {
        let (users, disabled) = try await client.query(
            "SELECT count(*), count(*) FILTER (WHERE disabled_at IS NOT NULL) FROM users"
        ).single().decode((Int, Int).self)
        let (devices, active7, active30) = try await client.query(
            """
            SELECT count(*), count(*) FILTER (WHERE last_seen_at >= now() - interval '7 days'),
                   count(*) FILTER (WHERE last_seen_at >= now() - interval '30 days')
            FROM devices WHERE revoked_at IS NULL
            """
        ).single().decode((Int, Int, Int).self)
        let size = try await client.query("SELECT pg_database_size(current_database())").single().decode(Int64.self, at: 0)
        let oldest = try await client.query(
            """
            SELECT d.user_id, d.id, d.last_pulled_version, d.last_pulled_at, u.version - coalesce(d.last_pulled_version, 0)
            FROM devices d JOIN users u ON u.id = d.user_id
            WHERE d.revoked_at IS NULL
            ORDER BY d.last_pulled_at ASC NULLS FIRST, d.created_at ASC LIMIT 1
            """
        ).first.map { row in
            let values = try row.decode((UUID, UUID, Int64?, Date?, Int64).self)
            return OldestCursor(
                userID: values.0, deviceID: values.1, lastPulledVersion: values.2, lastPulledAt: values.3,
                versionsBehind: values.4)
        }
        let listeners = try await client.query(
            """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = \(ChangeNotice.listenerApplicationName)
            """
        ).single().decode(Int.self, at: 0)
        return ServiceStats(
            users: users, disabledUsers: disabled, devices: devices, devicesActive7Days: active7,
            devicesActive30Days: active30, records: try await AdminStore(client: client).recordCounts(userID: nil),
            databaseBytes: size, oldestCursor: oldest, liveListeners: listeners)
    }
}
