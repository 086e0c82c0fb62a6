import Foundation
import Postgres
import RunDiaryModels

/// Reads one user's diary for exports, a batch at a time.
package struct DiaryExportStore: Sendable {
    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// Runs `body` with a consistent, read-only view of the diary in `scope`.
    ///
    /// Everything `body` reads comes from one snapshot (one REPEATABLE READ transaction), so a report that reads
    /// the diary twice (aggregates first, then the detail tables) sees the same records both times. The transaction
    /// is never retried: `body` streams to a client and cannot be repeated.
    package func withSnapshot<Result>(
        of scope: ExportScope, _ body: (DiarySnapshot) async throws -> Result
    ) async throws -> Result {
        try await client.withTransaction(isolation: .repeatableRead, maxAttempts: 1) { connection in
            try await connection.execute("SET TRANSACTION READ ONLY")
            return try await body(DiarySnapshot(connection: connection, scope: scope))
        }
    }
}
