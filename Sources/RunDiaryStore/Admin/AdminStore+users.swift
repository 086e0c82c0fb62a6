import Foundation
import Postgres

extension AdminStore {
    /// One account as the administrator sees it.
    package struct UserSummary: Sendable, Hashable, Codable {
        package let id: UUID
        package let email: String
        package let displayName: String
        package let createdAt: Date
        package let disabledAt: Date?
        /// Whether the account has a password (without one it cannot log in).
        package let hasPassword: Bool
        /// The user's change counter.
        package let version: Int64
        package let prunedThrough: Int64
        /// Devices not revoked.
        package let activeDevices: Int
        /// The most recent time any of the user's devices was seen.
        package let lastSeenAt: Date?
    }

    /// One account with what it holds.
    package struct UserDetail: Sendable, Hashable, Codable {
        package let user: UserSummary
        package let records: [RecordCount]
        /// Tokens not revoked.
        package let activeTokens: Int
        /// Share links not revoked and not expired; nil when the database has no share links.
        package let activeShares: Int?
    }

    private static let summaryColumns: PostgresQuery = """
        SELECT u.id, u.email, u.display_name, u.created_at, u.disabled_at, u.password_hash IS NOT NULL, u.version,
               u.pruned_through,
               (SELECT count(*) FROM devices d WHERE d.user_id = u.id AND d.revoked_at IS NULL),
               (SELECT max(d.last_seen_at) FROM devices d WHERE d.user_id = u.id)
        FROM users u
        """

    /// Every user, oldest account first.
    package func users() async throws -> [UserSummary] {
        let rows = try await client.query("\(Self.summaryColumns) ORDER BY u.created_at, u.email")
        return try rows.map(Self.summary)
    }

    /// The user with this email.
    package func user(email: String) async throws -> UserSummary {
        let rows = try await client.query("\(Self.summaryColumns) WHERE lower(u.email) = lower(\(email))")
        guard let row = rows.first else { throw AdminError.userNotFound(email: email) }
        return try Self.summary(row)
    }

    /// The user with this email, with counts of records, tokens and share links.
    package func userDetail(email: String) async throws -> UserDetail {
        let user = try await user(email: email)
        let tokens = try await client.query(
            "SELECT count(*) FROM tokens WHERE user_id = \(user.id) AND revoked_at IS NULL"
        ).single().decode(Int.self, at: 0)
        var shares: Int? = nil
        if try await tableExists("shares") {
            shares = try await client.query(
                """
                SELECT count(*) FROM shares
                WHERE user_id = \(user.id) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
                """
            ).single().decode(Int.self, at: 0)
        }
        return UserDetail(
            user: user, records: try await recordCounts(userID: user.id), activeTokens: tokens, activeShares: shares)
    }

    /// Creates an account; without a password hash it cannot log in until one is set.
    package func addUser(email: String, passwordHash: String?, displayName: String = "") async throws -> UserSummary {
        do {
            _ = try await AccountStore(client: client).createUser(
                email: email, passwordHash: passwordHash, displayName: displayName)
        } catch AccountStore.AccountError.emailTaken {
            throw AdminError.emailTaken(email: email)
        }
        return try await user(email: email)
    }

    /// Disables or enables an account; returns false when it already was in that state.
    ///
    /// A disabled user's tokens are refused at once (``AccountStore/owner(ofToken:)`` checks `disabled_at`), and so
    /// are their share links; nothing is deleted, so enabling restores everything.
    @discardableResult
    package func setDisabled(email: String, _ disabled: Bool) async throws -> Bool {
        let id = try await userID(email: email)
        let changed =
            disabled
            ? try await client.execute(
                "UPDATE users SET disabled_at = now(), updated_at = now() WHERE id = \(id) AND disabled_at IS NULL")
            : try await client.execute(
                "UPDATE users SET disabled_at = NULL, updated_at = now() WHERE id = \(id) AND disabled_at IS NOT NULL")
        return changed > 0
    }

    private static func summary(_ row: PostgresRow) throws -> UserSummary {
        let values = try row.decode((UUID, String, String, Date, Date?, Bool, Int64, Int64, Int, Date?).self)
        return UserSummary(
            id: values.0, email: values.1, displayName: values.2, createdAt: values.3, disabledAt: values.4,
            hasPassword: values.5, version: values.6, prunedThrough: values.7, activeDevices: values.8,
            lastSeenAt: values.9)
    }
}
