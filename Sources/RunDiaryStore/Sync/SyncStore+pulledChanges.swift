import Foundation
import Postgres
import RunDiaryModels

extension SyncStore {
    /// Writes the stored pull JSON (`pulled_change`, migration 0011) of every record that has none: those written
    /// before that migration or around the sync API. Returns how many rows it filled.
    ///
    /// A pull builds such a record from its columns on every read, so this only makes those pulls as fast as the rest;
    /// `rundiary migrate` runs it. Each row is written only if it is still at the version read and still has no JSON:
    /// a push in between stored its own.
    package func fillPulledChanges(batchSize: Int = 500) async throws -> Int {
        var filled = 0
        for table in EntityTable.all {
            while true {
                let rows = try await client.query(
                    """
                    SELECT \(table.selectColumns), user_id FROM \(table.table) WHERE pulled_change IS NULL
                    LIMIT \(Int64(batchSize))
                    """)
                guard !rows.isEmpty else { break }
                var users: [UUID] = []
                var ids: [UUID] = []
                var versions: [Int64] = []
                var changes: [String] = []
                for row in rows {
                    let state = try table.state(from: row)
                    users.append(try row.decode(UUID.self, at: row.count - 1))
                    ids.append(state.id)
                    versions.append(state.version)
                    changes.append(EntityTable.pulledChange(state))
                }
                let written = try await client.execute(
                    """
                    UPDATE \(table.table) AS t SET pulled_change = x.change
                    FROM unnest(\(users)::uuid[], \(ids)::uuid[], \(versions)::int8[], \(changes)::text[])
                         AS x(user_id, id, version, change)
                    WHERE t.user_id = x.user_id AND t.id = x.id AND t.version = x.version AND t.pulled_change IS NULL
                    """)
                filled += written
                // Nothing written: every row read was changed meanwhile by something that leaves no JSON; the next
                // run of this fills them.
                guard written > 0 else { break }
            }
        }
        return filled
    }
}
