import Foundation

/// `POST /v1/auth/login`'s answer: the device's API token and whose it is.
public struct LoginResponse: Codable, Hashable, Sendable {
    public var token: String
    public var userID: UUID
    public var deviceID: UUID

    public init(token: String, userID: UUID, deviceID: UUID) {
        self.token = token
        self.userID = userID
        self.deviceID = deviceID
    }

    enum CodingKeys: String, CodingKey {
        case token
        case userID = "user_id"
        case deviceID = "device_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(token, forKey: .token)
        try container.encode(userID.uuidString.lowercased(), forKey: .userID)
        try container.encode(deviceID.uuidString.lowercased(), forKey: .deviceID)
    }
}
