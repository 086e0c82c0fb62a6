import Foundation
import RunDiaryModels
import RunDiaryStore

/// A logged home exercise as a FHIR R4 Procedure based on the plan's CarePlan.
///
/// A Procedure records an action that was (or was not) performed, which is what a log is: `status` is
/// `completed` or `not-done` (skipped), `basedOn` names the CarePlan that prescribed it, and the pain felt during
/// it becomes a separate pain Observation that is `partOf` this Procedure.
enum ExerciseProcedure {
    static func resource(_ exported: ExportedExerciseLog, patient: String) -> OrderedJSON {
        let log = exported.log
        var done: [String] = []
        if let sets = log.setsDone { done.append("\(sets) sets") }
        if let reps = log.repsDone { done.append("\(reps) reps") }
        if let load = log.load { done.append("load \(NumberText.format(load))") }
        var notes: [OrderedJSON] = []
        if !done.isEmpty { notes.append(["text": .string("Done: " + done.joined(separator: ", ") + ".")]) }
        if let text = log.notes { notes.append(["text": .string(text)]) }
        let statusReason: OrderedJSON =
            switch log.status {
            case .partial: ["text": "Partially done"]
            case .skipped: ["text": "Skipped"]
            default: .null
            }
        return [
            "resourceType": "Procedure",
            "id": .string(log.id.uuidString.lowercased()),
            "basedOn": .array(exported.planID.map { [["reference": .string(FHIRBundleWriter.reference($0))]] } ?? []),
            "status": .string(log.status == .skipped ? "not-done" : "completed"),
            "statusReason": statusReason,
            "code": FHIRCodes.concept(FHIRCodes.exerciseTherapy, text: exported.exercise ?? "Home exercise"),
            "subject": ["reference": .string(patient)],
            "performedDateTime": .string(log.performedAt.description),
            "note": .array(notes),
        ]
    }
}
