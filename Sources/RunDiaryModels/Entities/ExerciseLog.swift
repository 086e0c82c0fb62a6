import Foundation

/// A record of doing, partly doing, or skipping a plan item once.
public struct ExerciseLog: DiaryRecord {
    public static let entity = EntityKind.exerciseLog

    public var id: UUID
    public var planItemID: UUID
    public var performedAt: Timestamp
    public var status: ExerciseStatus
    public var setsDone: Int?
    public var repsDone: Int?
    public var load: Double?
    /// Pain during the exercise, 0 … 10.
    public var painDuring: Int?
    public var notes: String?

    public init(id: UUID = UUID(), planItemID: UUID, performedAt: Timestamp, status: ExerciseStatus) {
        self.id = id
        self.planItemID = planItemID
        self.performedAt = performedAt
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case id, status, load, notes
        case planItemID = "plan_item_id"
        case performedAt = "performed_at"
        case setsDone = "sets_done"
        case repsDone = "reps_done"
        case painDuring = "pain_during"
    }
}
