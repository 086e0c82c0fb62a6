import Foundation
import RunDiaryModels
import RunDiaryStore

/// Streams the printable HTML report for a physical therapist: one self-contained page (inline CSS and SVG, no
/// scripts, no external assets) that prints on A4 and reads on a phone.
///
/// Page one tells the story: the summary in sentences with the numbers behind them, one chart, and the flags
/// grouped by kind and week; the detailed sections follow. Two passes over one snapshot: the first feeds
/// ``ReportAggregator``, the second streams the pain entries and run notes straight into their tables. Every figure
/// and table covers the report's ``ReportTimeline``, so its size follows the entries, not the dates.
struct ReportRenderer {
    let snapshot: DiarySnapshot
    let sink: any ByteSink
    var generatedAt = Date()

    func render() async throws {
        let scope = snapshot.scope
        let report = try await ReportData.read(snapshot)
        let (name, plans, figures) = (report.name, report.plans, report.figures)
        let gear = try await snapshot.gear()

        try await sink.write(
            """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex, nofollow">
            <title>Running diary – \(HTMLText.escape(name))</title>
            <style>\(ReportStyle.css)</style></head>
            <body><main>
            <header><h1>Running diary: pain and training</h1>
            <p class="meta"><span data-figure="name">\(HTMLText.escape(name))</span> · <span data-figure="period">\(report.period)</span> · \
            generated \(Timestamp(generatedAt).description.prefix(10)) by RunDiary</p></header>

            """)
        try await sink.write(summary(report.summary, figures: figures, scope: scope))
        try await sink.write(flags(figures))
        try await weeklyLoad(figures)
        try await sink.write(nextMorning(figures))
        try await sink.write(surfaces(figures, scope: scope))
        try await sink.write(shoes(figures, gear: gear))
        try await adherence(figures, scope: scope)
        try await sink.write(ReportPlans.section(plans, scope: scope))
        try await ReportTables.painEntries(snapshot, plans: plans, sink: sink)
        try await ReportTables.runNotes(snapshot, sink: sink, gear: gear)
        try await sink.write(
            """
            <footer>Computed from the runner's own entries; a description of the diary, not a diagnosis. Pain: 0–10 \
            numeric rating scale. Session load: RPE (Borg CR10) × moving minutes (Foster). Pain-monitoring model: pain \
            up to the plan's ceiling (default 5/10) during running is acceptable if it settles by the next morning. \
            Loads are context, not a verdict. Stretches of more than \(ReportTimeline.longestShownBreak) weeks without \
            entries are collapsed in charts and tables.</footer>
            </main></body></html>

            """)
    }

    // MARK: Page one

    private func summary(_ summary: ReportSummary, figures: ReportFigures, scope: ExportScope) -> String {
        var html = "<section id=\"summary\"><h2>Summary</h2><ul class=\"story\">"
        for line in summary.story {
            html += "<li data-topic=\"\(line.topic)\">\(HTMLText.escape(line.text))</li>"
        }
        html += "</ul>"
        if !summary.questions.isEmpty {
            html += "<h3>Open questions</h3><ul class=\"questions\">"
            for line in summary.questions {
                html += "<li data-topic=\"\(line.topic)\">\(HTMLText.escape(line.text))</li>"
            }
            html += "</ul>"
        }
        let weeks = max(1, figures.timeline.weeks.count)
        let treadmill = figures.surfaces["Treadmill"]?.runs ?? 0
        var items: [(String, String, String)] = [
            ("Runs", "runs", String(figures.runCount)),
            ("Distance", "total-distance-km", NumberText.format(figures.totalDistanceMeters / 1000, digits: 1) + " km"),
            (
                "Per week shown", "weekly-distance-km",
                NumberText.format(figures.totalDistanceMeters / 1000 / Double(weeks), digits: 1) + " km"
            ),
            ("Moving time", "moving-hours", NumberText.format(Double(figures.totalMovingSeconds) / 3600, digits: 1) + " h"),
            ("Session load", "total-load", NumberText.format(figures.totalLoad, digits: 0) + " AU"),
            ("On the treadmill", "treadmill-share", ReportSummary.percent(treadmill, figures.runCount)),
            ("Pain entries", "pain-entries", String(figures.painCount)),
            (
                "Average pain", "average-pain",
                figures.painCount == 0
                    ? "–" : NumberText.format(Double(figures.painSeveritySum) / Double(figures.painCount), digits: 1) + " / 10"
            ),
            ("Worst pain", "worst-pain", figures.worstPain.map { "\($0) / 10" } ?? "–"),
            ("Flags", "flags", String(figures.flagCount)),
        ]
        if scope.includes(.exerciseLog) {
            let scheduled = figures.scheduledTotal
            let done = figures.doneExercises
            items.append(
                (
                    "Home exercises done", "adherence",
                    scheduled == 0 ? "\(done)" : "\(done) of \(scheduled) (\(ReportSummary.percent(done, scheduled)))"
                ))
        }
        html += "<dl class=\"figures\">"
        html += items.map { "<div><dt>\($0.0)</dt><dd data-figure=\"\($0.1)\">\($0.2)</dd></div>" }.joined()
        html += "</dl>"
        if figures.runCount > 0 || figures.painCount > 0 {
            html += "<figure>\(weeklyChart(figures, bars: .distance).render())</figure>"
        }
        return html + "</section>\n"
    }

    private func flags(_ figures: ReportFigures) -> String {
        var html = "<section id=\"flags\"><h2>Flags from the pain-monitoring model</h2>"
        guard !figures.flagsPerWeek.isEmpty else {
            return html
                + "<p class=\"muted\">No pain above the ceiling during runs, and next-morning pain never rose from one morning to the next.</p></section>\n"
        }
        html +=
            "<div class=\"scroll\"><table class=\"flags\"><thead><tr><th>Flag</th><th>Times</th><th>By week</th><th>Worst</th></tr></thead><tbody>"
        for kind in PainFlagRule.Kind.allCases {
            guard let context = figures.flagContext[kind], let worst = context.worst else { continue }
            let weeks = figures.flagWeeks(kind).map { week, count in
                "<span data-flag-week=\"\(week.text)\" data-count=\"\(count)\">\(week.shortLabel) ×\(count)</span>"
            }
            html +=
                "<tr class=\"\(kind.rawValue)\" data-flag-group=\"\(kind.rawValue)\"><td>\(kind.title)</td><td data-figure=\"count\">\(context.count)</td><td>weeks of \(weeks.joined(separator: ", "))</td><td>\(HTMLText.escape(worst.site)) \(worst.flag.comparison), <time>\(ReportTables.localTime(worst.recordedAt))</time></td></tr>"
        }
        html +=
            "</tbody></table></div><p class=\"note\">Each flagged entry is marked in the pain entries below. Ceiling: the lowest pain ceiling of the plans in force that day (5/10 when none).</p>"
        return html + "</section>\n"
    }

    // MARK: Details

    enum WeeklyBars { case distance, load }

    /// Weekly distance or load as bars, with the week's worst pain per body site as lines, over the timeline.
    private func weeklyChart(_ figures: ReportFigures, bars kind: WeeklyBars) -> SVGChart {
        let axis = figures.timeline.axis
        let (labels, gaps, weeks) = (axis.labels, axis.gaps, axis.weeks)
        let pain = figures.siteLabels.enumerated().map { index, label in
            SVGChart.Series(
                name: "Worst pain, " + label.lowercased(), color: SVGChart.palette[index % SVGChart.palette.count],
                values: figures.worstPain(at: label, over: weeks))
        }
        switch kind {
        case .distance:
            var chart = SVGChart(title: "Weekly distance and worst pain per body site", labels: labels, gaps: gaps)
            chart.bars = .init(
                name: "Distance (km)", color: "#aab7c4",
                values: weeks.map { week in week.map { (figures.weeks[$0]?.distanceMeters ?? 0) / 1000 } })
            chart.barAxisTitle = "km per week"
            chart.lines = pain
            chart.lineAxisTitle = "pain 0–10"
            return chart
        case .load:
            var chart = SVGChart(title: "Weekly session load and worst pain per body site", labels: labels, gaps: gaps)
            chart.bars = .init(
                name: "Session load (RPE × min)", color: "#c8b6a6", values: weeks.map { week in week.map { figures.weeks[$0]?.load ?? 0 } })
            chart.barAxisTitle = "load (AU)"
            chart.lines = pain
            chart.lineAxisTitle = "pain 0–10"
            return chart
        }
    }

    private func weeklyLoad(_ figures: ReportFigures) async throws {
        var html = "<section id=\"weekly-load\"><h2>Weekly distance and session load, with pain</h2>"
        if figures.runCount > 0 || figures.painCount > 0 {
            html += "<figure>\(weeklyChart(figures, bars: .load).render())</figure>"
        }
        html +=
            "<div class=\"scroll\"><table class=\"compact\"><thead><tr><th>Week of</th><th>Runs</th><th>km</th><th>Load (AU)</th>"
        for label in figures.siteLabels { html += "<th>Worst pain, \(HTMLText.escape(label.lowercased()))</th>" }
        html += "</tr></thead><tbody>"
        try await sink.write(html)
        let columns = 4 + figures.siteLabels.count
        for slot in figures.timeline.slots {
            switch slot {
            case .week(let week):
                let stats = figures.weeks[week] ?? .init()
                var row =
                    "<tr data-week=\"\(week.text)\"><td>\(week.text)</td><td>\(stats.runs)</td><td data-figure=\"week-km\">\(NumberText.format(stats.distanceMeters / 1000, digits: 1))</td><td data-figure=\"week-load\">\(NumberText.format(stats.load, digits: 0))</td>"
                for label in figures.siteLabels { row += "<td>\(stats.worstPain[label].map(String.init) ?? "")</td>" }
                try await sink.write(row + "</tr>\n")
            case .gap(let first, let weeks):
                try await sink.write(Self.gapRow(first: first, weeks: weeks, columns: columns))
            }
        }
        try await sink.write("</tbody></table></div></section>\n")
    }

    static func gapRow(first: ReportDay, weeks: Int64, columns: Int, extra: String = "") -> String {
        "<tr class=\"gap\" data-gap-weeks=\"\(weeks)\"><td colspan=\"\(columns)\">\(ReportTimeline.gapText(weeks: weeks)) <span class=\"muted\">(from \(first.text))</span>\(extra)</td></tr>\n"
    }

    private func nextMorning(_ figures: ReportFigures) -> String {
        var html = "<section id=\"next-morning\"><h2>Next-morning pain</h2>"
        guard !figures.mornings.isEmpty else {
            return html + "<p class=\"muted\">No next-morning pain entries.</p></section>\n"
        }
        // Day by day while the timeline is short enough to read so; week by week (the worst morning) beyond.
        let byDay = figures.timeline.weeks.count <= 26
        var labels: [String] = []
        var gaps: [Int: String] = [:]
        var values: [[String: Int]?] = []
        for slot in figures.timeline.slots {
            switch slot {
            case .week(let week):
                if byDay {
                    for offset in Int64(0)..<7 {
                        let day = week.advanced(by: offset)
                        labels.append(day.shortLabel)
                        values.append(figures.mornings[day] ?? [:])
                    }
                } else {
                    labels.append(week.shortLabel)
                    values.append(figures.weeks[week]?.worstMorning ?? [:])
                }
            case .gap(_, let weeks):
                gaps[labels.count] = ReportTimeline.gapLabel(weeks: weeks)
                labels.append(ReportTimeline.gapLabel(weeks: weeks))
                values.append(nil)
            }
        }
        var chart = SVGChart(
            title: byDay ? "Next-morning pain over time" : "Worst next-morning pain per week", labels: labels, gaps: gaps)
        chart.connectGaps = true
        chart.lineAxisTitle = "pain 0–10"
        chart.threshold = (Double(PainFlagRule.defaultPainCeiling), "5/10")
        for (index, label) in figures.siteLabels.enumerated() where values.contains(where: { $0?[label] != nil }) {
            chart.lines.append(
                .init(
                    name: label, color: SVGChart.palette[index % SVGChart.palette.count],
                    values: values.map { $0?[label].map(Double.init) }))
        }
        html +=
            "<figure>\(chart.render())<figcaption>Pain on waking, per body site\(byDay ? "" : ", the worst morning of each week"). It should settle by the next morning; a rise from one morning to the next is flagged.</figcaption></figure>"
        return html + "</section>\n"
    }

    private func surfaces(_ figures: ReportFigures, scope: ExportScope) -> String {
        var html = "<section id=\"surfaces\"><h2>Treadmill and outdoor runs</h2>"
        guard figures.runCount > 0 else { return html + "<p class=\"muted\">No runs.</p></section>\n" }
        html +=
            "<div class=\"scroll\"><table><thead><tr><th>Where</th><th>Runs</th><th>Share</th><th>km</th><th>Cadence (steps/min)</th><th>Step length (mm)</th><th>Followed by pain</th></tr></thead><tbody>"
        for group in ["Treadmill", "Outdoor", "Indoor (other)"] {
            guard let stats = figures.surfaces[group] else { continue }
            let key = group.lowercased().replacingOccurrences(of: " ", with: "-").filter { $0.isLetter || $0 == "-" }
            let cadence = stats.averageCadence.map { NumberText.format($0, digits: 0) } ?? "–"
            let step = stats.averageStepLength.map { NumberText.format($0, digits: 0) } ?? "–"
            let pain =
                scope.includes(.painEntry)
                ? "\(stats.painFollowed) of \(stats.runs) (\(ReportSummary.percent(stats.painFollowed, stats.runs)))" : "–"
            html +=
                "<tr data-surface=\"\(key)\"><td>\(group)</td><td data-figure=\"runs\">\(stats.runs)</td><td data-figure=\"share\">\(ReportSummary.percent(stats.runs, figures.runCount))</td><td data-figure=\"km\">\(NumberText.format(stats.distanceMeters / 1000, digits: 1))</td><td data-figure=\"cadence\">\(cadence)</td><td data-figure=\"step-length\">\(step)</td><td data-figure=\"pain-followed\">\(pain)</td></tr>"
        }
        html +=
            "</tbody></table></div><p class=\"note\">A run is followed by pain when a pain entry of 1/10 or more, during the run or after it (up to the next morning), refers to it.</p>"
        return html + "</section>\n"
    }

    private func shoes(_ figures: ReportFigures, gear: [Gear]) -> String {
        var html = "<section id=\"shoes\"><h2>Shoe mileage</h2>"
        guard !gear.isEmpty else { return html + "<p class=\"muted\">No shoes recorded.</p></section>\n" }
        html +=
            "<div class=\"scroll\"><table><thead><tr><th>Shoe</th><th>Runs in period</th><th>km in period</th><th>km in total</th><th>Limit</th><th></th></tr></thead><tbody>"
        for item in gear {
            let period = figures.gearDistance[item.id] ?? (0, 0)
            let total = (item.initialDistanceMeters ?? 0) + period.meters
            let limit = item.limitDistanceMeters
            let fraction = limit.map { min(1, total / $0) } ?? 0
            let bar =
                limit == nil
                ? ""
                : "<span class=\"meter\"><span style=\"width:\(NumberText.format(fraction * 100, digits: 0))%\"\(fraction >= 1 ? " class=\"over\"" : "")></span></span>"
            let title = [item.name, [item.brand, item.model].compactMap { $0 }.joined(separator: " ")].filter { !$0.isEmpty }.joined(
                separator: " – ")
            html +=
                "<tr data-gear=\"\(item.id.uuidString.lowercased())\"><td>\(HTMLText.escape(title))</td><td>\(period.runs)</td><td data-figure=\"period-km\">\(NumberText.format(period.meters / 1000, digits: 1))</td><td data-figure=\"total-km\">\(NumberText.format(total / 1000, digits: 1))</td><td>\(limit.map { NumberText.format($0 / 1000, digits: 0) + " km" } ?? "–")</td><td>\(bar)</td></tr>"
        }
        html +=
            "</tbody></table></div><p class=\"note\">Total: the distance the shoe had when it was added plus the runs in this report.</p>"
        return html + "</section>\n"
    }

    private func adherence(_ figures: ReportFigures, scope: ExportScope) async throws {
        let html = "<section id=\"adherence\"><h2>Home-exercise adherence</h2>"
        guard scope.includes(.exerciseLog), figures.scheduledTotal > 0 || figures.exerciseLogs > 0 else {
            try await sink.write(html + "<p class=\"muted\">No home-exercise programme in this period.</p></section>\n")
            return
        }
        let slots = figures.timeline.slots
        let axis = figures.timeline.axis
        let done = axis.weeks.map { week in week.map { Double(figures.weeks[$0]?.exercisesDone ?? 0) } }
        let scheduled = axis.weeks.map { week in week.map { Double(figures.scheduled[$0] ?? 0) } }
        var chart = SVGChart(title: "Home exercises done per week", labels: axis.labels, gaps: axis.gaps)
        chart.bars = .init(name: "Done", color: "#1e8449", values: done)
        chart.barAxisTitle = "exercises"
        chart.lines = [.init(name: "Scheduled", color: "#34495e", values: scheduled)]
        chart.lineMax = SVGChart.niceCeiling(max(done.compactMap { $0 }.max() ?? 1, scheduled.compactMap { $0 }.max() ?? 1))
        chart.lineAxisTitle = "exercises"
        // One scale for both, so that a bar reaching the line means the week's programme was done.
        chart.barMax = chart.lineMax
        try await sink.write(
            html + "<figure>\(chart.render())</figure>"
                + "<div class=\"scroll\"><table class=\"compact\"><thead><tr><th>Week of</th><th>Scheduled</th><th>Done</th><th>Partly</th><th>Skipped</th><th>Done of scheduled</th></tr></thead><tbody>"
        )
        for slot in slots {
            switch slot {
            case .week(let week):
                let stats = figures.weeks[week] ?? .init()
                let planned = figures.scheduled[week] ?? 0
                try await sink.write(
                    "<tr data-week=\"\(week.text)\"><td>\(week.text)</td><td data-figure=\"scheduled\">\(planned)</td><td data-figure=\"done\">\(stats.exercisesDone)</td><td data-figure=\"partial\">\(stats.exercisesPartial)</td><td data-figure=\"skipped\">\(stats.exercisesSkipped)</td><td>\(ReportSummary.percent(stats.exercisesDone, planned))</td></tr>\n"
                )
            case .gap(let first, let weeks):
                let planned = figures.scheduled[first] ?? 0
                try await sink.write(
                    Self.gapRow(
                        first: first, weeks: weeks, columns: 6, extra: planned > 0 ? "; \(planned) sessions scheduled, none logged" : ""))
            }
        }
        try await sink.write(
            "</tbody></table></div><p class=\"note\">Scheduled: each exercise of an active rehab or training plan on its days of the week, or its times per week (pro rata for part weeks).</p></section>\n"
        )
    }
}
