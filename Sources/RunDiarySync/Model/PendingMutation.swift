import Foundation
import RunDiaryModels

/// An edit waiting in the outbox: the mutation exactly as it will be pushed, with its id and clock.
public struct PendingMutation: Hashable, Sendable {
    public let mutation: Mutation
    /// When the edit was made, by this device's clock.
    public let queuedAt: Date
    /// Whether the server has acknowledged it (it stays until a pull has brought back its effect).
    public let isAcknowledged: Bool

    public init(mutation: Mutation, queuedAt: Date, isAcknowledged: Bool) {
        self.mutation = mutation
        self.queuedAt = queuedAt
        self.isAcknowledged = isAcknowledged
    }
}
