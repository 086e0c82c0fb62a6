import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@Suite("Export: FHIR R4")
struct FHIRBundleTests {
    @Test("the FHIR bundle validates against the R4 schema and models, and carries the promised codes")
    func bundleValidatesAndCarriesCodes() async throws {
        try await ExportedDiary.run { exported in
            let diary = try await SeededDiary.plant(userID: exported.userID, in: exported.database)
            let (data, bundle) = try await exported.bundle()
            try await ExportTestTools.validateFHIR(data)

            #expect(bundle["resourceType"] as? String == "Bundle")
            #expect(bundle["type"] as? String == "document")
            let entries = try #require(bundle["entry"] as? [[String: Any]])
            let resources = entries.compactMap { $0["resource"] as? [String: Any] }
            #expect(resources.first?["resourceType"] as? String == "Composition")
            #expect(resources.dropFirst().first?["resourceType"] as? String == "Patient")

            // Every reference resolves inside the bundle.
            let fullURLs = Set(entries.compactMap { $0["fullUrl"] as? String })
            #expect(fullURLs.count == entries.count)
            let references = Self.references(in: bundle)
            #expect(!references.isEmpty)
            for reference in references { #expect(fullURLs.contains(reference), "dangling reference \(reference)") }
            #expect(!fullURLs.contains("urn:uuid:" + diary.deletedRunID.uuidString.lowercased()))

            func byID(_ id: UUID) -> [String: Any]? {
                resources.first { $0["id"] as? String == id.uuidString.lowercased() }
            }
            // Pain entries: LOINC 72514-3, the score, SNOMED site with laterality, character, timing.
            for entry in diary.pain {
                let observation = try #require(byID(entry.id))
                #expect(Self.codes(observation["code"]).contains("http://loinc.org|72514-3"))
                #expect((observation["valueQuantity"] as? [String: Any])?["value"] as? Int == entry.severity)
                let site = try #require(observation["bodySite"] as? [String: Any])
                let siteCode = entry.bodySite == .hip ? "24136001" : "72696002"
                #expect(Self.codes(site).contains("http://snomed.info/sct|\(siteCode)"))
                let laterality = (site["extension"] as? [[String: Any]])?.first?["valueCodeableConcept"]
                let sideCode = entry.side == .left ? "7771000" : "24028007"
                #expect(Self.codes(laterality).contains("http://snomed.info/sct|\(sideCode)"))
                let components = observation["component"] as? [[String: Any]] ?? []
                let values = Set(components.flatMap { Self.codes($0["valueCodeableConcept"]) })
                #expect(values.contains("https://rundiary.dev/fhir/CodeSystem/pain-timing|\(entry.timing.rawValue)"))
                let snomedCharacter = [
                    PainQuality.aching: "27635008", .stabbing: "55145008", .burning: "36349006",
                    .throbbing: "29695002", .cramping: "279093005",
                ]
                for quality in entry.qualities ?? [] {
                    #expect(values.contains("http://snomed.info/sct|\(try #require(snomedCharacter[quality]))"))
                }
                if let notes = entry.notes { #expect((observation["note"] as? [[String: Any]])?.first?["text"] as? String == notes) }
            }
            // Runs: 73985-4 with duration 55411-3 in minutes, distance, cadence and surface.
            for run in diary.runs {
                let observation = try #require(byID(run.id))
                #expect(Self.codes(observation["code"]).contains("http://loinc.org|73985-4"))
                let components = observation["component"] as? [[String: Any]] ?? []
                let duration = components.first { Self.codes($0["code"]).contains("http://loinc.org|55411-3") }
                let minutes = ((duration?["valueQuantity"] as? [String: Any])?["value"] as? NSNumber)?.doubleValue
                #expect(minutes.map { abs($0 - Double(run.elapsedSeconds) / 60) < 1e-9 } == true)
                let distance = components.first {
                    Self.codes($0["code"]).contains("https://rundiary.dev/fhir/CodeSystem/observation-component|distance")
                }
                #expect(((distance?["valueQuantity"] as? [String: Any])?["value"] as? NSNumber)?.doubleValue == run.distanceMeters)
                let cadence = components.first {
                    Self.codes($0["code"]).contains("https://rundiary.dev/fhir/CodeSystem/observation-component|cadence")
                }
                #expect((cadence?["valueQuantity"] as? [String: Any])?["value"] as? Int == run.averageCadence)
                let surface = components.first {
                    Self.codes($0["code"]).contains("https://rundiary.dev/fhir/CodeSystem/observation-component|surface")
                }
                let surfaceCodes = Self.codes(surface?["valueCodeableConcept"])
                #expect(surfaceCodes.contains("https://rundiary.dev/fhir/CodeSystem/surface|\(run.surface!.rawValue)"))
                let start = (observation["effectivePeriod"] as? [String: Any])?["start"] as? String
                #expect(start == run.startedAt.description)
                #expect(start?.hasSuffix("+01:00") == true)
            }
            // Plans: CarePlans whose exercise activities are SNOMED 229065009.
            let rehab = try #require(diary.plans.first { $0.kind == .rehab })
            let carePlan = try #require(byID(rehab.id))
            #expect(carePlan["resourceType"] as? String == "CarePlan")
            let activities = carePlan["activity"] as? [[String: Any]] ?? []
            #expect(activities.count == diary.items.filter { $0.planID == rehab.id }.count)
            for activity in activities {
                let activityCodes = Self.codes((activity["detail"] as? [String: Any])?["code"])
                #expect(activityCodes.contains("http://snomed.info/sct|229065009"))
            }
            // Exercise logs: Procedures based on the rehab CarePlan; skipped ones not done.
            for log in diary.logs {
                let procedure = try #require(byID(log.id))
                #expect(procedure["resourceType"] as? String == "Procedure")
                #expect(
                    (procedure["basedOn"] as? [[String: Any]])?.first?["reference"] as? String == "urn:uuid:"
                        + rehab.id.uuidString.lowercased())
                #expect(procedure["status"] as? String == (log.status == .skipped ? "not-done" : "completed"))
            }
            let observations = resources.filter { $0["resourceType"] as? String == "Observation" }
            #expect(observations.count == diary.runs.count + diary.pain.count + diary.logs.filter { $0.painDuring != nil }.count)
        }
    }

    /// `system|code` of every coding in a CodeableConcept.
    static func codes(_ concept: Any?) -> [String] {
        ((concept as? [String: Any])?["coding"] as? [[String: Any]] ?? []).map {
            "\($0["system"] as? String ?? "")|\($0["code"] as? String ?? "")"
        }
    }

    /// Every `reference` value anywhere in a JSON tree.
    static func references(in value: Any) -> [String] {
        if let object = value as? [String: Any] {
            return object.flatMap { key, value in
                key == "reference" ? [value as? String ?? ""] : references(in: value)
            }
        }
        if let array = value as? [Any] { return array.flatMap(references(in:)) }
        return []
    }
}
