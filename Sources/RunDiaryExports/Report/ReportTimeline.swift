/// The weeks a report's figures and tables cover: every week with an entry, short breaks between them week by week,
/// and each longer stretch without entries collapsed into one marked gap.
///
/// So what a chart or table shows grows with the diary's entries, never with the distance between two dates: two
/// runs in years 1 and 9999 make two weeks and one gap, not 521,000 rows. At most
/// (``longestShownBreak`` + 1) slots per week with entries, plus the stretches before the first and after the last.
struct ReportTimeline: Sendable {
    enum Slot: Hashable, Sendable {
        /// One ISO week, by its Monday.
        case week(ReportDay)
        /// `weeks` consecutive weeks without entries, from the week starting `first`.
        case gap(first: ReportDay, weeks: Int64)
    }

    /// Breaks of up to this many empty weeks are shown week by week (a rest week is part of the story); longer
    /// stretches become one gap.
    static let longestShownBreak: Int64 = 3

    let slots: [Slot]

    /// The timeline of `range` (the report's first and last day) with entries in `weeksWithEntries` (Mondays).
    init(range: ClosedRange<ReportDay>, weeksWithEntries: some Sequence<ReportDay>) {
        let first = range.lowerBound.weekStart
        let last = range.upperBound.weekStart
        let marked = Set(weeksWithEntries.filter { $0 >= first && $0 <= last }).sorted()
        var slots: [Slot] = []
        var next = first
        func placeEmpty(before end: ReportDay) {
            let count = next.distance(to: end) / 7
            if count > Self.longestShownBreak {
                slots.append(.gap(first: next, weeks: count))
            } else {
                for index in 0..<max(0, count) { slots.append(.week(next.advanced(by: 7 * index))) }
            }
        }
        for week in marked {
            placeEmpty(before: week)
            slots.append(.week(week))
            next = week.advanced(by: 7)
        }
        placeEmpty(before: last.advanced(by: 7))
        self.slots = slots
    }

    /// The weeks shown one by one, in order.
    var weeks: [ReportDay] {
        slots.compactMap { slot in
            if case .week(let week) = slot { week } else { nil }
        }
    }

    /// The days a gap spans: from its first Monday to the Sunday of its last week.
    static func days(ofGap first: ReportDay, weeks: Int64) -> ClosedRange<ReportDay> {
        first...first.advanced(by: 7 * weeks - 1)
    }

    /// `— 50 weeks without entries —`, the words a collapsed gap is shown with.
    static func gapText(weeks: Int64) -> String {
        "— \(NumberText.grouped(weeks)) weeks without entries —"
    }

    /// `50 wk`, a gap's label on a chart's axis.
    static func gapLabel(weeks: Int64) -> String {
        "\(NumberText.grouped(weeks)) wk"
    }
}

extension ReportTimeline {
    /// The timeline as a chart's horizontal axis: a label per slot, the slots that are gaps (with their labels),
    /// and each slot's week (`nil` for a gap).
    struct Axis {
        let labels: [String]
        let gaps: [Int: String]
        let weeks: [ReportDay?]
    }

    var axis: Axis {
        var labels: [String] = []
        var gaps: [Int: String] = [:]
        var weeks: [ReportDay?] = []
        for (index, slot) in slots.enumerated() {
            switch slot {
            case .week(let week):
                labels.append(week.shortLabel)
                weeks.append(week)
            case .gap(_, let count):
                labels.append(Self.gapLabel(weeks: count))
                gaps[index] = Self.gapLabel(weeks: count)
                weeks.append(nil)
            }
        }
        return Axis(labels: labels, gaps: gaps, weeks: weeks)
    }
}
