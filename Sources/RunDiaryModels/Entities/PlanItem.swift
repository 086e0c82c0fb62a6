import Foundation

/// One prescription in a plan: a run session or an exercise with its dose and weekly schedule.
public struct PlanItem: DiaryRecord {
    public static let entity = EntityKind.planItem

    public var id: UUID
    public var planID: UUID
    public var kind: PlanItemKind
    /// The exercise's name, such as "Split squat"; not blank.
    public var exercise: String
    public var instructions: String?
    public var sets: Int?
    public var reps: Int?
    /// Hold time per repetition in seconds.
    public var holdSeconds: Int?
    public var load: Double?
    public var loadUnit: LoadUnit?
    /// Target RPE on the Borg CR10 scale.
    public var targetRPE: Double?
    /// Scheduled days; no repeats.
    public var daysOfWeek: [Weekday]?
    public var timesPerWeek: Int?
    /// Sort position within the plan.
    public var position: Int?

    public init(id: UUID = UUID(), planID: UUID, kind: PlanItemKind, exercise: String) {
        self.id = id
        self.planID = planID
        self.kind = kind
        self.exercise = exercise
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, exercise, instructions, sets, reps, load, position
        case planID = "plan_id"
        case holdSeconds = "hold_s"
        case loadUnit = "load_unit"
        case targetRPE = "target_rpe"
        case daysOfWeek = "days_of_week"
        case timesPerWeek = "times_per_week"
    }
}
