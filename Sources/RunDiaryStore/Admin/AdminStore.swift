import Foundation
import Postgres
import RunDiaryModels

/// What the administrator's command line reads and changes: users, tokens, devices and share links.
///
/// Every lookup by email is case-insensitive, as login is. Nothing here ever returns a token or a hash.
package struct AdminStore: Sendable {
    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// Live and deleted records of one entity kind.
    package struct RecordCount: Sendable, Hashable, Codable {
        package let entity: String
        package let live: Int
        package let tombstones: Int
    }

    /// Resolves an email to a user id, or throws ``AdminError/userNotFound(email:)``.
    package func userID(email: String) async throws -> UUID {
        let rows = try await client.query("SELECT id FROM users WHERE lower(email) = lower(\(email))")
        guard let row = rows.first else { throw AdminError.userNotFound(email: email) }
        return try row.decode(UUID.self, at: 0)
    }

    /// Counts of live records and tombstones per entity kind, for one user or (nil) for everyone.
    func recordCounts(userID: UUID?) async throws -> [RecordCount] {
        var counts: [RecordCount] = []
        for table in EntityTable.all {
            let row = try await client.query(
                """
                SELECT count(*) FILTER (WHERE deleted_hlc IS NULL), count(*) FILTER (WHERE deleted_hlc IS NOT NULL)
                FROM \(table.table) WHERE \(userID)::uuid IS NULL OR user_id = \(userID)::uuid
                """
            ).single()
            let (live, tombstones) = try row.decode((Int, Int).self)
            counts.append(RecordCount(entity: table.entity.rawValue, live: live, tombstones: tombstones))
        }
        return counts
    }

    /// Whether a table exists in the public schema (tables of later migrations may be absent).
    func tableExists(_ name: String) async throws -> Bool {
        try await client.query("SELECT to_regclass(\("public." + name)) IS NOT NULL").single().decode(Bool.self, at: 0)
    }
}
