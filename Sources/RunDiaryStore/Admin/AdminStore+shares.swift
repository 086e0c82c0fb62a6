import Foundation
import Postgres

extension AdminStore {
    /// A share link as listed: never its token or hash.
    package struct ShareSummary: Sendable, Hashable, Codable {
        package enum State: String, Sendable, Codable {
            case active, expired, revoked
            /// Its `max_views` are used up.
            case exhausted
        }

        package let id: UUID
        package let userID: UUID
        package let email: String
        package let label: String
        package let createdAt: Date
        package let expiresAt: Date?
        package let revokedAt: Date?
        package let maxViews: Int?
        package let views: Int
        package let state: State
    }

    /// Share links of one user (by email) or of everyone, newest first.
    package func shares(email: String? = nil) async throws -> [ShareSummary] {
        guard try await tableExists("shares") else { throw AdminError.sharesUnavailable }
        var userID: UUID? = nil
        if let email { userID = try await self.userID(email: email) }
        let rows = try await client.query(
            """
            SELECT s.id, s.user_id, u.email, s.label, s.created_at, s.expires_at, s.revoked_at, s.max_views, s.views,
                   CASE WHEN s.revoked_at IS NOT NULL THEN 'revoked'
                        WHEN s.expires_at <= now() THEN 'expired'
                        WHEN s.max_views IS NOT NULL AND s.views >= s.max_views THEN 'exhausted'
                        ELSE 'active' END
            FROM shares s JOIN users u ON u.id = s.user_id
            WHERE \(userID)::uuid IS NULL OR s.user_id = \(userID)::uuid
            ORDER BY s.created_at DESC, s.id
            """)
        return try rows.map { row in
            let values = try row.decode((UUID, UUID, String, String, Date, Date?, Date?, Int?, Int, String).self)
            return ShareSummary(
                id: values.0, userID: values.1, email: values.2, label: values.3, createdAt: values.4,
                expiresAt: values.5, revokedAt: values.6, maxViews: values.7, views: values.8,
                state: ShareSummary.State(rawValue: values.9) ?? .active)
        }
    }

    /// Revokes a share link at once; false when it was revoked already.
    @discardableResult
    package func revokeShare(id: UUID, ownerEmail: String? = nil) async throws -> Bool {
        guard try await tableExists("shares") else { throw AdminError.sharesUnavailable }
        let owner = try await owner(ofID: id, in: "shares", kind: "share link", ownerEmail: ownerEmail)
        guard let owner else { throw AdminError.shareNotFound(id) }
        return try await client.execute(
            "UPDATE shares SET revoked_at = now() WHERE user_id = \(owner) AND id = \(id) AND revoked_at IS NULL") > 0
    }
}
