import Foundation
import Hummingbird
import RunDiaryStore

/// `GET /v1/devices` and `DELETE /v1/devices/{id}`.
struct DeviceController: Sendable {
    let services: AppServices

    struct DeviceBody: Encodable {
        let id: UUID
        let name: String
        let platform: String
        let createdAt: Date
        let lastSeenAt: Date?
        let lastPulledCursor: String?
        let lastPulledAt: Date?
        let revokedAt: Date?
        let current: Bool

        enum CodingKeys: String, CodingKey {
            case id, name, platform, current
            case createdAt = "created_at"
            case lastSeenAt = "last_seen_at"
            case lastPulledCursor = "last_pulled_cursor"
            case lastPulledAt = "last_pulled_at"
            case revokedAt = "revoked_at"
        }
    }

    struct DeviceList: ResponseEncodable {
        let devices: [DeviceBody]
    }

    var endpoints: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get { _, context in
            let identity = try context.requireIdentity()
            let devices = try await services.accounts.devices(userID: identity.userID)
            let epoch = try await SyncEpoch.current(services.client)
            return DeviceList(
                devices: devices.map {
                    DeviceBody(
                        id: $0.id, name: $0.name, platform: $0.platform, createdAt: $0.createdAt, lastSeenAt: $0.lastSeenAt,
                        lastPulledCursor: $0.lastPulledVersion.map { SyncCursor(epoch: epoch, version: $0).text },
                        lastPulledAt: $0.lastPulledAt, revokedAt: $0.revokedAt, current: $0.id == identity.deviceID)
                })
        }
        routes.delete(":id") { _, context in
            let identity = try context.requireIdentity()
            guard let id = context.parameters.get("id", as: UUID.self) else {
                throw APIError.notFound("No such device.")
            }
            guard try await services.accounts.revokeDevice(userID: identity.userID, deviceID: id) else {
                throw APIError.notFound("No such device.")
            }
            return Response(status: .noContent)
        }
        return routes
    }
}
