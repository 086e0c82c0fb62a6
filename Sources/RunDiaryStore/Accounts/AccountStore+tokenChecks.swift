import Foundation
import Postgres

extension AccountStore {
    /// Which of these tokens (their ids) are no longer valid (revoked, their device revoked, their user disabled or erased), in one
    /// query whatever their number: how long-lived connections (live streams) learn that their holder signed out.
    package func invalidTokens(among tokens: [(userID: UUID, tokenID: UUID)]) async throws -> Set<UUID> {
        guard !tokens.isEmpty else { return [] }
        let rows = try await client.query(
            """
            SELECT s.id FROM unnest(\(tokens.map(\.userID)), \(tokens.map(\.tokenID))) AS s(user_id, id)
            WHERE NOT EXISTS (SELECT 1 FROM valid_tokens t WHERE t.user_id = s.user_id AND t.id = s.id)
            """)
        return Set(try rows.map { try $0.decode(UUID.self, at: 0) })
    }
}
