/// `POST` body of a push: the device's pending mutations, oldest first.
public struct PushRequest: Codable, Hashable, Sendable {
    /// The wire schema version the client speaks.
    public static let currentSchemaVersion = 1

    /// The wire schema version the client speaks.
    public var schemaVersion: Int
    /// The mutations, in the order the device made them.
    public var mutations: [Mutation]

    public init(schemaVersion: Int = PushRequest.currentSchemaVersion, mutations: [Mutation]) {
        self.schemaVersion = schemaVersion
        self.mutations = mutations
    }

    enum CodingKeys: String, CodingKey {
        case mutations
        case schemaVersion = "schema_version"
    }
}
