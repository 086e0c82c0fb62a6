import Foundation
import Postgres
import RunDiaryModels

/// A read-only view of one user's diary in one scope, inside the transaction ``DiaryExportStore`` opened.
///
/// The time series (runs, pain entries, exercise logs) are read through server-side cursors, ``batchSize`` rows
/// per round trip, in chronological order; only the current batch is in memory. Each `forEach…` call opens and
/// closes its own cursor, so the series can be read as often as an export needs, one at a time.
package struct DiarySnapshot: Sendable {
    /// Rows fetched per round trip. FETCH takes its count as SQL text, not as a parameter, so the count is a literal.
    private static let fetchCount: PostgresQuery = "500"
    package static let batchSize = Int(fetchCount.sql)!

    let connection: PostgresConnection
    package let scope: ExportScope

    init(connection: PostgresConnection, scope: ExportScope) {
        self.connection = connection
        self.scope = scope
    }

    var fromText: String? { scope.from?.description }
    var toText: String? { scope.to?.description }

    /// The diary owner's display name.
    package func ownerName() async throws -> String {
        let row = try await connection.query("SELECT display_name FROM users WHERE id = \(scope.userID)").single()
        return try row.decode(String.self, at: 0)
    }

    /// Declares a cursor with `declare` (which names it `cursor`), hands each row to `body`, then closes it.
    func forEachRow(
        cursor: PostgresIdentifier, declare: PostgresQuery, _ body: (PostgresRow) async throws -> Void
    ) async throws {
        try await connection.execute(declare)
        while true {
            let rows = try await connection.query("FETCH \(Self.fetchCount) FROM \(cursor)")
            for row in rows {
                try await body(row)
            }
            if rows.count < Self.batchSize { break }
        }
        try await connection.execute("CLOSE \(cursor)")
    }
}

extension Timestamp {
    /// A stored instant with the offset it was written with (UTC when unknown).
    init(stored date: Date, offset: Int32?) {
        self.init(date, utcOffsetSeconds: offset ?? 0)
    }
}
