import Foundation
import RunDiaryModels
import RunDiaryStore

/// Streams the printable HTML report for a physical therapist: one self-contained page (inline CSS and SVG, no
/// scripts, no external assets) that prints on A4 and reads on a phone.
///
/// Two passes over one snapshot: the first feeds ``ReportAggregator`` (summary, charts, flags, adherence), the
/// second streams the pain entries and run notes straight into their tables. Memory holds the aggregates and one
/// batch of rows, whatever the diary's length.
struct ReportRenderer {
    let snapshot: DiarySnapshot
    let sink: any ByteSink
    var generatedAt = Date()

    func render() async throws {
        let scope = snapshot.scope
        let name = try await snapshot.ownerName()
        let plans = try await snapshot.plans()
        let gear = try await snapshot.gear()
        var aggregator = ReportAggregator(plans: plans, scope: scope)
        try await snapshot.forEachRun { aggregator.add($0) }
        try await snapshot.forEachPainEntry { aggregator.add($0) }
        try await snapshot.forEachExerciseLog { aggregator.add($0) }
        let figures = aggregator.finish()

        let period = figures.range.map { "\($0.lowerBound.text) – \($0.upperBound.text)" } ?? "no entries"
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
            <p class="meta"><span data-figure="name">\(HTMLText.escape(name))</span> · <span data-figure="period">\(period)</span> · \
            generated \(Timestamp(generatedAt).description.prefix(10)) by RunDiary</p></header>

            """)
        try await sink.write(summary(figures, scope: scope))
        try await sink.write(flags(figures))
        try await sink.write(weeklyCharts(figures))
        try await sink.write(nextMorning(figures))
        try await sink.write(surfaces(figures, scope: scope))
        try await sink.write(shoes(figures, gear: gear, scope: scope))
        try await sink.write(adherence(figures, scope: scope))
        try await sink.write(ReportPlans.section(plans, scope: scope))
        try await ReportTables.painEntries(snapshot, sink: sink)
        try await ReportTables.runNotes(snapshot, sink: sink, gear: gear)
        try await sink.write(
            """
            <footer>Pain: 0–10 numeric rating scale. Session load: RPE (Borg CR10) × moving minutes (Foster). \
            Pain-monitoring model: pain up to the plan's ceiling (default 5/10) during running is acceptable if it \
            settles by the next morning. Loads are context, not a verdict.</footer>
            </main></body></html>

            """)
    }

    private func summary(_ figures: ReportFigures, scope: ExportScope) -> String {
        let weeks = max(1, figures.weekStarts.count)
        let treadmill = figures.surfaces["Treadmill"]?.runs ?? 0
        var items: [(String, String, String)] = [
            ("Runs", "runs", String(figures.runCount)),
            ("Distance", "total-distance-km", NumberText.format(figures.totalDistanceMeters / 1000, digits: 1) + " km"),
            ("Per week", "weekly-distance-km", NumberText.format(figures.totalDistanceMeters / 1000 / Double(weeks), digits: 1) + " km"),
            ("Moving time", "moving-hours", NumberText.format(Double(figures.totalMovingSeconds) / 3600, digits: 1) + " h"),
            ("Session load", "total-load", NumberText.format(figures.totalLoad, digits: 0) + " AU"),
            (
                "On the treadmill", "treadmill-share",
                figures.runCount == 0 ? "–" : NumberText.format(Double(treadmill) * 100 / Double(figures.runCount), digits: 0) + " %"
            ),
            ("Pain entries", "pain-entries", String(figures.painCount)),
            (
                "Average pain", "average-pain",
                figures.painCount == 0
                    ? "–" : NumberText.format(Double(figures.painSeveritySum) / Double(figures.painCount), digits: 1) + " / 10"
            ),
            ("Worst pain", "worst-pain", figures.worstPain.map { "\($0) / 10" } ?? "–"),
            ("Flags", "flags", String(figures.flags.count)),
        ]
        if scope.includes(.exerciseLog) {
            let scheduled = figures.scheduledExercises
            let done = figures.doneExercises
            items.append(
                (
                    "Home exercises done", "adherence",
                    scheduled == 0
                        ? "\(done)" : "\(done) of \(scheduled) (\(NumberText.format(Double(done) * 100 / Double(scheduled), digits: 0)) %)"
                ))
        }
        let cells = items.map { "<div><dt>\($0.0)</dt><dd data-figure=\"\($0.1)\">\($0.2)</dd></div>" }.joined()
        return "<section id=\"summary\"><h2>Summary</h2><dl class=\"figures\">\(cells)</dl></section>\n"
    }

    private func flags(_ figures: ReportFigures) -> String {
        var html = "<section id=\"flags\"><h2>Flags from the pain-monitoring model</h2>"
        if figures.flags.isEmpty {
            html +=
                "<p class=\"muted\">No pain above the ceiling during runs, and next-morning pain never rose from one morning to the next.</p>"
        } else {
            html += "<ul class=\"flags\">"
            for flag in figures.flags {
                let kind = flag.kind == .aboveCeiling ? "above-ceiling" : "morning-rise"
                html +=
                    "<li class=\"\(kind)\" data-flag=\"\(kind)\"><time>\(ReportTables.localTime(flag.recordedAt))</time> \(HTMLText.escape(flag.text))</li>"
            }
            html += "</ul>"
        }
        return html + "</section>\n"
    }

    private func weeklyCharts(_ figures: ReportFigures) -> String {
        let weeks = figures.weekStarts
        let labels = weeks.map(\.shortLabel)
        let pain = figures.siteLabels.enumerated().map { index, label in
            SVGChart.Series(
                name: "Worst pain, " + label.lowercased(), color: SVGChart.palette[index % SVGChart.palette.count],
                values: weeks.map { week in figures.weeks[week]?.worstPain[label].map(Double.init) })
        }
        var distance = SVGChart(title: "Weekly distance and worst pain per body site", labels: labels)
        distance.bars = .init(
            name: "Distance (km)", color: "#aab7c4", values: weeks.map { (figures.weeks[$0]?.distanceMeters ?? 0) / 1000 })
        distance.barAxisTitle = "km per week"
        distance.lines = pain
        distance.lineAxisTitle = "pain 0–10"
        var load = SVGChart(title: "Weekly session load and worst pain per body site", labels: labels)
        load.bars = .init(name: "Session load (RPE × min)", color: "#c8b6a6", values: weeks.map { figures.weeks[$0]?.load ?? 0 })
        load.barAxisTitle = "load (AU)"
        load.lines = pain
        load.lineAxisTitle = "pain 0–10"
        var table = "<div class=\"scroll\"><table class=\"compact\"><thead><tr><th>Week of</th><th>Runs</th><th>km</th><th>Load (AU)</th>"
        for label in figures.siteLabels { table += "<th>Worst pain, \(HTMLText.escape(label.lowercased()))</th>" }
        table += "</tr></thead><tbody>"
        for week in weeks {
            let figuresOfWeek = figures.weeks[week] ?? .init()
            table +=
                "<tr data-week=\"\(week.text)\"><td>\(week.text)</td><td>\(figuresOfWeek.runs)</td><td data-figure=\"week-km\">\(NumberText.format(figuresOfWeek.distanceMeters / 1000, digits: 1))</td><td data-figure=\"week-load\">\(NumberText.format(figuresOfWeek.load, digits: 0))</td>"
            for label in figures.siteLabels { table += "<td>\(figuresOfWeek.worstPain[label].map(String.init) ?? "")</td>" }
            table += "</tr>"
        }
        table += "</tbody></table></div>"
        return """
            <section id="weekly-load"><h2>Weekly distance and session load, with pain</h2>
            <figure>\(distance.render())</figure><figure>\(load.render())</figure>\(table)</section>

            """
    }

    private func nextMorning(_ figures: ReportFigures) -> String {
        var html = "<section id=\"next-morning\"><h2>Next-morning pain</h2>"
        guard let range = figures.range, !figures.nextMorning.isEmpty else {
            return html + "<p class=\"muted\">No next-morning pain entries.</p></section>\n"
        }
        let days = Array(range)
        var chart = SVGChart(title: "Next-morning pain over time", labels: days.map(\.shortLabel))
        chart.connectGaps = true
        chart.lineAxisTitle = "pain 0–10"
        chart.threshold = (Double(ReportAggregator.defaultPainCeiling), "5/10")
        for (index, label) in figures.siteLabels.enumerated() {
            guard let points = figures.nextMorning[label] else { continue }
            var values = [Double?](repeating: nil, count: days.count)
            for point in points where range.contains(point.day) {
                values[Int(range.lowerBound.distance(to: point.day))] = Double(point.severity)
            }
            chart.lines.append(.init(name: label, color: SVGChart.palette[index % SVGChart.palette.count], values: values))
        }
        html +=
            "<figure>\(chart.render())<figcaption>Pain on waking, per body site. It should settle by the next morning; a rise from one morning to the next is flagged.</figcaption></figure>"
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
            let cadence = stats.cadenceRuns == 0 ? "–" : NumberText.format(Double(stats.cadenceSum) / Double(stats.cadenceRuns), digits: 0)
            let step =
                stats.stepLengthRuns == 0 ? "–" : NumberText.format(Double(stats.stepLengthSum) / Double(stats.stepLengthRuns), digits: 0)
            let pain =
                scope.includes(.painEntry)
                ? "\(stats.painFollowed) of \(stats.runs) (\(NumberText.format(Double(stats.painFollowed) * 100 / Double(stats.runs), digits: 0)) %)"
                : "–"
            html +=
                "<tr data-surface=\"\(key)\"><td>\(group)</td><td data-figure=\"runs\">\(stats.runs)</td><td data-figure=\"share\">\(NumberText.format(Double(stats.runs) * 100 / Double(figures.runCount), digits: 0)) %</td><td data-figure=\"km\">\(NumberText.format(stats.distanceMeters / 1000, digits: 1))</td><td data-figure=\"cadence\">\(cadence)</td><td data-figure=\"step-length\">\(step)</td><td data-figure=\"pain-followed\">\(pain)</td></tr>"
        }
        html +=
            "</tbody></table></div><p class=\"note\">A run is followed by pain when a pain entry of 1/10 or more, during the run or after it (up to the next morning), refers to it.</p>"
        return html + "</section>\n"
    }

    private func shoes(_ figures: ReportFigures, gear: [Gear], scope: ExportScope) -> String {
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

    private func adherence(_ figures: ReportFigures, scope: ExportScope) -> String {
        var html = "<section id=\"adherence\"><h2>Home-exercise adherence</h2>"
        guard scope.includes(.exerciseLog), figures.scheduledExercises > 0 || figures.exerciseLogs > 0 else {
            return html + "<p class=\"muted\">No home-exercise programme in this period.</p></section>\n"
        }
        let weeks = figures.weekStarts
        var chart = SVGChart(title: "Home exercises done per week", labels: weeks.map(\.shortLabel))
        chart.bars = .init(name: "Done", color: "#1e8449", values: weeks.map { Double(figures.weeks[$0]?.exercisesDone ?? 0) })
        chart.barAxisTitle = "exercises"
        chart.lines = [.init(name: "Scheduled", color: "#34495e", values: weeks.map { Double(figures.weeks[$0]?.exercisesScheduled ?? 0) })]
        chart.lineMax = SVGChart.niceCeiling(
            Double(weeks.map { max(figures.weeks[$0]?.exercisesScheduled ?? 0, figures.weeks[$0]?.exercisesDone ?? 0) }.max() ?? 1))
        chart.lineAxisTitle = "exercises"
        // One scale for both, so that a bar reaching the line means the week's programme was done.
        chart.barMax = chart.lineMax
        html += "<figure>\(chart.render())</figure>"
        html +=
            "<div class=\"scroll\"><table class=\"compact\"><thead><tr><th>Week of</th><th>Scheduled</th><th>Done</th><th>Partly</th><th>Skipped</th><th>Done of scheduled</th></tr></thead><tbody>"
        for week in weeks {
            let stats = figures.weeks[week] ?? .init()
            let share =
                stats.exercisesScheduled == 0
                ? "–" : NumberText.format(Double(stats.exercisesDone) * 100 / Double(stats.exercisesScheduled), digits: 0) + " %"
            html +=
                "<tr data-week=\"\(week.text)\"><td>\(week.text)</td><td data-figure=\"scheduled\">\(stats.exercisesScheduled)</td><td data-figure=\"done\">\(stats.exercisesDone)</td><td data-figure=\"partial\">\(stats.exercisesPartial)</td><td data-figure=\"skipped\">\(stats.exercisesSkipped)</td><td>\(share)</td></tr>"
        }
        html +=
            "</tbody></table></div><p class=\"note\">Scheduled: each exercise of an active rehab or training plan on its days of the week, or its times per week (pro rata for part weeks).</p>"
        return html + "</section>\n"
    }
}
