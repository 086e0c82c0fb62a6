import Foundation

/// `POST /v1/shares`' answer: the link, shown once (only its hash is stored).
public struct ShareCreated: Codable, Hashable, Sendable {
    public var id: UUID
    public var url: String
    public var expiresAt: Date
    public var label: String

    public init(id: UUID, url: String, expiresAt: Date, label: String) {
        self.id = id
        self.url = url
        self.expiresAt = expiresAt
        self.label = label
    }

    enum CodingKeys: String, CodingKey {
        case id, url, label
        case expiresAt = "expires_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(url, forKey: .url)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(label, forKey: .label)
    }
}
