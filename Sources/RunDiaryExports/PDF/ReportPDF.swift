import Foundation
import RunDiaryModels
import RunDiaryStore

/// The report as an A4 PDF, drawn in the server process with cairo: page one is the summary in sentences, the
/// open questions, one chart and the flags grouped by kind and week, as in the HTML report; the detail lists
/// (pain entries with their flags, runs with their notes) follow, streamed from the snapshot's second pass.
///
/// Bytes go to the sink page by page, so memory holds one page besides the report's aggregates.
struct ReportPDF {
    let snapshot: DiarySnapshot
    let sink: any ByteSink
    var generatedAt = Date()

    func render() async throws {
        let scope = snapshot.scope
        let report = try await ReportData.read(snapshot)
        let (name, plans, figures, summary) = (report.name, report.plans, report.figures, report.summary)

        let canvas = try PDFCanvas(title: "Running diary – \(name)")
        // Page one.
        canvas.font(size: 17, bold: true)
        canvas.color(0x1F2933)
        canvas.show("Running diary: pain and training", x: PDFCanvas.margin, baseline: canvas.y + 17)
        canvas.y += 24
        canvas.color(0x616E7C)
        canvas.paragraph(
            "\(name.isEmpty ? "Runner" : name) · \(report.period) · generated \(Timestamp(generatedAt).description.prefix(10)) by RunDiary",
            size: 9)
        heading("Summary", on: canvas)
        canvas.color(0x1F2933)
        for line in summary.story { canvas.paragraph(line.text, size: 9.5, bullet: "•") }
        if !summary.questions.isEmpty {
            heading("Open questions", on: canvas, size: 11)
            canvas.color(0x1F2933)
            for line in summary.questions { canvas.paragraph(line.text, size: 9.5, bullet: "?") }
        }
        if figures.runCount > 0 || figures.painCount > 0 {
            canvas.y += 6
            chart(figures).draw(on: canvas)
        }
        heading("Flags from the pain-monitoring model", on: canvas, size: 11)
        if figures.flagsPerWeek.isEmpty {
            canvas.color(0x616E7C)
            canvas.paragraph(
                "No pain above the ceiling during runs, and next-morning pain never rose from one morning to the next.", size: 9)
        } else {
            let table = PDFTable(headers: ["Flag", "Times", "By week", "Worst"], widths: [0.24, 0.07, 0.37, 0.32])
            table.header(on: canvas)
            for kind in PainFlagRule.Kind.allCases {
                guard let context = figures.flagContext[kind], let worst = context.worst else { continue }
                let weeks = figures.flagWeeks(kind).map { "\($0.week.shortLabel) ×\($0.count)" }.joined(separator: ", ")
                table.row(
                    [
                        kind.title, String(context.count), "weeks of " + weeks,
                        "\(worst.site) \(worst.flag.comparison), \(Self.localTime(worst.recordedAt))",
                    ], on: canvas)
            }
        }
        canvas.y += 4
        canvas.color(0x616E7C)
        canvas.paragraph(
            "Computed from the runner's own entries; a description of the diary, not a diagnosis. Pain: 0–10 numeric rating scale. Session load: RPE × moving minutes. Stretches of more than \(ReportTimeline.longestShownBreak) weeks without entries are collapsed.",
            size: 7.5)
        try await flush(canvas)

        // The details, from page two.
        canvas.newPage()
        if scope.includes(.painEntry) {
            heading("Pain entries", on: canvas)
            let table = PDFTable(
                headers: ["When (local)", "Where", "Pain", "Timing", "Notes", "Flag"], widths: [0.17, 0.13, 0.06, 0.13, 0.31, 0.20])
            table.header(on: canvas)
            var rule = PainFlagRule(plans: plans)
            var rows = 0
            try await snapshot.forEachPainEntry { exported in
                let entry = exported.entry
                let flag = rule.check(entry)
                table.row(
                    [
                        Self.localTime(entry.recordedAt), ReportFigures.siteLabel(entry.bodySite, entry.side), "\(entry.severity)/10",
                        FHIRCodes.label(entry.timing.rawValue), entry.notes ?? "", flag?.comparison ?? "",
                    ], on: canvas, accent: 0xB03A2E)
                rows += 1
                if rows % 50 == 0 { try await flush(canvas) }
            }
            try await flush(canvas)
        }
        if scope.includes(.run) {
            heading("Runs and form notes", on: canvas)
            let table = PDFTable(
                headers: ["When (local)", "Surface", "km", "Time", "Cadence", "Step (mm)", "RPE", "Notes and form notes"],
                widths: [0.17, 0.10, 0.07, 0.08, 0.08, 0.08, 0.06, 0.36])
            table.header(on: canvas)
            var rows = 0
            try await snapshot.forEachRun { exported in
                let run = exported.run
                let notes = [run.title, run.notes, run.formNotes.map { "Form: " + $0 }].compactMap { $0 }.joined(separator: " · ")
                table.row(
                    [
                        Self.localTime(run.startedAt), run.surface.map { FHIRCodes.label($0.rawValue) } ?? "",
                        run.distanceMeters.map { NumberText.format($0 / 1000, digits: 2) } ?? "",
                        ReportTables.duration(run.movingSeconds ?? run.elapsedSeconds), run.averageCadence.map(String.init) ?? "",
                        run.averageStepLengthMillimeters.map(String.init) ?? "", run.rpe.map { NumberText.format($0) } ?? "", notes,
                    ], on: canvas)
                rows += 1
                if rows % 50 == 0 { try await flush(canvas) }
            }
        }
        if !plans.isEmpty {
            heading("Plans", on: canvas)
            for exported in plans {
                let plan = exported.plan
                canvas.color(0x1F2933)
                canvas.paragraph(
                    "\(plan.title) — \(FHIRCodes.label(plan.kind.rawValue)), \(plan.startDate?.description ?? "…") – \(plan.endDate?.description ?? "…"), pain ceiling \(plan.effectivePainCeiling)/10",
                    size: 9)
                for item in exported.items {
                    canvas.paragraph(
                        [item.exercise, PlanCarePlan.description(item)].compactMap { $0 }.joined(separator: ": "), x: PDFCanvas.margin + 10,
                        width: canvas.contentWidth - 10, size: 8.5, bullet: "–")
                }
            }
        }
        try canvas.finish()
        try await flush(canvas)
    }

    private func heading(_ text: String, on canvas: PDFCanvas, size: Double = 13) {
        canvas.ensureRoom(size * 3)
        canvas.y += size * 0.8
        canvas.font(size: size, bold: true)
        canvas.color(0x1F2933)
        canvas.show(text, x: PDFCanvas.margin, baseline: canvas.y + size)
        canvas.y += size * 1.3
        canvas.line(
            from: (PDFCanvas.margin, canvas.y), to: (PDFCanvas.margin + canvas.contentWidth, canvas.y), color: 0x2471A3, width: 1.2)
        canvas.y += 5
    }

    private func chart(_ figures: ReportFigures) -> PDFChart {
        let axis = figures.timeline.axis
        let weeks = axis.weeks
        let lines = figures.siteLabels.enumerated().map { index, label in
            (
                name: "Worst pain, " + label.lowercased(), color: PDFChart.palette[index % PDFChart.palette.count],
                values: figures.worstPain(at: label, over: weeks)
            )
        }
        return PDFChart(
            labels: axis.labels, gaps: axis.gaps, bars: weeks.map { week in week.map { (figures.weeks[$0]?.distanceMeters ?? 0) / 1000 } },
            lines: lines, barTitle: "Distance (km per week)")
    }

    private func flush(_ canvas: PDFCanvas) async throws {
        let bytes = canvas.drain()
        if !bytes.isEmpty { try await sink.write(bytes) }
    }

    /// `2026-03-02 07:30 UTC+01:00`.
    static func localTime(_ timestamp: Timestamp) -> String {
        let (time, zone) = ReportTables.localTimeParts(timestamp)
        return time + " " + zone
    }
}
