import Foundation
import RunDiaryModels
import RunDiaryStore

/// Computes ``ReportFigures`` incrementally: runs, pain entries and exercise logs are added one at a time, in
/// time order per kind, and nothing but the running totals is kept.
struct ReportAggregator {
    let plans: [ExportedPlan]
    let scope: ExportScope
    private(set) var figures = ReportFigures()
    private var flags: PainFlagRule

    init(plans: [ExportedPlan], scope: ExportScope) {
        self.plans = plans
        self.scope = scope
        self.flags = PainFlagRule(plans: plans)
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
        let week = day.weekStart
        see(day)
        let label = ReportFigures.siteLabel(entry.bodySite, entry.side)
        if !figures.siteLabels.contains(label) { figures.siteLabels.append(label) }
        figures.painCount += 1
        figures.painSeveritySum += entry.severity
        figures.worstPain = max(figures.worstPain ?? 0, entry.severity)
        figures.weeks[week, default: .init()].worstPain[label] = max(figures.weeks[week]?.worstPain[label] ?? 0, entry.severity)
        if let moment = ReportFigures.Moment(entry.timing) {
            figures.scores[label, default: [:]][moment, default: [:]][week, default: .init()].add(entry.severity)
        }
        if entry.timing == .nextMorning {
            figures.mornings[day, default: [:]][label] = entry.severity
            figures.weeks[week, default: .init()].worstMorning[label] = max(
                figures.weeks[week]?.worstMorning[label] ?? 0, entry.severity)
        }
        guard let flag = flags.check(entry) else { return }
        let flagged = ReportFigures.FlaggedEntry(flag: flag, recordedAt: entry.recordedAt, site: label)
        figures.flagsPerWeek[ReportFigures.FlagKey(kind: flag.kind, week: week), default: 0] += 1

        var context = figures.flagContext[flag.kind, default: .init()]
        context.count += 1
        context.bySite[label, default: 0] += 1
        if context.worst.map({ flag.severity > $0.flag.severity }) ?? true { context.worst = flagged }
        if exported.runInScope {
            context.afterRuns += 1
            if exported.runSurface == .treadmill { context.afterTreadmill += 1 }
            if let meters = exported.runDistanceMeters {
                context.shortestRunMeters = min(context.shortestRunMeters ?? meters, meters)
                context.longestRunMeters = max(context.longestRunMeters ?? meters, meters)
            }
        }
        figures.flagContext[flag.kind] = context
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

    /// Fixes the range and the timeline, and counts the scheduled home exercises per timeline slot.
    mutating func finish() -> ReportFigures {
        let first = scope.from.map(ReportDay.init) ?? figures.firstDay
        let last = scope.to.map(ReportDay.init) ?? figures.lastDay
        guard let first, let last, first <= last else { return figures }
        let range = first...last
        figures.range = range
        figures.timeline = ReportTimeline(range: range, weeksWithEntries: figures.weeks.keys)
        for plan in plans where PainFlagRule.counts(plan.plan) {
            let start = max(range.lowerBound, plan.plan.startDate.map(ReportDay.init) ?? range.lowerBound)
            let end = min(range.upperBound, plan.plan.endDate.map(ReportDay.init) ?? range.upperBound)
            guard start <= end else { continue }
            for item in plan.items where item.kind != .runSession {
                for slot in figures.timeline.slots {
                    let (key, lastWeek) =
                        switch slot {
                        case .week(let week): (week, week)
                        case .gap(let firstWeek, let weeks): (firstWeek, firstWeek.advanced(by: 7 * (weeks - 1)))
                        }
                    let count = ExerciseSchedule.count(item, weeks: key, through: lastWeek, active: start...end)
                    figures.scheduled[key, default: 0] += count
                    figures.scheduledTotal += count
                }
            }
        }
        return figures
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
