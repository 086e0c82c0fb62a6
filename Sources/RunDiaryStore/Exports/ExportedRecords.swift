import Foundation
import RunDiaryModels

/// A run as exported, with what the export needs to know about the pain that followed it.
package struct ExportedRun: Sendable {
    package let run: Run
    /// Whether a pain entry in scope (severity ≥ 1, during the run or after it) refers to this run.
    package let painFollowed: Bool
}

/// A pain entry as exported, with the surface of the run it followed when that run is in scope.
package struct ExportedPainEntry: Sendable {
    package let entry: PainEntry
    /// Whether ``PainEntry/runID`` names a run that is in the same export (so a reference to it resolves).
    package let runInScope: Bool
    /// The surface of the run the pain followed, when that run is in scope.
    package let runSurface: Surface?
    /// Whether the run the pain followed was indoors, when that run is in scope.
    package let runIsIndoor: Bool?
    /// The distance of the run the pain followed, when that run is in scope.
    package let runDistanceMeters: Double?
}

/// A plan with its items.
package struct ExportedPlan: Sendable {
    package let plan: Plan
    /// The plan's items in their display order; empty when plan items are not in scope.
    package let items: [PlanItem]
}

/// An exercise log with the exercise and plan it belongs to, when those are in scope.
package struct ExportedExerciseLog: Sendable {
    package let log: ExerciseLog
    /// The plan item's exercise name, when the plan item is in scope.
    package let exercise: String?
    /// The plan the exercise belongs to, when that plan is in scope.
    package let planID: UUID?
}
