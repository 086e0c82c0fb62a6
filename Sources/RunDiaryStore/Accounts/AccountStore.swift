import Foundation
import Postgres

/// Users, devices and API tokens.
package struct AccountStore: Sendable {
    package struct User: Sendable, Hashable {
        package let id: UUID
        package let email: String
        package let displayName: String
        package let createdAt: Date
        package let disabledAt: Date?
    }

    /// A device as its owner (`GET /v1/devices`) and the operator (`rundiary device list`) see it, with its pull
    /// position.
    package struct Device: Sendable, Hashable, Codable {
        package let id: UUID
        package let name: String
        package let platform: String
        package let createdAt: Date
        package let lastSeenAt: Date?
        /// The version up to which the device has pulled; nil when it has pulled nothing.
        package let lastPulledVersion: Int64?
        package let lastPulledAt: Date?
        package let revokedAt: Date?
        /// Tokens bound to the device and not revoked.
        package let activeTokens: Int
    }

    /// The holder of a valid API token.
    package struct TokenOwner: Sendable, Hashable {
        package let userID: UUID
        package let deviceID: UUID
        package let tokenID: UUID

        package init(userID: UUID, deviceID: UUID, tokenID: UUID) {
            self.userID = userID
            self.deviceID = deviceID
            self.tokenID = tokenID
        }
    }

    package enum AccountError: Error, Sendable, Equatable {
        case emailTaken
    }

    let client: PostgresClient

    package init(client: PostgresClient) {
        self.client = client
    }

    /// Creates a user; throws ``AccountError/emailTaken`` when the email (case-insensitively) has an account.
    package func createUser(email: String, passwordHash: String?, displayName: String) async throws -> User {
        let id = UUID()
        do {
            let row = try await client.query(
                """
                INSERT INTO users (id, email, password_hash, display_name) VALUES (\(id), \(email), \(passwordHash), \(displayName))
                RETURNING created_at
                """
            ).single()
            return User(
                id: id, email: email, displayName: displayName, createdAt: try row.decode(Date.self, at: 0), disabledAt: nil)
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AccountError.emailTaken
        }
    }

    /// The user with this email (case-insensitive) and their password hash.
    package func user(email: String) async throws -> (user: User, passwordHash: String?)? {
        try await signInCandidate(email: email, deviceID: nil).map { ($0.user, $0.passwordHash) }
    }

    /// What a login needs to know about an email, in one query whether the email exists or not: the user, their
    /// password hash, and whether `deviceID` is a device of theirs that signed in before and is not revoked.
    package func signInCandidate(email: String, deviceID: UUID?) async throws
        -> (user: User, passwordHash: String?, deviceIsKnown: Bool)?
    {
        let rows = try await client.queryByKey(
            """
            SELECT u.id, u.email, u.display_name, u.created_at, u.disabled_at, u.password_hash,
                   EXISTS (SELECT 1 FROM devices d WHERE d.user_id = u.id AND d.id = \(deviceID) AND d.revoked_at IS NULL)
            FROM users u WHERE lower(u.email) = lower(\(email))
            """)
        guard let row = rows.first else { return nil }
        let (id, email, name, created, disabled, hash, known) = try row.decode(
            (UUID, String, String, Date, Date?, String?, Bool).self)
        return (User(id: id, email: email, displayName: name, createdAt: created, disabledAt: disabled), hash, known)
    }

    /// Registers (or re-registers) a device and issues a token bound to it; returns the token text, shown once.
    package func issueToken(userID: UUID, deviceID: UUID, deviceName: String, platform: String, label: String = "")
        async throws -> (token: AccessToken, tokenID: UUID)
    {
        let token = AccessToken.generate(.api)
        let tokenID = UUID()
        try await client.withTransaction { connection in
            try await connection.execute(
                """
                INSERT INTO devices (user_id, id, name, platform, last_seen_at) VALUES (\(userID), \(deviceID), \(deviceName), \(platform), now())
                ON CONFLICT (user_id, id) DO UPDATE
                SET name = EXCLUDED.name, platform = EXCLUDED.platform, last_seen_at = now(), revoked_at = NULL
                """)
            try await connection.execute(
                """
                INSERT INTO tokens (user_id, id, device_id, token_hash, label)
                VALUES (\(userID), \(tokenID), \(deviceID), \(token.hash), \(label))
                """)
        }
        return (token, tokenID)
    }

    /// The owner of a presented token, if it is valid: not revoked, its device not revoked, its user not disabled (the
    /// `valid_tokens` view, migration 0009).
    package func owner(ofToken text: String) async throws -> TokenOwner? {
        try await owner(ofToken: text, metering: nil)?.owner
    }

    /// The owner of a presented token, as ``owner(ofToken:)``, and whether the owner's request ``RequestRate`` allows
    /// this request: `retryAfter` is nil when it does, else the whole seconds until it will.
    package func owner(ofToken text: String, metering rate: RequestRate?) async throws
        -> (owner: TokenOwner, retryAfter: Int?)?
    {
        guard AccessToken.looksValid(text, kind: .api) else { return nil }
        return try await owner(ofTokenHash: AccessToken.hash(text), metering: rate)
    }

    /// The owner of the token with this hash (``AccessToken/hash``), as ``owner(ofToken:metering:)``: the token's
    /// check (``TokenCheck``) alone, in one statement.
    ///
    /// The allowance is kept in PostgreSQL, so every server instance draws on the same one, and it is taken in the
    /// very statement that looks the token up: metering costs no round trip. The statement commits without waiting
    /// for a WAL flush (``PostgresQuery/commitsWithoutFlush``): reading the token's rows may prune dead row versions of
    /// `devices` (every pull updates its device's row), which is logged: in a sync tick, 8 of 13 samples of a
    /// running check (`pg_stat_activity`) found it waiting for the WAL flush.
    package func owner(ofTokenHash hash: Data, metering rate: RequestRate?) async throws
        -> (owner: TokenOwner, retryAfter: Int?)?
    {
        let wait: PostgresQuery =
            if let rate {
                "CASE WHEN EXISTS (SELECT 1 FROM taken) THEN NULL ELSE \(TokenCheck.secondsToWait(rate)) END"
            } else {
                "NULL::float8"
            }
        let rows = try await client.queryByKey(
            """
            WITH \(TokenCheck.clauses(tokenHash: hash, rate: rate))
            SELECT o.user_id, o.device_id, o.id, o.stale, \(wait)
            FROM owner o CROSS JOIN \(PostgresQuery.commitsWithoutFlush)
            """)
        guard let row = rows.first else { return nil }
        let (userID, deviceID, tokenID, stale, seconds) = try row.decode((UUID, UUID, UUID, Bool, Double?).self)
        if stale {
            _ = try await client.queryByKey(TokenCheck.touch(userID: userID, deviceID: deviceID, tokenID: tokenID))
        }
        return (TokenOwner(userID: userID, deviceID: deviceID, tokenID: tokenID), seconds.map(TokenCheck.retryAfter(seconds:)))
    }

    /// Revokes one token of a user.
    @discardableResult
    package func revokeToken(userID: UUID, tokenID: UUID) async throws -> Bool {
        try await client.execute(
            "UPDATE tokens SET revoked_at = now() WHERE user_id = \(userID) AND id = \(tokenID) AND revoked_at IS NULL"
        ) > 0
    }

    /// The user's devices, most recently seen first.
    package func devices(userID: UUID) async throws -> [Device] {
        let rows = try await client.query(
            """
            SELECT d.id, d.name, d.platform, d.created_at, d.last_seen_at, d.last_pulled_version, d.last_pulled_at,
                   d.revoked_at,
                   (SELECT count(*) FROM tokens t WHERE t.user_id = d.user_id AND t.device_id = d.id AND t.revoked_at IS NULL)
            FROM devices d WHERE d.user_id = \(userID)
            ORDER BY d.last_seen_at DESC NULLS LAST, d.created_at DESC
            """)
        return try rows.map { row in
            let values = try row.decode((UUID, String, String, Date, Date?, Int64?, Date?, Date?, Int).self)
            return Device(
                id: values.0, name: values.1, platform: values.2, createdAt: values.3, lastSeenAt: values.4,
                lastPulledVersion: values.5, lastPulledAt: values.6, revokedAt: values.7, activeTokens: values.8)
        }
    }

    /// Revokes a device and every token bound to it; false when the user has no such device.
    @discardableResult
    package func revokeDevice(userID: UUID, deviceID: UUID) async throws -> Bool {
        try await client.withTransaction { connection in
            let found = try await connection.execute(
                "UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = \(userID) AND id = \(deviceID)")
            try await connection.execute(
                """
                UPDATE tokens SET revoked_at = now()
                WHERE user_id = \(userID) AND device_id = \(deviceID) AND revoked_at IS NULL
                """)
            return found > 0
        }
    }
}
