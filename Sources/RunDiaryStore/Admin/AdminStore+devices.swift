import Foundation
import Postgres

extension AdminStore {
    /// A device as listed, with its pull position.
    package struct DeviceSummary: Sendable, Hashable, Codable {
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

    /// The user's devices, most recently seen first.
    package func devices(email: String) async throws -> [DeviceSummary] {
        let userID = try await userID(email: email)
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
            return DeviceSummary(
                id: values.0, name: values.1, platform: values.2, createdAt: values.3, lastSeenAt: values.4,
                lastPulledVersion: values.5, lastPulledAt: values.6, revokedAt: values.7, activeTokens: values.8)
        }
    }

    /// Revokes a device and every token bound to it.
    ///
    /// Device ids are chosen by the devices and unique per user only: when several users have this id, the owner
    /// must be named (``AdminError/ambiguousID(kind:id:owners:)``).
    package func revokeDevice(id: UUID, ownerEmail: String? = nil) async throws {
        let owner = try await owner(ofID: id, in: "devices", kind: "device", ownerEmail: ownerEmail)
        guard let owner else { throw AdminError.deviceNotFound(id) }
        try await AccountStore(client: client).revokeDevice(userID: owner, deviceID: id)
    }
}
