import Foundation
import RunDiaryModels
import RunDiaryStore

/// The figures of the HTML report, gathered in one pass over the diary by ``ReportAggregator``.
///
/// Memory grows with the number of weeks, body sites, shoes and next-morning entries (a point per morning), never
/// with the raw records: a ten-year diary holds about 520 weeks and 3,650 mornings per site.
struct ReportFigures {
    struct Week {
        var distanceMeters = 0.0
        var movingSeconds = 0
        /// Foster session-RPE load: Σ RPE × moving minutes (elapsed minutes when moving time is missing).
        var load = 0.0
        var runs = 0
        /// The worst pain of the week per body site label (`Left hip`).
        var worstPain: [String: Int] = [:]
        var exercisesDone = 0
        var exercisesPartial = 0
        var exercisesSkipped = 0
        var exercisesScheduled = 0
    }

    /// Runs of one kind of surface (treadmill, outdoor, other indoor).
    struct SurfaceGroup {
        var runs = 0
        var distanceMeters = 0.0
        var cadenceSum = 0
        var cadenceRuns = 0
        var stepLengthSum = 0
        var stepLengthRuns = 0
        /// Runs followed by pain (severity ≥ 1, during or after the run).
        var painFollowed = 0
    }

    struct Flag {
        enum Kind { case aboveCeiling, morningRise }
        let kind: Kind
        let recordedAt: Timestamp
        let text: String
    }

    var weeks: [ReportDay: Week] = [:]
    /// Next-morning pain per body site label: (day, severity), in time order.
    var nextMorning: [String: [(day: ReportDay, severity: Int)]] = [:]
    var flags: [Flag] = []
    var surfaces: [String: SurfaceGroup] = [:]
    var gearDistance: [UUID: (meters: Double, runs: Int)] = [:]

    var runCount = 0
    var totalDistanceMeters = 0.0
    var totalMovingSeconds = 0
    var totalLoad = 0.0
    var painCount = 0
    var painSeveritySum = 0
    var worstPain: Int?
    var exerciseLogs = 0
    var firstDay: ReportDay?
    var lastDay: ReportDay?

    /// The body site labels seen, in the order first seen.
    var siteLabels: [String] = []

    /// The report's first and last day: the scope's range, else the span of the records.
    var range: ClosedRange<ReportDay>?

    /// The weeks of ``range``, Monday first, including empty ones.
    var weekStarts: [ReportDay] {
        guard let range else { return [] }
        return Array(stride(from: range.lowerBound.weekStart, through: range.upperBound.weekStart, by: 7))
    }

    var scheduledExercises: Int { weeks.values.reduce(0) { $0 + $1.exercisesScheduled } }
    var doneExercises: Int { weeks.values.reduce(0) { $0 + $1.exercisesDone } }

    /// `Left hip`, `Hip (both sides)`, `Low back`.
    static func siteLabel(_ site: BodySite, _ side: Side) -> String {
        let name = site.rawValue.replacingOccurrences(of: "_", with: " ")
        switch side {
        case .left, .right: return FHIRCodes.label(side.rawValue) + " " + name
        case .both: return FHIRCodes.label(name) + " (both sides)"
        default: return FHIRCodes.label(name)
        }
    }
}
