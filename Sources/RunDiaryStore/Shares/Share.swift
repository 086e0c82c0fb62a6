import Foundation
import RunDiaryModels

/// A share link as its owner sees it: scope, limits and state. The token is not part of it; it is shown once.
package struct Share: Sendable, Hashable {
    package let id: UUID
    package let label: String
    package let from: LocalDate?
    package let to: LocalDate?
    package let include: [EntityKind]
    package let expiresAt: Date
    package let maxViews: Int?
    package let views: Int
    package let revokedAt: Date?
    package let createdAt: Date

    /// The part of `userID`'s diary this share shows.
    package func scope(userID: UUID) -> ExportScope {
        ExportScope(userID: userID, from: from, to: to, entities: Set(include))
    }
}

/// One access through a share link.
package struct ShareAccess: Sendable, Hashable {
    package let id: Int64
    package let accessedAt: Date
    package let format: String
    package let clientAddress: String?
    package let userAgent: String?
}

/// A share link that was presented and accepted: whose diary, and which share.
package struct OpenedShare: Sendable {
    package let userID: UUID
    package let share: Share

    package var scope: ExportScope { share.scope(userID: userID) }
}
