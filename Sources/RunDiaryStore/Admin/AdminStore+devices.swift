import Foundation
import Postgres

extension AdminStore {
    /// The user's devices, most recently seen first.
    package func devices(email: String) async throws -> [AccountStore.Device] {
        try await AccountStore(client: client).devices(userID: userID(email: email))
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
