import Foundation
import RunDiaryModels
import RunDiaryStore

/// A run as a FHIR R4 Observation: LOINC 73985-4 "Exercise activity" over the run's period, with duration
/// (LOINC 55411-3), distance, cadence, step length, surface, effort and heart rate as components.
enum RunObservation {
    static func resource(_ exported: ExportedRun, patient: String) -> OrderedJSON {
        let run = exported.run
        let end = Timestamp(
            run.startedAt.date.addingTimeInterval(TimeInterval(run.elapsedSeconds)),
            utcOffsetSeconds: run.startedAt.utcOffsetSeconds)
        var components: [OrderedJSON] = [
            component(
                FHIRCodes.exerciseDuration,
                quantity: FHIRCodes.quantity(Double(run.elapsedSeconds) / 60, unit: "min", code: "min"))
        ]
        func add(_ code: String, _ value: Double?, unit: String, ucum: String) {
            guard let value else { return }
            components.append(
                component(FHIRCodes.component(code), quantity: FHIRCodes.quantity(value, unit: unit, code: ucum)))
        }
        add("moving-time", run.movingSeconds.map { Double($0) / 60 }, unit: "min", ucum: "min")
        add("distance", run.distanceMeters, unit: "m", ucum: "m")
        add("cadence", run.averageCadence.map(Double.init), unit: "steps/min", ucum: "/min")
        add("step-length", run.averageStepLengthMillimeters.map(Double.init), unit: "mm", ucum: "mm")
        add("elevation-gain", run.elevationGainMeters, unit: "m", ucum: "m")
        add("incline", run.inclinePercent, unit: "%", ucum: "%")
        add("rpe", run.rpe, unit: "score", ucum: "{score}")
        add("feel", run.feel.map(Double.init), unit: "score", ucum: "{score}")
        if let heartRate = run.averageHeartRate {
            components.append(
                component(
                    FHIRCodes.heartRate, quantity: FHIRCodes.quantity(Double(heartRate), unit: "beats/min", code: "/min")))
        }
        add("max-heart-rate", run.maxHeartRate.map(Double.init), unit: "beats/min", ucum: "/min")
        if let surface = run.surface {
            components.append([
                "code": FHIRCodes.concept(FHIRCodes.component("surface")),
                "valueCodeableConcept": FHIRCodes.concept(FHIRCodes.surface(surface)),
            ])
        }
        if let indoor = run.isIndoor {
            components.append(["code": FHIRCodes.concept(FHIRCodes.component("indoor")), "valueBoolean": .bool(indoor)])
        }
        var notes: [OrderedJSON] = []
        if let title = run.title { notes.append(["text": .string(title)]) }
        if let text = run.notes { notes.append(["text": .string(text)]) }
        if let form = run.formNotes { notes.append(["text": .string("Form: " + form)]) }
        return [
            "resourceType": "Observation",
            "id": .string(run.id.uuidString.lowercased()),
            "status": "final",
            "category": [FHIRCodes.concept(FHIRCodes.coding(FHIRCodes.observationCategory, "activity", "Activity"))],
            "code": FHIRCodes.concept(FHIRCodes.exerciseActivity, text: "Run"),
            "subject": ["reference": .string(patient)],
            "effectivePeriod": ["start": .string(run.startedAt.description), "end": .string(end.description)],
            "valueCodeableConcept": ["text": "Running"],
            "note": .array(notes),
            "component": .array(components),
        ]
    }

    private static func component(_ coding: OrderedJSON, quantity: OrderedJSON) -> OrderedJSON {
        ["code": FHIRCodes.concept(coding), "valueQuantity": quantity]
    }
}
