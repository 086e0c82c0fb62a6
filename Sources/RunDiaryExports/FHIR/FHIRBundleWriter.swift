import Crypto
import Foundation
import RunDiaryModels
import RunDiaryStore

/// Streams a diary as a FHIR R4 Bundle of type `document`: a Composition first, then the Patient, the CarePlans,
/// and the Observations and Procedures in chronological order per kind.
///
/// Each resource is rendered and written on its own, so memory holds one resource (plus the plans) at a time.
/// Because the Composition must come first and the entries are not known yet, its sections describe their content
/// in narrative instead of listing references; every entry's `fullUrl` is `urn:uuid:<record id>`, which is what
/// the resources' references use.
enum FHIRBundleWriter {
    static func write(_ snapshot: DiarySnapshot, to sink: any ByteSink, generatedAt: Date = Date()) async throws {
        let scope = snapshot.scope
        let patientID = scope.userID
        let patient = reference(patientID)
        let now = Timestamp(generatedAt).description
        let name = try await snapshot.ownerName()
        let header: OrderedJSON = [
            "resourceType": "Bundle",
            "identifier": ["system": "urn:ietf:rfc:3986", "value": .string(reference(UUID()))],
            "type": "document",
            "timestamp": .string(now),
        ]
        // The header object without its closing brace, followed by the entry array.
        var opening = header.bytes
        opening.removeLast()
        try await sink.write(opening + Array(",\"entry\":[".utf8))
        let compositionID = UUID()
        try await writeEntry(
            composition(id: compositionID, scope: scope, patient: patient, name: name, date: now),
            id: compositionID, first: true, to: sink)
        let patientResource: OrderedJSON = [
            "resourceType": "Patient", "id": .string(patientID.uuidString.lowercased()),
            "name": [["text": .string(name.isEmpty ? "Runner" : name)]],
        ]
        try await writeEntry(patientResource, id: patientID, to: sink)
        for plan in try await snapshot.plans() {
            try await writeEntry(PlanCarePlan.resource(plan, patient: patient), id: plan.plan.id, to: sink)
        }
        try await snapshot.forEachRun { run in
            try await writeEntry(RunObservation.resource(run, patient: patient), id: run.run.id, to: sink)
        }
        try await snapshot.forEachPainEntry { entry in
            try await writeEntry(PainObservation.resource(entry, patient: patient), id: entry.entry.id, to: sink)
        }
        try await snapshot.forEachExerciseLog { log in
            try await writeEntry(ExerciseProcedure.resource(log, patient: patient), id: log.log.id, to: sink)
            if let pain = log.log.painDuring {
                try await writeEntry(
                    PainObservation.duringExercise(log.log, severity: pain, patient: patient),
                    id: derivedID(log.log.id, "pain-during"), to: sink)
            }
        }
        try await sink.write("]}")
    }

    /// The reference (and `fullUrl`) of a record in the bundle.
    static func reference(_ id: UUID) -> String {
        "urn:uuid:" + id.uuidString.lowercased()
    }

    /// A stable UUID for a resource derived from a record (name-based, SHA-256, version and variant bits set).
    static func derivedID(_ id: UUID, _ name: String) -> UUID {
        var bytes = Array(SHA256.hash(data: Data((id.uuidString.lowercased() + "/" + name).utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    private static func writeEntry(_ resource: OrderedJSON, id: UUID, first: Bool = false, to sink: any ByteSink)
        async throws
    {
        let entry: OrderedJSON = ["fullUrl": .string(reference(id)), "resource": resource]
        var bytes: [UInt8] = first ? [] : [UInt8(ascii: ",")]
        entry.write(into: &bytes)
        try await sink.write(bytes)
    }

    private static func composition(id: UUID, scope: ExportScope, patient: String, name: String, date: String)
        -> OrderedJSON
    {
        let range = "\(scope.from?.description ?? "the first entry") to \(scope.to?.description ?? "the last entry")"
        func section(_ title: String, _ kinds: [EntityKind], _ narrative: String) -> OrderedJSON {
            guard kinds.contains(where: scope.includes) else { return .null }
            return [
                "title": .string(title),
                "text": [
                    "status": "generated",
                    "div": .string("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>\(HTMLText.escape(narrative))</p></div>"),
                ],
            ]
        }
        return [
            "resourceType": "Composition",
            "id": .string(id.uuidString.lowercased()),
            "status": "final",
            "type": FHIRCodes.concept(FHIRCodes.coding(FHIRCodes.loinc, "11503-0", "Medical records")),
            "subject": ["reference": .string(patient)],
            "date": .string(date),
            "author": [["reference": .string(patient)]],
            "title": .string("Running diary of \(name.isEmpty ? "a runner" : name), \(range)"),
            "section": [
                section(
                    "Pain", [.painEntry],
                    "Pain entries as Observations (LOINC 72514-3, 0-10), with body site, side, timing relative to running and character."),
                section(
                    "Runs", [.run],
                    "Runs as Observations (LOINC 73985-4) with duration, distance, cadence, step length and surface."),
                section(
                    "Plans", [.plan, .planItem],
                    "Training and rehabilitation plans as CarePlans with their exercises as activities."),
                section(
                    "Home exercise log", [.exerciseLog],
                    "Logged exercises as Procedures based on their CarePlan; pain during an exercise as an Observation."),
            ],
        ]
    }
}
