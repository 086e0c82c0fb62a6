import Foundation
import RunDiaryModels

/// The database work of one push of a mixed batch, as a pgbench script: the statements of SyncStore+push.swift in
/// one transaction, for per-client users (client n pushes as user `pgbenchUser(n)`), so the row locks match.
///
/// The batch's rows are a fixed JSON literal per script, in exactly the form the store sends; each transaction
/// gives them fresh ids (`gen_random_uuid()`) and versions above the user's counter, so every push inserts new
/// records, as the server's do.
enum PushCeilingScript {
    /// The user of pgbench client `:client_id`, as a SQL expression.
    static let userExpression = "('b0000000-0000-4000-8000-' || lpad((:client_id)::text, 12, '0'))::uuid"
    static let deviceExpression = "('d0000000-0000-4000-8000-' || lpad((:client_id)::text, 12, '0'))::uuid"

    /// Creates the users and devices pgbench clients 0..<clients push as.
    static func seedSQL(clients: Int) -> String {
        """
        INSERT INTO users (id, email, display_name)
        SELECT ('b0000000-0000-4000-8000-' || lpad(c::text, 12, '0'))::uuid, 'pgbench-' || c || '@bench.invalid', ''
        FROM generate_series(0, \(clients - 1)) AS c ON CONFLICT DO NOTHING;
        INSERT INTO devices (user_id, id, name, platform)
        SELECT ('b0000000-0000-4000-8000-' || lpad(c::text, 12, '0'))::uuid,
               ('d0000000-0000-4000-8000-' || lpad(c::text, 12, '0'))::uuid, 'pgbench', 'bench'
        FROM generate_series(0, \(clients - 1)) AS c ON CONFLICT DO NOTHING;
        """
    }

    /// The script for one batch of `records` (the same mix the server is pushed).
    static func script(records: [GeneratedRecord]) -> String {
        let user = userExpression
        let hlc = HLC(physicalMillis: Int64(Date().timeIntervalSince1970 * 1000), counter: 0, node: UUID())
        let idArray = "'{" + records.map(\.id.lowercased).joined(separator: ",") + "}'::uuid[]"
        var lines = [
            "BEGIN;",
            "SELECT version FROM users WHERE id = \(user) FOR UPDATE \\gset",
            "SELECT last_mutation_id FROM devices WHERE user_id = \(user) AND id = \(deviceExpression) FOR UPDATE \\gset",
        ]
        // The store's probe: the user's own records among the batch's ids (primary key), and, per table, whether
        // another user's record has one of the ids of that table's mutations (index on id). New records are in
        // neither, so the store reads no table after it.
        let own = StoreSQL.all.enumerated().map { index, table in
            "SELECT \(index)::int4, id, true FROM \(table.table) WHERE user_id = \(user) AND id = ANY(\(idArray))"
        }
        let foreign = StoreSQL.all.enumerated().map { index, table in
            let ids = records.filter { $0.entity == table.entity }.map(\.id.lowercased)
            return "SELECT \(index)::int4, id, false FROM \(table.table) WHERE id = ANY('{\(ids.joined(separator: ","))}'::uuid[]) "
                + "AND user_id <> \(user)"
        }
        lines.append((own + foreign).joined(separator: " UNION ALL ") + ";")
        for table in StoreSQL.all {
            let rows = records.enumerated().filter { $0.element.entity == table.entity }
            guard !rows.isEmpty else { continue }
            let json = "[" + rows.map { $0.element.rowJSON(version: Int64($0.offset + 1), hlc: hlc) }.joined(separator: ",") + "]"
            let literal = "'" + json.replacingOccurrences(of: "'", with: "''") + "'::jsonb"
            lines.append(
                table.upsertSQL(
                    user: user, rows: literal,
                    replacing: ["id": "gen_random_uuid()", "version": "version + :version"]) + ";")
        }
        lines.append("UPDATE users SET version = :version + \(records.count) WHERE id = \(user);")
        lines.append(
            "UPDATE devices SET last_mutation_id = :last_mutation_id + \(records.count), last_seen_at = now() "
                + "WHERE user_id = \(user) AND id = \(deviceExpression);")
        lines.append("COMMIT;")
        return lines.joined(separator: "\n") + "\n"
    }
}
