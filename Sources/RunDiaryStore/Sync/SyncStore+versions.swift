import Foundation
import Postgres

extension SyncStore {
    /// The current version of each of these accounts (accounts that no longer exist are left out), in one query: what
    /// the live channel reads when a stream opens and after its listener was disconnected, since notices sent
    /// meanwhile are lost.
    package func versions(of userIDs: [UUID]) async throws -> [UUID: Int64] {
        guard !userIDs.isEmpty else { return [:] }
        let rows = try await client.query("SELECT id, version FROM users WHERE id = ANY(\(userIDs))")
        var versions: [UUID: Int64] = [:]
        for row in rows {
            let (id, version) = try row.decode((UUID, Int64).self)
            versions[id] = version
        }
        return versions
    }
}
