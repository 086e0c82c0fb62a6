import Foundation
import RunDiaryModels
import RunDiaryStore

/// Computes ``ReportFigures`` incrementally: runs, pain entries and exercise logs are added one at a time, in
/// time order per kind, and nothing but the running totals is kept.
struct ReportAggregator {
    /// The pain ceiling when no plan sets one (pain-monitoring model: up to 5/10 during activity is acceptable).
    static let defaultPainCeiling = 5

    let plans: [ExportedPlan]
    let scope: ExportScope
    private(set) var figures = ReportFigures()
    private var lastMorning: [String: (day: ReportDay, severity: Int)] = [:]

    init(plans: [ExportedPlan], scope: ExportScope) {
        self.plans = plans
        self.scope = scope
    }

    mutating func add(_ exported: ExportedRun) {
        let run = exported.run
        let day = ReportDay(run.startedAt)
        see(day)
        let moving = run.movingSeconds ?? run.elapsedSeconds
        let distance = run.distanceMeters ?? 0
        let load = (run.rpe ?? 0) * Double(moving) / 60
        figures.weeks[day.weekStart, default: .init()].distanceMeters += distance
        figures.weeks[day.weekStart, default: .init()].movingSeconds += moving
        figures.weeks[day.weekStart, default: .init()].load += load
        figures.weeks[day.weekStart, default: .init()].runs += 1
        figures.runCount += 1
        figures.totalDistanceMeters += distance
        figures.totalMovingSeconds += moving
        figures.totalLoad += load

        let group = Self.surfaceGroup(surface: run.surface, indoor: run.isIndoor)
        var stats = figures.surfaces[group, default: .init()]
        stats.runs += 1
        stats.distanceMeters += distance
        if let cadence = run.averageCadence {
            stats.cadenceSum += cadence
            stats.cadenceRuns += 1
        }
        if let step = run.averageStepLengthMillimeters {
            stats.stepLengthSum += step
            stats.stepLengthRuns += 1
        }
        if exported.painFollowed { stats.painFollowed += 1 }
        figures.surfaces[group] = stats

        if let gear = run.gearID {
            let previous = figures.gearDistance[gear] ?? (0, 0)
            figures.gearDistance[gear] = (previous.meters + distance, previous.runs + 1)
        }
    }

    mutating func add(_ exported: ExportedPainEntry) {
        let entry = exported.entry
        let day = ReportDay(entry.recordedAt)
        see(day)
        let label = ReportFigures.siteLabel(entry.bodySite, entry.side)
        if !figures.siteLabels.contains(label) { figures.siteLabels.append(label) }
        figures.painCount += 1
        figures.painSeveritySum += entry.severity
        figures.worstPain = max(figures.worstPain ?? 0, entry.severity)
        figures.weeks[day.weekStart, default: .init()].worstPain[label] = max(
            figures.weeks[day.weekStart]?.worstPain[label] ?? 0, entry.severity)

        if entry.timing == .duringRun {
            let ceiling = painCeiling(on: day)
            if entry.severity > ceiling {
                figures.flags.append(
                    .init(
                        kind: .aboveCeiling, recordedAt: entry.recordedAt,
                        text: "Pain \(entry.severity)/10 during a run (\(label.lowercased())), above the ceiling of \(ceiling)/10."))
            }
        }
        if entry.timing == .nextMorning {
            figures.nextMorning[label, default: []].append((day, entry.severity))
            if let previous = lastMorning[label], entry.severity > previous.severity {
                figures.flags.append(
                    .init(
                        kind: .morningRise, recordedAt: entry.recordedAt,
                        text:
                            "Next-morning pain \(entry.severity)/10 (\(label.lowercased())), higher than \(previous.severity)/10 on the previous morning (\(previous.day.text))."
                    ))
            }
            lastMorning[label] = (day, entry.severity)
        }
    }

    mutating func add(_ exported: ExportedExerciseLog) {
        let day = ReportDay(exported.log.performedAt)
        see(day)
        figures.exerciseLogs += 1
        switch exported.log.status {
        case .done: figures.weeks[day.weekStart, default: .init()].exercisesDone += 1
        case .partial: figures.weeks[day.weekStart, default: .init()].exercisesPartial += 1
        default: figures.weeks[day.weekStart, default: .init()].exercisesSkipped += 1
        }
    }

    /// Fixes the range and counts the scheduled home exercises per week.
    mutating func finish() -> ReportFigures {
        let first = scope.from.map(ReportDay.init) ?? figures.firstDay
        let last = scope.to.map(ReportDay.init) ?? figures.lastDay
        if let first, let last, first <= last { figures.range = first...last }
        guard let range = figures.range else { return figures }
        for plan in plans where Self.counts(plan.plan) {
            let start = max(range.lowerBound, plan.plan.startDate.map(ReportDay.init) ?? range.lowerBound)
            let end = min(range.upperBound, plan.plan.endDate.map(ReportDay.init) ?? range.upperBound)
            guard start <= end else { continue }
            for item in plan.items where item.kind != .runSession {
                for week in figures.weekStarts {
                    let days = (0..<7).map { week.advanced(by: $0) }.filter { $0 >= start && $0 <= end }
                    guard !days.isEmpty else { continue }
                    let scheduled: Int
                    if let weekdays = item.daysOfWeek, !weekdays.isEmpty {
                        let indices = Set(weekdays.compactMap(\.index))
                        scheduled = days.filter { indices.contains($0.weekdayIndex) }.count
                    } else if let times = item.timesPerWeek {
                        scheduled = Int((Double(times * days.count) / 7).rounded())
                    } else {
                        scheduled = 0
                    }
                    figures.weeks[week, default: .init()].exercisesScheduled += scheduled
                }
            }
        }
        return figures
    }

    /// Whether a plan's exercises are expected to be done: active or completed, not a draft or cancelled.
    static func counts(_ plan: Plan) -> Bool {
        plan.status != .draft && plan.status != .cancelled
    }

    /// The lowest pain ceiling among the plans in force on `day`; 5 when none is.
    func painCeiling(on day: ReportDay) -> Int {
        let ceilings = plans.map(\.plan).filter { plan in
            Self.counts(plan) && (plan.startDate.map { ReportDay($0) <= day } ?? true)
                && (plan.endDate.map { ReportDay($0) >= day } ?? true)
        }.map(\.effectivePainCeiling)
        return ceilings.min() ?? Self.defaultPainCeiling
    }

    /// `Treadmill`, `Outdoor` or `Indoor (other)`.
    static func surfaceGroup(surface: Surface?, indoor: Bool?) -> String {
        if surface == .treadmill { return "Treadmill" }
        return indoor == true ? "Indoor (other)" : "Outdoor"
    }

    private mutating func see(_ day: ReportDay) {
        figures.firstDay = min(figures.firstDay ?? day, day)
        figures.lastDay = max(figures.lastDay ?? day, day)
    }
}
