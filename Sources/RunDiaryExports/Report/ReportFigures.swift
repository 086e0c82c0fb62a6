import Foundation
import RunDiaryModels
import RunDiaryStore

/// The figures of the report, gathered in one pass over the diary by ``ReportAggregator``.
///
/// Everything here is keyed by week, body site, shoe or surface, or counted: memory grows with the weeks that have
/// entries and the mornings with a next-morning entry, never with the distance between two dates.
struct ReportFigures {
    struct Week {
        var distanceMeters = 0.0
        var movingSeconds = 0
        /// Foster session-RPE load: Σ RPE × moving minutes (elapsed minutes when moving time is missing).
        var load = 0.0
        var runs = 0
        /// The worst pain of the week per body site label (`Left hip`).
        var worstPain: [String: Int] = [:]
        /// The worst next-morning pain of the week per body site label.
        var worstMorning: [String: Int] = [:]
        var exercisesDone = 0
        var exercisesPartial = 0
        var exercisesSkipped = 0
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

        var averageCadence: Double? { cadenceRuns == 0 ? nil : Double(cadenceSum) / Double(cadenceRuns) }
        var averageStepLength: Double? { stepLengthRuns == 0 ? nil : Double(stepLengthSum) / Double(stepLengthRuns) }
    }

    /// The three moments of the pain-monitoring model.
    enum Moment: String, CaseIterable, Sendable {
        case duringRun = "during runs"
        case afterRun = "after runs"
        case nextMorning = "the next morning"

        init?(_ timing: PainTiming) {
            switch timing {
            case .duringRun: self = .duringRun
            case .afterRun, .laterSameDay: self = .afterRun
            case .nextMorning: self = .nextMorning
            default: return nil
            }
        }
    }

    /// Scores of one site at one moment in one week.
    struct Scores {
        var sum = 0
        var count = 0
        var worst = 0

        mutating func add(_ severity: Int) {
            sum += severity
            count += 1
            worst = max(worst, severity)
        }

        mutating func add(_ other: Scores) {
            sum += other.sum
            count += other.count
            worst = max(worst, other.worst)
        }

        var average: Double { count == 0 ? 0 : Double(sum) / Double(count) }
    }

    /// A flagged pain entry, as the flag table and the open questions tell it.
    struct FlaggedEntry {
        let flag: PainFlagRule.Flag
        let recordedAt: Timestamp
        let site: String
    }

    /// The flags of one kind: how many, the worst, where, and the runs they followed.
    struct FlagContext {
        var count = 0
        var afterRuns = 0
        var afterTreadmill = 0
        var shortestRunMeters: Double?
        var longestRunMeters: Double?
        var bySite: [String: Int] = [:]
        var worst: FlaggedEntry?
    }

    struct FlagKey: Hashable {
        let kind: PainFlagRule.Kind
        let week: ReportDay
    }

    var weeks: [ReportDay: Week] = [:]
    /// Pain per body site, moment and week.
    var scores: [String: [Moment: [ReportDay: Scores]]] = [:]
    /// Next-morning pain per day and body site (the last entry of a day counts), for the day-by-day chart.
    var mornings: [ReportDay: [String: Int]] = [:]
    /// How many flags of each kind each week has.
    var flagsPerWeek: [FlagKey: Int] = [:]
    var flagContext: [PainFlagRule.Kind: FlagContext] = [:]
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
    /// The weeks the figures and tables show, gaps collapsed.
    var timeline = ReportTimeline(range: ReportDay(number: 0)...ReportDay(number: 0), weeksWithEntries: [])
    /// Home-exercise sessions scheduled per timeline slot (a week's Monday, or a gap's first Monday), and in all.
    var scheduled: [ReportDay: Int] = [:]
    var scheduledTotal = 0

    var flagCount: Int { flagsPerWeek.values.reduce(0, +) }

    /// The worst pain at `site` per slot (`nil` for a gap, or a week without pain there), for a chart's line.
    func worstPain(at site: String, over weeks: [ReportDay?]) -> [Double?] {
        weeks.map { week in week.flatMap { self.weeks[$0]?.worstPain[site] }.map(Double.init) }
    }

    /// The weeks with flags of `kind` and how many, in order.
    func flagWeeks(_ kind: PainFlagRule.Kind) -> [(week: ReportDay, count: Int)] {
        flagsPerWeek.filter { $0.key.kind == kind }.map { ($0.key.week, $0.value) }.sorted { $0.week < $1.week }
    }
    var doneExercises: Int { weeks.values.reduce(0) { $0 + $1.exercisesDone } }
    var partialExercises: Int { weeks.values.reduce(0) { $0 + $1.exercisesPartial } }
    var skippedExercises: Int { weeks.values.reduce(0) { $0 + $1.exercisesSkipped } }

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
