import Foundation
import RunDiaryModels

/// The code systems and codes of RunDiary's FHIR export.
///
/// Standard codes (LOINC, SNOMED CT, UCUM, HL7 terminology) are used where one exists; the rest come from
/// RunDiary's own code systems under ``localBase``, whose URLs are stable and documented in docs/exports.md.
enum FHIRCodes {
    static let loinc = "http://loinc.org"
    static let snomed = "http://snomed.info/sct"
    static let ucum = "http://unitsofmeasure.org"
    static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    static let localBase = "https://rundiary.dev/fhir"

    /// The extension on `bodySite` carrying the side as a SNOMED CT laterality qualifier. It is mCODE's published
    /// extension (the pattern R5 adopted as `BodyStructure.includedStructure.laterality`), so that receivers that
    /// know it read it, and the body site's own coding stays the plain site concept.
    static let lateralityExtension = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier"
    /// The extension linking a pain Observation to the run Observation it followed.
    static let relatedRunExtension = localBase + "/StructureDefinition/related-run"

    static func local(_ system: String) -> String { localBase + "/CodeSystem/" + system }

    static func coding(_ system: String, _ code: String, _ display: String) -> OrderedJSON {
        ["system": .string(system), "code": .string(code), "display": .string(display)]
    }

    static func concept(_ codings: OrderedJSON..., text: String? = nil) -> OrderedJSON {
        ["coding": .array(codings), "text": OrderedJSON(text)]
    }

    /// A quantity in UCUM.
    static func quantity(_ value: Double, unit: String, code: String) -> OrderedJSON {
        ["value": .number(value), "unit": .string(unit), "system": .string(ucum), "code": .string(code)]
    }

    // MARK: Pain

    static let painSeverity = coding(loinc, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")

    /// The SNOMED CT body structure of a site; sites without a code in DESIGN.md use the local system.
    static func bodySite(_ site: BodySite) -> OrderedJSON {
        switch site {
        case .hip: coding(snomed, "24136001", "Hip joint structure")
        case .knee: coding(snomed, "72696002", "Knee region structure")
        default: coding(local("body-site"), site.rawValue, label(site.rawValue))
        }
    }

    /// The SNOMED CT laterality qualifier of a side; `nil` when the site has no side.
    static func laterality(_ side: Side) -> OrderedJSON? {
        switch side {
        case .left: coding(snomed, "7771000", "Left")
        case .right: coding(snomed, "24028007", "Right")
        case .both: coding(snomed, "51440002", "Right and left")
        default: nil
        }
    }

    /// The SNOMED CT concept of a pain character; the others use the local system.
    static func painCharacter(_ quality: PainQuality) -> OrderedJSON {
        switch quality {
        case .aching: coding(snomed, "27635008", "Aching pain")
        case .stabbing: coding(snomed, "55145008", "Stabbing pain")
        case .burning: coding(snomed, "36349006", "Burning pain")
        case .throbbing: coding(snomed, "29695002", "Throbbing pain")
        case .cramping: coding(snomed, "279093005", "Cramping pain")
        default: coding(local("pain-character"), quality.rawValue, label(quality.rawValue))
        }
    }

    /// A ``PainTiming`` code, or `during_exercise` for pain logged with a home exercise.
    static func painTiming(_ code: String) -> OrderedJSON {
        coding(local("pain-timing"), code, label(code))
    }

    /// Component codes that have no standard code.
    static func component(_ code: String) -> OrderedJSON {
        coding(local("observation-component"), code, label(code))
    }

    // MARK: Runs and plans

    static let exerciseActivity = coding(loinc, "73985-4", "Exercise activity")
    static let exerciseDuration = coding(loinc, "55411-3", "Exercise duration")
    static let heartRate = coding(loinc, "8867-4", "Heart rate")
    static let exerciseTherapy = coding(snomed, "229065009", "Exercise therapy")

    static func surface(_ surface: Surface) -> OrderedJSON {
        coding(local("surface"), surface.rawValue, label(surface.rawValue))
    }

    /// `low_back` → `Low back`.
    static func label(_ code: String) -> String {
        let words = code.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
