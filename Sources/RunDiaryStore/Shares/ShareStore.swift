import Foundation
import Postgres
import RunDiaryModels

/// Share links: creation, listing, revocation, opening by token, and the access log.
package struct ShareStore: Sendable {
    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// What ``share(from:startingAt:)`` reads, of a share aliased `s`.
    private static let columns: PostgresQuery = """
        s.id, s.label, to_char(s.from_date, 'YYYY-MM-DD'), to_char(s.to_date, 'YYYY-MM-DD'), s.include, s.expires_at,
        s.max_views, s.views, s.revoked_at, s.created_at
        """

    /// Creates a share of `userID`'s diary that expires `expiresInHours` from now (by the database's clock) and
    /// returns it with its token, which is stored only as a hash and cannot be shown again.
    package func create(
        userID: UUID, label: String, from: LocalDate?, to: LocalDate?, include: [EntityKind], expiresInHours: Int,
        maxViews: Int?
    ) async throws -> (share: Share, token: AccessToken) {
        let token = AccessToken.generate(.share)
        let id = UUID()
        let row = try await client.query(
            """
            INSERT INTO shares AS s (user_id, id, token_hash, label, from_date, to_date, include, expires_at, max_views)
            VALUES (\(userID), \(id), \(token.hash), \(label), \(from?.description)::date, \(to?.description)::date,
                    \(include), now() + make_interval(hours => \(Int32(expiresInHours))), \(maxViews))
            RETURNING \(Self.columns)
            """
        ).single()
        return (try Self.share(from: row), token)
    }

    /// The user's shares, newest first.
    package func list(userID: UUID) async throws -> [Share] {
        let rows = try await client.query(
            """
            SELECT \(Self.columns)
            FROM shares s WHERE user_id = \(userID) ORDER BY created_at DESC, id
            """)
        return try rows.map { try Self.share(from: $0) }
    }

    /// Revokes a share at once; false when the user has no such share. Revoking twice keeps the first time.
    package func revoke(userID: UUID, shareID: UUID) async throws -> Bool {
        try await client.execute(
            """
            UPDATE shares SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = \(userID) AND id = \(shareID)
            """) == 1
    }

    /// Accepts a presented token and records the access, in one transaction; `nil` for an unknown, revoked,
    /// expired or used-up token, or one whose owner's account is disabled (the caller cannot tell which).
    package func open(token text: String, format: String, clientAddress: String?, userAgent: String?) async throws
        -> OpenedShare?
    {
        try await open(token: text, format: format, clientAddress: clientAddress, userAgent: userAgent) { _, _ in }?.share
    }

    /// Accepts a presented token and records the access, in one transaction; `nil` for an unknown, revoked,
    /// expired or used-up token, or one whose owner's account is disabled (the caller cannot tell which).
    ///
    /// The view is counted by the same UPDATE that checks the limit, so two concurrent requests cannot both take
    /// the last view. `admit` runs inside the transaction once the share is known: when it throws (the server's
    /// export cap), the transaction rolls back, so the refused request neither uses up a view nor is logged.
    package func open<Admission>(
        token text: String, format: String, clientAddress: String?, userAgent: String?,
        admit: (_ userID: UUID, _ shareID: UUID) throws -> Admission
    ) async throws -> (share: OpenedShare, admission: Admission)? {
        guard AccessToken.looksValid(text, kind: .share) else { return nil }
        let hash = AccessToken.hash(text)
        return try await client.withTransaction { connection in
            let rows = try await connection.query(
                """
                UPDATE shares s SET views = s.views + 1
                FROM users u
                WHERE s.token_hash = \(hash) AND u.id = s.user_id AND u.disabled_at IS NULL
                  AND s.revoked_at IS NULL AND s.expires_at > now() AND (s.max_views IS NULL OR s.views < s.max_views)
                RETURNING s.user_id, \(Self.columns)
                """)
            guard let row = rows.first else { return nil }
            let userID = try row.decode(UUID.self, at: 0)
            let share = try Self.share(from: row, startingAt: 1)
            let admission = try admit(userID, share.id)
            try await connection.execute(
                """
                INSERT INTO share_accesses (user_id, share_id, format, client_address, user_agent)
                VALUES (\(userID), \(share.id), \(format), \(clientAddress.map { String($0.prefix(100)) }),
                        \(userAgent.map { String($0.prefix(500)) }))
                """)
            return (OpenedShare(userID: userID, share: share), admission)
        }
    }

    /// Every access through one of the user's shares, oldest first; `nil` when the user has no such share.
    package func accesses(userID: UUID, shareID: UUID) async throws -> [ShareAccess]? {
        let exists = try await client.query("SELECT 1 FROM shares WHERE user_id = \(userID) AND id = \(shareID)")
        guard !exists.isEmpty else { return nil }
        let rows = try await client.query(
            """
            SELECT id, accessed_at, format, client_address, user_agent FROM share_accesses
            WHERE user_id = \(userID) AND share_id = \(shareID) ORDER BY accessed_at, id
            """)
        return try rows.map { row in
            let (id, at, format, address, agent) = try row.decode((Int64, Date, String, String?, String?).self)
            return ShareAccess(id: id, accessedAt: at, format: format, clientAddress: address, userAgent: agent)
        }
    }

    static func share(from row: PostgresRow, startingAt first: Int = 0) throws -> Share {
        var column = first
        func next<Value: PostgresDecodable>(_: Value.Type = Value.self) throws -> Value {
            defer { column += 1 }
            return try row.decode(Value.self, at: column)
        }
        return Share(
            id: try next(), label: try next(), from: try next(String?.self).flatMap(LocalDate.init),
            to: try next(String?.self).flatMap(LocalDate.init),
            include: try next([String].self).compactMap(EntityKind.init(rawValue:)), expiresAt: try next(),
            maxViews: try next(), views: try next(), revokedAt: try next(), createdAt: try next())
    }
}
