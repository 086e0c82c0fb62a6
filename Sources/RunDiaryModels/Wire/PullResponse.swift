/// Response to a pull: records changed since the cursor, in version order.
public struct PullResponse: Codable, Hashable, Sendable {
    /// The changed records.
    public var changes: [Change]
    /// Opaque position to send with the next pull.
    public var cursor: String
    /// Whether more changes are waiting; pull again with `cursor` at once.
    public var hasMore: Bool
    /// The server's clock, for the device's `HybridLogicalClock.receive(_:)`.
    public var serverHLC: HLC

    public init(changes: [Change], cursor: String, hasMore: Bool, serverHLC: HLC) {
        self.changes = changes
        self.cursor = cursor
        self.hasMore = hasMore
        self.serverHLC = serverHLC
    }

    enum CodingKeys: String, CodingKey {
        case changes, cursor
        case hasMore = "has_more"
        case serverHLC = "server_hlc"
    }
}
