import Foundation
import RunDiaryModels

/// A share link as its owner sees it: scope, limits and state. The token is not part of it; it is shown once.
public struct Share: Sendable, Hashable {
    public let id: UUID
    public let label: String
    public let from: LocalDate?
    public let to: LocalDate?
    public let include: [EntityKind]
    public let expiresAt: Date
    public let maxViews: Int?
    public let views: Int
    public let revokedAt: Date?
    public let createdAt: Date

    /// The part of `userID`'s diary this share shows.
    public func scope(userID: UUID) -> ExportScope {
        ExportScope(userID: userID, from: from, to: to, entities: Set(include))
    }
}

/// One access through a share link.
public struct ShareAccess: Sendable, Hashable {
    public let id: Int64
    public let accessedAt: Date
    public let format: String
    public let clientAddress: String?
    public let userAgent: String?
}

/// A share link that was presented and accepted: whose diary, and which share.
public struct OpenedShare: Sendable {
    public let userID: UUID
    public let share: Share

    public var scope: ExportScope { share.scope(userID: userID) }
}
