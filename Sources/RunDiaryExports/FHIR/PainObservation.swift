import Foundation
import RunDiaryModels
import RunDiaryStore

/// A pain entry as a FHIR R4 Observation: LOINC 72514-3 with the 0–10 score as `valueQuantity`, the body site in
/// SNOMED CT with the side as a laterality qualifier extension, and timing, character and activity impact as
/// components.
enum PainObservation {
    static func resource(_ exported: ExportedPainEntry, patient: String) -> OrderedJSON {
        let entry = exported.entry
        var components: [OrderedJSON] = [
            [
                "code": FHIRCodes.concept(FHIRCodes.component("pain-timing")),
                "valueCodeableConcept": FHIRCodes.concept(FHIRCodes.painTiming(entry.timing.rawValue)),
            ]
        ]
        for quality in entry.qualities ?? [] {
            components.append([
                "code": FHIRCodes.concept(FHIRCodes.component("pain-character")),
                "valueCodeableConcept": FHIRCodes.concept(FHIRCodes.painCharacter(quality)),
            ])
        }
        if let impact = entry.activityImpact {
            components.append([
                "code": FHIRCodes.concept(FHIRCodes.component("activity-impact")),
                "valueCodeableConcept": FHIRCodes.concept(
                    FHIRCodes.coding(FHIRCodes.local("activity-impact"), impact.rawValue, FHIRCodes.label(impact.rawValue))),
            ])
        }
        var extensions: [OrderedJSON] = []
        if exported.runInScope, let runID = entry.runID {
            extensions.append([
                "url": .string(FHIRCodes.relatedRunExtension),
                "valueReference": ["reference": .string(FHIRBundleWriter.reference(runID))],
            ])
        }
        return [
            "resourceType": "Observation",
            "id": .string(entry.id.uuidString.lowercased()),
            "extension": .array(extensions),
            "status": "final",
            "category": [FHIRCodes.concept(FHIRCodes.coding(FHIRCodes.observationCategory, "survey", "Survey"))],
            "code": FHIRCodes.concept(FHIRCodes.painSeverity, text: "Pain severity (0-10)"),
            "subject": ["reference": .string(patient)],
            "effectiveDateTime": .string(entry.recordedAt.description),
            "valueQuantity": FHIRCodes.quantity(Double(entry.severity), unit: "score", code: "{score}"),
            "note": [["text": OrderedJSON(entry.notes)]],
            "bodySite": bodySite(entry.bodySite, entry.side),
            "component": .array(components),
        ]
    }

    /// The pain felt during a home exercise, as an Observation that is part of the exercise's Procedure.
    static func duringExercise(_ log: ExerciseLog, severity: Int, patient: String) -> OrderedJSON {
        [
            "resourceType": "Observation",
            "id": .string(FHIRBundleWriter.derivedID(log.id, "pain-during").uuidString.lowercased()),
            "partOf": [["reference": .string(FHIRBundleWriter.reference(log.id))]],
            "status": "final",
            "category": [FHIRCodes.concept(FHIRCodes.coding(FHIRCodes.observationCategory, "survey", "Survey"))],
            "code": FHIRCodes.concept(FHIRCodes.painSeverity, text: "Pain severity (0-10)"),
            "subject": ["reference": .string(patient)],
            "effectiveDateTime": .string(log.performedAt.description),
            "valueQuantity": FHIRCodes.quantity(Double(severity), unit: "score", code: "{score}"),
            "component": [
                [
                    "code": FHIRCodes.concept(FHIRCodes.component("pain-timing")),
                    "valueCodeableConcept": FHIRCodes.concept(FHIRCodes.painTiming("during_exercise")),
                ]
            ],
        ]
    }

    static func bodySite(_ site: BodySite, _ side: Side) -> OrderedJSON {
        let text =
            side == .left || side == .right
            ? "\(FHIRCodes.label(side.rawValue)) \(site.rawValue.replacingOccurrences(of: "_", with: " "))"
            : side == .both ? "Both sides, \(site.rawValue.replacingOccurrences(of: "_", with: " "))" : FHIRCodes.label(site.rawValue)
        var extensions: [OrderedJSON] = []
        if let laterality = FHIRCodes.laterality(side) {
            extensions.append([
                "url": .string(FHIRCodes.lateralityExtension),
                "valueCodeableConcept": FHIRCodes.concept(laterality),
            ])
        }
        return [
            "extension": .array(extensions),
            "coding": [FHIRCodes.bodySite(site)],
            "text": .string(text),
        ]
    }
}
