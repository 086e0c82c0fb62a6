import Foundation
import RunDiaryModels

/// Turns an ``ActivitySummary`` into `run` fields in the shared models' units, each checked with `EntitySchema.run`.
///
/// Nothing is clamped: a value the schema refuses is left out of its field and reported as a warning, and a value
/// that breaks a cross-field rule (moving time above elapsed time, average heart rate above the maximum) is left
/// out the same way. Without a usable start or elapsed time there is no run (``ImportIssue/Code/missingValues``).
enum RunFields {
    /// The largest UTC offset the store keeps (±18 h, as PostgreSQL's time zones and the runs table allow).
    static let maximumOffsetSeconds = 18 * 3600

    static func fields(for summary: ActivitySummary) throws(ImportIssue) -> (fields: [String: JSONValue], warnings: [ValidationIssue]) {
        let schema = EntitySchema.run
        var warnings = summary.warnings
        var candidates: [String: JSONValue] = [:]

        var offset = summary.utcOffsetSeconds.map { Int((Double($0) / 60).rounded()) * 60 } ?? 0
        if abs(offset) > maximumOffsetSeconds {
            warnings.append(
                ValidationIssue(
                    field: "started_at", code: .outOfRange,
                    message: "The file's UTC offset is beyond ±18:00; the start is given in UTC."))
            offset = 0
        }
        candidates["started_at"] = .string(Timestamp(summary.startedAt, utcOffsetSeconds: Int32(offset)).description)
        candidates["elapsed_s"] = summary.elapsedSeconds.map(wholeNumber)
        candidates["moving_s"] = summary.movingSeconds.map(wholeNumber)
        candidates["distance_m"] = summary.distanceMeters.map { number($0, places: 2) }
        candidates["elevation_gain_m"] = summary.elevationGainMeters.map { number($0, places: 1) }
        candidates["avg_hr_bpm"] = summary.averageHeartRate.map(wholeNumber)
        candidates["max_hr_bpm"] = summary.maxHeartRate.map(wholeNumber)
        candidates["avg_cadence_spm"] = summary.cadenceStepsPerMinute.map(wholeNumber)
        candidates["avg_step_length_mm"] = summary.stepLengthMillimeters.map(wholeNumber)
        let (surface, indoor) = surfaceAndIndoor(summary)
        candidates["surface"] = surface.map { .string($0.rawValue) }
        candidates["is_indoor"] = indoor.map { .bool($0) }
        candidates["title"] = summary.title.map { .string($0) }

        var fields: [String: JSONValue] = [:]
        for name in candidates.keys.sorted() {
            guard let value = candidates[name], let spec = schema.field(named: name) else { continue }
            if let issue = spec.validate(value) {
                warnings.append(issue)
            } else {
                fields[name] = value
            }
        }
        // Cross-field rules: leave out the field each broken rule names until the record keeps them all.
        while let issue = schema.validateRecord(fields).first(where: { $0.code != .missingField }) {
            warnings.append(issue)
            fields[issue.field] = nil
        }
        if let missing = schema.validateRecord(fields).first {
            let reason = warnings.first { $0.field == missing.field }?.message ?? "The file does not record it."
            throw ImportIssue(.missingValues, "The run has no usable \(missing.field): \(reason)")
        }
        return (fields, warnings)
    }

    /// Treadmill and indoor: the source's own marks first; a run without a GPS track is a treadmill run unless the
    /// source says what else it was; a run with a track is outdoors unless the source says otherwise.
    static func surfaceAndIndoor(_ summary: ActivitySummary) -> (Surface?, Bool?) {
        var surface = summary.surface
        var indoor = summary.isIndoor
        switch summary.hasTrack {
        case false?:
            if surface == nil && indoor == nil {
                surface = .treadmill
                indoor = true
            } else if indoor == nil {
                indoor = true
            }
        case true?:
            if indoor == nil { indoor = surface != .treadmill ? false : true }
        case nil:
            break
        }
        if surface == .treadmill && indoor == nil { indoor = true }
        return (surface, indoor)
    }

    /// A whole number, rounded half away from zero; a value too large for Int64 stays a number, which the schema
    /// then refuses as out of range.
    private static func wholeNumber(_ value: Double) -> JSONValue {
        let rounded = value.rounded()
        if let integer = Int64(exactly: rounded) { return .integer(integer) }
        return .number(rounded)
    }

    private static func number(_ value: Double, places: Int) -> JSONValue {
        let scale = pow(10, Double(places))
        return .number((value * scale).rounded() / scale)
    }
}
