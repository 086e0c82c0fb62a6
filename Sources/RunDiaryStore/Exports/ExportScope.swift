import Foundation
import RunDiaryModels

/// What an export covers: one user's records whose local date lies in an inclusive range, of some entity kinds.
///
/// Runs, pain entries and exercise logs are in range by the local date of their timestamp (the instant shifted by
/// the offset it was written with; UTC when the offset is unknown). Plans are in range when their dates overlap the
/// range, plan items with their plan, gear when its time in use overlaps the range. Deleted records never are.
package struct ExportScope: Sendable, Hashable {
    package let userID: UUID
    /// First local date included; `nil` = from the beginning.
    package let from: LocalDate?
    /// Last local date included; `nil` = to the end.
    package let to: LocalDate?
    /// The entity kinds included.
    package let entities: Set<EntityKind>

    package init(userID: UUID, from: LocalDate? = nil, to: LocalDate? = nil, entities: Set<EntityKind> = Set(EntityKind.allCases)) {
        self.userID = userID
        self.from = from
        self.to = to
        self.entities = entities
    }

    /// Whether the scope includes `kind`.
    package func includes(_ kind: EntityKind) -> Bool {
        entities.contains(kind)
    }
}
