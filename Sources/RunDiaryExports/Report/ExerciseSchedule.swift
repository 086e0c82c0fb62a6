import RunDiaryModels

/// How many home-exercise sessions a plan item schedules in a stretch of days, in closed form.
///
/// The count depends on the stretch's ends, never on walking its weeks, so a plan without an end date in a report
/// without an end costs the same as a plan of one week. Scheduled: each of the item's `days_of_week`, or its
/// `times_per_week` pro rata for a part week (rounded per week).
enum ExerciseSchedule {
    /// Sessions of `item` scheduled on the days of `active` within the weeks from the Monday `firstWeek` to the
    /// Monday `lastWeek`.
    static func count(
        _ item: PlanItem, weeks firstWeek: ReportDay, through lastWeek: ReportDay, active: ClosedRange<ReportDay>
    ) -> Int {
        let start = max(firstWeek, active.lowerBound)
        let end = min(lastWeek.advanced(by: 6), active.upperBound)
        guard start <= end else { return 0 }
        let startWeek = start.weekStart
        let endWeek = end.weekStart
        if startWeek == endWeek { return inWeek(item, days: start...end) }
        let fullWeeks = startWeek.distance(to: endWeek) / 7 - 1
        let perFullWeek = inWeek(item, days: startWeek...startWeek.advanced(by: 6))
        return inWeek(item, days: start...startWeek.advanced(by: 6)) + Int(fullWeeks) * perFullWeek
            + inWeek(item, days: endWeek...end)
    }

    /// Sessions of `item` on `days`, which lie in one ISO week.
    static func inWeek(_ item: PlanItem, days: ClosedRange<ReportDay>) -> Int {
        if let weekdays = item.daysOfWeek, !weekdays.isEmpty {
            let indices = Set(weekdays.compactMap(\.index))
            return days.filter { indices.contains($0.weekdayIndex) }.count
        }
        if let times = item.timesPerWeek {
            let count = Int(days.lowerBound.distance(to: days.upperBound)) + 1
            return Int((Double(times * count) / 7).rounded())
        }
        return 0
    }
}
