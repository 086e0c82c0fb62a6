import Foundation
import Logging
import Postgres

/// Erasure of everything a user has (GDPR Art. 17): every row in every table that names the user, in one
/// transaction, users last.
///
/// The tables are found in the catalog, not listed here, so that a table a later migration adds is erased too:
/// every base table of the public schema with a `user_id` column, and every column with a foreign key to `users`.
/// Rows are deleted children first, in foreign-key order (tokens before devices, share accesses before shares).
/// Every table and column name must be a plain lowercase identifier (``PostgresIdentifier``), as all of RunDiary's
/// are; a name that is not stops the erasure, which then removes nothing.
package struct Erasure: Sendable {
    /// What was (or, in a dry run, would be) removed.
    package struct Report: Sendable, Hashable, Codable {
        package let userID: UUID
        package let email: String
        package let dryRun: Bool
        /// In deletion order; tables without rows of the user are included with 0.
        package let tables: [TableCount]
        package var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }
    }

    /// A column that holds a user's id.
    struct UserColumn: Hashable {
        let table: String
        let column: String
    }

    let client: PostgresClient
    let logger: Logger

    package init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Erases the user with this email, or with `dryRun` counts what would go and changes nothing.
    package func erase(email: String, dryRun: Bool) async throws -> Report {
        let report = try await client.withTransaction { connection in
            let rows = try await connection.query(
                "SELECT id, email FROM users WHERE lower(email) = lower(\(email)) FOR UPDATE")
            guard let row = rows.first else { throw AdminError.userNotFound(email: email) }
            let (userID, storedEmail) = try row.decode((UUID, String).self)
            var counts: [TableCount] = []
            for (table, columns) in try await Self.deletionOrder(on: connection) {
                counts.append(
                    TableCount(
                        table: table,
                        rows: try await remove(userID, from: table, columns: columns, dryRun: dryRun, on: connection)))
            }
            return Report(userID: userID, email: storedEmail, dryRun: dryRun, tables: counts)
        }
        if !dryRun {
            logger.notice("user erased", metadata: ["user_id": "\(report.userID)", "rows": "\(report.totalRows)"])
        }
        return report
    }

    private func remove(
        _ userID: UUID, from table: String, columns: [String], dryRun: Bool, on connection: PostgresConnection
    ) async throws -> Int {
        // Names come from the database catalog, never from input; each must be a plain identifier.
        let name = try PostgresIdentifier(validating: table)
        let condition = try columns.map { column -> PostgresQuery in
            "\(try PostgresIdentifier(validating: column)) = \(userID)"
        }.joined(separator: " OR ")
        if dryRun {
            return try await connection.query("SELECT count(*) FROM \(name) WHERE \(condition)").single().decode(Int.self, at: 0)
        }
        return try await connection.execute("DELETE FROM \(name) WHERE \(condition)")
    }

    /// Every table holding user ids with its user-id columns, children before parents, `users` (by `id`) last.
    static func deletionOrder(on connection: PostgresConnection) async throws -> [(table: String, columns: [String])] {
        let columnRows = try await connection.query(
            """
            SELECT c.table_name::text, c.column_name::text
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = 'public' AND c.column_name = 'user_id'
            UNION
            SELECT child.relname::text, a.attname::text
            FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = child.relnamespace
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
            WHERE k.contype = 'f' AND n.nspname = 'public' AND k.confrelid = 'public.users'::regclass
              AND cardinality(k.conkey) = 1 AND k.conrelid <> k.confrelid
            """)
        var columns: [String: [String]] = [:]
        for row in columnRows {
            let (table, column) = try row.decode((String, String).self)
            columns[table, default: []].append(column)
        }
        columns["users"] = ["id"]

        let edgeRows = try await connection.query(
            """
            SELECT child.relname::text, parent.relname::text
            FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid
            JOIN pg_class parent ON parent.oid = k.confrelid
            JOIN pg_namespace n ON n.oid = child.relnamespace
            WHERE k.contype = 'f' AND n.nspname = 'public' AND k.conrelid <> k.confrelid
            """)
        var referencedBy: [String: Set<String>] = [:]
        for row in edgeRows {
            let (child, parent) = try row.decode((String, String).self)
            guard columns[child] != nil, columns[parent] != nil else { continue }
            referencedBy[parent, default: []].insert(child)
        }
        return order(Set(columns.keys), referencedBy: referencedBy).map { ($0, columns[$0]!.sorted()) }
    }

    /// Kahn's algorithm, children first: a table comes once every table referencing it is placed. Ties go by name so
    /// that reports are stable; a cycle (none in RunDiary's schema) is placed by name, and its foreign keys decide.
    static func order(_ tables: Set<String>, referencedBy: [String: Set<String>]) -> [String] {
        var placed: [String] = []
        var remaining = tables
        while !remaining.isEmpty {
            let ready = remaining.filter { referencedBy[$0, default: []].isDisjoint(with: remaining) }.sorted()
            let next = ready.isEmpty ? remaining.sorted() : ready
            placed.append(contentsOf: next)
            remaining.subtract(next)
        }
        return placed
    }
}
