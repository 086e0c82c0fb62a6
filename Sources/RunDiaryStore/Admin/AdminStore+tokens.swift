import Foundation
import Postgres

extension AdminStore {
    /// An API token as listed: never its text or hash.
    package struct TokenSummary: Sendable, Hashable, Codable {
        package let id: UUID
        package let deviceID: UUID
        package let deviceName: String
        package let label: String
        package let createdAt: Date
        package let lastUsedAt: Date?
        package let revokedAt: Date?
    }

    /// A token issued from the command line, with the device created for it; the text is shown once.
    package struct IssuedToken: Sendable {
        package let token: AccessToken
        package let tokenID: UUID
        package let deviceID: UUID
    }

    /// Issues a token for a script or headless client: a new device named `deviceName` with a new id.
    package func issueToken(email: String, deviceName: String) async throws -> IssuedToken {
        let user = try await user(email: email)
        guard user.disabledAt == nil else { throw AdminError.userDisabled(email: user.email) }
        let deviceID = UUID()
        let (token, tokenID) = try await AccountStore(client: client).issueToken(
            userID: user.id, deviceID: deviceID, deviceName: deviceName, platform: "cli", label: "rundiary token issue")
        return IssuedToken(token: token, tokenID: tokenID, deviceID: deviceID)
    }

    /// The user's tokens, newest first.
    package func tokens(email: String) async throws -> [TokenSummary] {
        let userID = try await userID(email: email)
        let rows = try await client.query(
            """
            SELECT t.id, t.device_id, d.name, t.label, t.created_at, t.last_used_at, t.revoked_at
            FROM tokens t JOIN devices d ON d.user_id = t.user_id AND d.id = t.device_id
            WHERE t.user_id = \(userID) ORDER BY t.created_at DESC, t.id
            """)
        return try rows.map { row in
            let values = try row.decode((UUID, UUID, String, String, Date, Date?, Date?).self)
            return TokenSummary(
                id: values.0, deviceID: values.1, deviceName: values.2, label: values.3, createdAt: values.4,
                lastUsedAt: values.5, revokedAt: values.6)
        }
    }

    /// Revokes a token by id; false when it was revoked already.
    @discardableResult
    package func revokeToken(id: UUID, ownerEmail: String? = nil) async throws -> Bool {
        let owner = try await owner(ofID: id, in: "tokens", kind: "token", ownerEmail: ownerEmail)
        guard let owner else { throw AdminError.tokenNotFound(id) }
        return try await AccountStore(client: client).revokeToken(userID: owner, tokenID: id)
    }

    /// The one user holding a row with this id in `table`, nil when nobody does.
    ///
    /// `table` is one of the program's constants (`tokens`, `devices`, `shares`), never input.
    func owner(ofID id: UUID, in table: PostgresIdentifier, kind: String, ownerEmail: String?) async throws -> UUID? {
        let owners = try await client.query("SELECT DISTINCT user_id FROM \(table) WHERE id = \(id)")
            .map { try $0.decode(UUID.self, at: 0) }
        if let ownerEmail {
            let userID = try await userID(email: ownerEmail)
            return owners.contains(userID) ? userID : nil
        }
        guard owners.count <= 1 else { throw AdminError.ambiguousID(kind: kind, id: id, owners: owners.count) }
        return owners.first
    }
}
