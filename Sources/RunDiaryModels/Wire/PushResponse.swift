/// Response to a push: one verdict per mutation, in request order.
public struct PushResponse: Codable, Hashable, Sendable {
    /// The verdicts.
    public var results: [MutationResult]
    /// The highest mutation id the server has processed for this device; the device may drop everything up to it.
    public var lastMutationID: Int64
    /// The server's clock, for the device's `HybridLogicalClock.receive(_:)`.
    public var serverHLC: HLC

    public init(results: [MutationResult], lastMutationID: Int64, serverHLC: HLC) {
        self.results = results
        self.lastMutationID = lastMutationID
        self.serverHLC = serverHLC
    }

    enum CodingKeys: String, CodingKey {
        case results
        case lastMutationID = "last_mutation_id"
        case serverHLC = "server_hlc"
    }
}
