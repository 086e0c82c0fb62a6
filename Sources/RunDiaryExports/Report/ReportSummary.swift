import RunDiaryModels
import RunDiaryStore

/// Page one of the report in words: a few sentences computed from the figures, each with the numbers behind it,
/// that a clinician reads in two minutes. They describe what the diary holds; they never diagnose or advise.
///
/// The HTML report and the PDF print the same sentences.
struct ReportSummary {
    /// One sentence (or two) about one topic.
    struct Line: Sendable {
        /// `pain`, `surfaces`, `load`, `adherence`, `question`, `period`: what the sentence is about.
        let topic: String
        let text: String
    }

    /// What the diary shows, topic by topic.
    let story: [Line]
    /// What the data leaves open, with its numbers.
    let questions: [Line]

    init(_ figures: ReportFigures, scope: ExportScope) {
        var story: [Line] = []
        var questions: [Line] = []
        let weeks = figures.timeline.weeks.filter { figures.weeks[$0] != nil }

        if let first = figures.firstDay, let last = figures.lastDay {
            var text = "\(weeks.count) week\(weeks.count == 1 ? "" : "s") with entries between \(first.longLabel) and \(last.longLabel)"
            if scope.includes(.run) {
                text +=
                    ": \(figures.runCount) run\(figures.runCount == 1 ? "" : "s"), \(NumberText.format(figures.totalDistanceMeters / 1000, digits: 1)) km, \(NumberText.format(Double(figures.totalMovingSeconds) / 3600, digits: 1)) hours moving"
            }
            if scope.includes(.painEntry) {
                text += "; \(figures.painCount) pain entr\(figures.painCount == 1 ? "y" : "ies")"
            }
            story.append(Line(topic: "period", text: text + "."))
        } else {
            story.append(Line(topic: "period", text: "No runs, pain entries or exercises in this period."))
        }

        // Pain per site at the model's three moments: the first two weeks with entries against the last two.
        for site in figures.siteLabels {
            var parts: [String] = []
            for moment in ReportFigures.Moment.allCases {
                guard let byWeek = figures.scores[site]?[moment], !byWeek.isEmpty else { continue }
                let ordered = byWeek.keys.sorted()
                var all = ReportFigures.Scores()
                for scores in byWeek.values { all.add(scores) }
                let entries = "\(all.count) entr\(all.count == 1 ? "y" : "ies"), worst \(all.worst)/10"
                if ordered.count >= 4 {
                    var early = ReportFigures.Scores()
                    var late = ReportFigures.Scores()
                    for week in ordered.prefix(2) { early.add(byWeek[week]!) }
                    for week in ordered.suffix(2) { late.add(byWeek[week]!) }
                    parts.append(
                        "\(moment.rawValue) from \(NumberText.format(early.average, digits: 1)) to \(NumberText.format(late.average, digits: 1))/10 (\(entries))"
                    )
                } else {
                    parts.append("\(moment.rawValue) \(NumberText.format(all.average, digits: 1))/10 on average (\(entries))")
                }
            }
            guard !parts.isEmpty else { continue }
            story.append(
                Line(
                    topic: "pain",
                    text: "\(site) pain, average of the first two weeks with entries against the last two: "
                        + parts.joined(separator: "; ") + "."))
        }

        // Treadmill against outdoor runs.
        let treadmill = figures.surfaces["Treadmill"]
        let outdoor = figures.surfaces["Outdoor"]
        if scope.includes(.run), let treadmill, let outdoor {
            var text = ""
            if scope.includes(.painEntry) {
                text =
                    "Pain followed \(treadmill.painFollowed) of \(treadmill.runs) treadmill runs (\(Self.percent(treadmill.painFollowed, treadmill.runs))) and \(outdoor.painFollowed) of \(outdoor.runs) outdoor runs (\(Self.percent(outdoor.painFollowed, outdoor.runs)))."
            }
            var form: [String] = []
            if let a = treadmill.averageCadence, let b = outdoor.averageCadence {
                form.append(
                    "cadence \(NumberText.format(a, digits: 0)) steps/min on the treadmill, \(NumberText.format(b, digits: 0)) outdoors")
            }
            if let a = treadmill.averageStepLength, let b = outdoor.averageStepLength {
                form.append("step length \(NumberText.format(a, digits: 0)) mm against \(NumberText.format(b, digits: 0)) mm")
            }
            if !form.isEmpty { text += (text.isEmpty ? "" : " ") + "Averages: " + form.joined(separator: "; ") + "." }
            if !text.isEmpty { story.append(Line(topic: "surfaces", text: text)) }
        } else if scope.includes(.run), figures.runCount > 0 {
            let only = treadmill != nil ? "on the treadmill" : "outdoors or on other surfaces"
            story.append(Line(topic: "surfaces", text: "All runs were \(only)."))
        }

        // Week-to-week load, between consecutive weeks only (never across a collapsed gap).
        if scope.includes(.run), figures.totalLoad > 0 {
            let loads = weeks.map { (week: $0, load: figures.weeks[$0]?.load ?? 0) }
            var rise: (week: ReportDay, change: Double)?
            var fall: (week: ReportDay, change: Double)?
            for (previous, current) in zip(loads, loads.dropFirst())
            where previous.week.distance(to: current.week) == 7 && previous.load > 0 {
                let change = (current.load - previous.load) / previous.load
                if change > (rise?.change ?? 0) { rise = (current.week, change) }
                if change < (fall?.change ?? 0) { fall = (current.week, change) }
            }
            let values = loads.map(\.load).filter { $0 > 0 }
            var text =
                "Weekly session load (RPE × minutes) ranged from \(NumberText.format(values.min() ?? 0, digits: 0)) to \(NumberText.format(values.max() ?? 0, digits: 0)) AU"
            if let rise {
                text +=
                    "; the largest rise from one week to the next was +\(NumberText.format(rise.change * 100, digits: 0)) % (week of \(rise.week.longLabel))"
            }
            if let fall {
                text += ", the largest fall \(NumberText.format(fall.change * 100, digits: 0)) % (week of \(fall.week.longLabel))"
            }
            story.append(Line(topic: "load", text: text + "."))
        }

        // Rehab adherence.
        if scope.includes(.exerciseLog), figures.scheduledTotal > 0 || figures.exerciseLogs > 0 {
            let done = figures.doneExercises
            var text =
                figures.scheduledTotal > 0
                ? "Home exercises: \(done) of \(figures.scheduledTotal) scheduled sessions done (\(Self.percent(done, figures.scheduledTotal)))"
                : "Home exercises: \(done) sessions done, none scheduled by a plan"
            text += ", \(figures.partialExercises) partly and \(figures.skippedExercises) skipped"
            let weekly = weeks.compactMap { week -> Double? in
                let scheduled = figures.scheduled[week] ?? 0
                guard scheduled > 0 else { return nil }
                return Double(figures.weeks[week]?.exercisesDone ?? 0) / Double(scheduled)
            }
            if let low = weekly.min(), let high = weekly.max(), weekly.count > 1 {
                text += "; from \(NumberText.format(low * 100, digits: 0)) % to \(NumberText.format(high * 100, digits: 0)) % in a week"
            }
            story.append(Line(topic: "adherence", text: text + "."))
        }

        // Open questions: what the flags had in common.
        if let rises = figures.flagContext[.morningRise] {
            var text =
                "Next-morning pain rose from one morning to the next \(rises.count) time\(rises.count == 1 ? "" : "s") (\(Self.sites(rises.bySite)))"
            if rises.afterRuns > 0 {
                text += "; \(rises.afterRuns) of these mornings followed a recorded run, \(rises.afterTreadmill) on the treadmill"
                if let short = rises.shortestRunMeters, let long = rises.longestRunMeters {
                    text += ", runs of \(Self.kilometres(short, long))"
                }
            }
            questions.append(Line(topic: "question", text: text + ". What do these runs have in common?"))
        }
        if let above = figures.flagContext[.aboveCeiling] {
            var text =
                "Pain during runs went above the plan's ceiling \(above.count) time\(above.count == 1 ? "" : "s") (\(Self.sites(above.bySite)))"
            if let worst = above.worst {
                text += ", at worst \(worst.flag.comparison) on \(ReportDay(worst.recordedAt).longLabel)"
            }
            if above.afterRuns > 0 {
                text += "; \(above.afterTreadmill) of the \(above.afterRuns) runs recorded were on the treadmill"
            }
            questions.append(Line(topic: "question", text: text + ". Did the pain settle by the next morning?"))
        }
        self.story = story
        self.questions = questions
    }

    /// `92 %`.
    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "–" : NumberText.format(Double(part) * 100 / Double(whole), digits: 0) + " %"
    }

    /// `left hip 4, right knee 1`, most first.
    static func sites(_ counts: [String: Int]) -> String {
        counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key.lowercased()) \($0.value)" }
            .joined(separator: ", ")
    }

    /// `5.3–6.8 km`, or `6.0 km` when both ends are the same.
    static func kilometres(_ low: Double, _ high: Double) -> String {
        let a = NumberText.format(low / 1000, digits: 1)
        let b = NumberText.format(high / 1000, digits: 1)
        return a == b ? "\(a) km" : "\(a)–\(b) km"
    }
}
