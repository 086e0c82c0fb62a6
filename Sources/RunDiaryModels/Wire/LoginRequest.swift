import Foundation

/// `POST /v1/auth/login`'s body: the account's credentials and the device that signs in with its own id.
public struct LoginRequest: Codable, Hashable, Sendable {
    /// The device signing in; its id is the node of every clock it issues.
    public struct Device: Codable, Hashable, Sendable {
        public var id: UUID
        public var name: String
        /// Such as `ios`; the server stores an empty platform when none is given.
        public var platform: String?

        public init(id: UUID, name: String, platform: String?) {
            self.id = id
            self.name = name
            self.platform = platform
        }

        enum CodingKeys: String, CodingKey {
            case id, name, platform
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id.uuidString.lowercased(), forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(platform, forKey: .platform)
        }
    }

    public var email: String
    public var password: String
    public var device: Device

    public init(email: String, password: String, device: Device) {
        self.email = email
        self.password = password
        self.device = device
    }
}
