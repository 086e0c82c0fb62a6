import Foundation
import RunDiaryModels
import RunDiaryStore

/// A plan as a FHIR R4 CarePlan; each plan item is an activity (SNOMED CT 229065009 "Exercise therapy" for
/// exercises) with its schedule as a Timing (days of the week or times per week).
enum PlanCarePlan {
    static func resource(_ exported: ExportedPlan, patient: String) -> OrderedJSON {
        let plan = exported.plan
        var notes: [OrderedJSON] = []
        if let author = plan.authorName ?? plan.authorRole.map({ FHIRCodes.label($0.rawValue) }) {
            notes.append(["authorString": .string(author), "text": .string("Prescribed by \(author).")])
        }
        if let ceiling = plan.painCeiling {
            notes.append(["text": .string("Acceptable pain during activity: up to \(ceiling)/10.")])
        }
        if let text = plan.notes { notes.append(["text": .string(text)]) }
        return [
            "resourceType": "CarePlan",
            "id": .string(plan.id.uuidString.lowercased()),
            "status": .string(status(plan.status)),
            "intent": "plan",
            "category": [
                FHIRCodes.concept(
                    FHIRCodes.coding(FHIRCodes.local("plan-kind"), plan.kind.rawValue, FHIRCodes.label(plan.kind.rawValue)))
            ],
            "title": .string(plan.title),
            "description": OrderedJSON(plan.goal),
            "subject": ["reference": .string(patient)],
            "period": ["start": OrderedJSON(plan.startDate?.description), "end": OrderedJSON(plan.endDate?.description)],
            "activity": .array(exported.items.map { activity($0, planStatus: plan.status) }),
            "note": .array(notes),
        ]
    }

    static func activity(_ item: PlanItem, planStatus: PlanStatus?) -> OrderedJSON {
        let code: OrderedJSON =
            item.kind == .runSession
            ? FHIRCodes.concept(
                FHIRCodes.coding(FHIRCodes.local("plan-item-kind"), item.kind.rawValue, "Run session"), text: item.exercise)
            : FHIRCodes.concept(FHIRCodes.exerciseTherapy, text: item.exercise)
        var repeatRule: [(String, OrderedJSON)] = []
        if let days = item.daysOfWeek, !days.isEmpty {
            repeatRule.append(("dayOfWeek", .array(days.map { .string($0.rawValue) })))
        } else if let times = item.timesPerWeek {
            repeatRule += [("frequency", .integer(times)), ("period", 1), ("periodUnit", "wk")]
        }
        return [
            "detail": [
                "kind": "ServiceRequest",
                "code": code,
                "status": .string(activityStatus(planStatus)),
                "scheduledTiming": ["repeat": .object(repeatRule)],
                "description": OrderedJSON(description(item)),
            ]
        ]
    }

    /// "3 × 10, hold 30 s, 5 kg, RPE 6. Instructions…"
    static func description(_ item: PlanItem) -> String? {
        var parts: [String] = []
        if let sets = item.sets, let reps = item.reps {
            parts.append("\(sets) × \(reps)")
        } else if let sets = item.sets {
            parts.append("\(sets) sets")
        } else if let reps = item.reps {
            parts.append("\(reps) reps")
        }
        if let hold = item.holdSeconds { parts.append("hold \(hold) s") }
        if let load = item.load {
            parts.append("\(NumberText.format(load)) \(item.loadUnit?.rawValue ?? "")".trimmingCharacters(in: .whitespaces))
        } else if let unit = item.loadUnit {
            parts.append(unit.rawValue)
        }
        if let rpe = item.targetRPE { parts.append("RPE \(NumberText.format(rpe))") }
        var text = parts.joined(separator: ", ")
        if let instructions = item.instructions {
            text += text.isEmpty ? instructions : ". " + instructions
        }
        return text.isEmpty ? nil : text
    }

    private static func status(_ status: PlanStatus?) -> String {
        switch status {
        case .draft: "draft"
        case .active: "active"
        case .completed: "completed"
        case .cancelled: "revoked"
        default: "unknown"
        }
    }

    private static func activityStatus(_ status: PlanStatus?) -> String {
        switch status {
        case .draft: "not-started"
        case .active: "in-progress"
        case .completed: "completed"
        case .cancelled: "cancelled"
        default: "unknown"
        }
    }
}
