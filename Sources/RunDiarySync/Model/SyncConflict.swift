import Foundation
import RunDiaryModels

/// A real conflict on a field this device edited: another device changed it after the version this device had
/// seen. Last-writer-wins already decided it; the losing value is kept here for the runner to review.
public struct SyncConflict: Hashable, Sendable, Identifiable {
    /// A local identifier, for dismissing it.
    public let id: Int64
    /// The mutation of this device that met the conflict.
    public let mutationID: Int64
    public let entity: EntityKind
    public let recordID: UUID
    /// Both values with their clocks, and which won.
    public let conflict: FieldConflict
    public let recordedAt: Date

    public init(id: Int64, mutationID: Int64, entity: EntityKind, recordID: UUID, conflict: FieldConflict, recordedAt: Date) {
        self.id = id
        self.mutationID = mutationID
        self.entity = entity
        self.recordID = recordID
        self.conflict = conflict
        self.recordedAt = recordedAt
    }
}
