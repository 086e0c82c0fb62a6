import Foundation
import RunDiaryModels
import RunDiaryStore

/// The report's detail tables, streamed row by row from the snapshot.
enum ReportTables {
    static func painEntries(_ snapshot: DiarySnapshot, plans: [ExportedPlan], sink: any ByteSink) async throws {
        try await sink.write(
            """
            <section id="pain-entries"><h2>Pain entries</h2><div class="scroll"><table class="entries"><thead><tr>\
            <th>When (local time)</th><th>Where</th><th>Pain</th><th>Timing</th><th>Character</th><th>Impact</th>\
            <th>Notes</th><th>Flag</th></tr></thead><tbody>

            """)
        var rows = 0
        var rule = PainFlagRule(plans: plans)
        try await snapshot.forEachPainEntry { exported in
            let entry = exported.entry
            rows += 1
            let flag = rule.check(entry)
            let character = (entry.qualities ?? []).map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }
                .joined(separator: ", ")
            let severityClass = entry.severity >= 6 ? "high" : entry.severity >= 3 ? "mid" : "low"
            try await sink.write(
                "<tr data-pain-entry=\"\(entry.id.uuidString.lowercased())\"\(flag.map { " class=\"flagged\" data-flag=\"\($0.kind.rawValue)\"" } ?? "")><td>\(localTime(entry.recordedAt))</td>"
                    + "<td>\(HTMLText.escape(ReportFigures.siteLabel(entry.bodySite, entry.side)))</td>"
                    + "<td class=\"score \(severityClass)\">\(entry.severity)</td>"
                    + "<td>\(HTMLText.escape(FHIRCodes.label(entry.timing.rawValue)))</td>"
                    + "<td>\(HTMLText.escape(character))</td>"
                    + "<td>\(HTMLText.escape(entry.activityImpact.map { FHIRCodes.label($0.rawValue) } ?? ""))</td>"
                    + "<td class=\"text\">\(HTMLText.escape(entry.notes ?? ""))</td>"
                    + "<td>\(flag.map { "\($0.kind == .aboveCeiling ? "Above the ceiling" : "Higher than the morning before"): \($0.comparison)" } ?? "")</td></tr>\n"
            )
        }
        if rows == 0 {
            try await sink.write("<tr><td colspan=\"8\" class=\"muted\">No pain entries.</td></tr>")
        }
        try await sink.write("</tbody></table></div></section>\n")
    }

    static func runNotes(_ snapshot: DiarySnapshot, sink: any ByteSink, gear: [Gear]) async throws {
        try await sink.write(
            """
            <section id="run-notes"><h2>Runs and form notes</h2><div class="scroll"><table class="entries"><thead><tr>\
            <th>When (local time)</th><th>Where</th><th>km</th><th>Time</th><th>Cadence</th><th>Step (mm)</th>\
            <th>RPE</th><th>Shoe</th><th>Notes</th><th>Form notes</th></tr></thead><tbody>

            """)
        let names = Dictionary(gear.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var rows = 0
        try await snapshot.forEachRun { exported in
            let run = exported.run
            rows += 1
            let moving = run.movingSeconds ?? run.elapsedSeconds
            let surface = [
                run.surface.map { FHIRCodes.label($0.rawValue) }, run.inclinePercent.map { "\(NumberText.format($0)) % incline" },
            ]
            .compactMap { $0 }.joined(separator: ", ")
            try await sink.write(
                "<tr data-run=\"\(run.id.uuidString.lowercased())\"><td>\(localTime(run.startedAt))</td>"
                    + "<td>\(HTMLText.escape(surface))</td>"
                    + "<td>\(run.distanceMeters.map { NumberText.format($0 / 1000, digits: 2) } ?? "")</td>"
                    + "<td>\(duration(moving))</td>"
                    + "<td>\(run.averageCadence.map(String.init) ?? "")</td>"
                    + "<td>\(run.averageStepLengthMillimeters.map(String.init) ?? "")</td>"
                    + "<td>\(run.rpe.map { NumberText.format($0) } ?? "")</td>"
                    + "<td>\(HTMLText.escape(run.gearID.flatMap { names[$0] } ?? ""))</td>"
                    + "<td class=\"text\">\(HTMLText.escape([run.title, run.notes].compactMap { $0 }.joined(separator: ". ")))</td>"
                    + "<td class=\"text\">\(HTMLText.escape(run.formNotes ?? ""))</td></tr>\n")
        }
        if rows == 0 {
            try await sink.write("<tr><td colspan=\"10\" class=\"muted\">No runs.</td></tr>")
        }
        try await sink.write("</tbody></table></div></section>\n")
    }

    /// `2026-03-02 07:30 <small>UTC+01:00</small>`: the time as the runner saw it, with the offset it was recorded in.
    static func localTime(_ timestamp: Timestamp) -> String {
        let (time, zone) = localTimeParts(timestamp)
        return "\(time) <small>\(zone)</small>"
    }

    /// (`2026-03-02 07:30`, `UTC+01:00`), or `UTC` for a zero offset.
    static func localTimeParts(_ timestamp: Timestamp) -> (time: String, zone: String) {
        let text = timestamp.description
        let local = text.prefix(16).replacingOccurrences(of: "T", with: " ")
        return (local, timestamp.utcOffsetSeconds == 0 ? "UTC" : "UTC\(text.suffix(6))")
    }

    /// `1:05:30` or `42:10`.
    static func duration(_ seconds: Int) -> String {
        let hours = seconds / 3600
        let minutes = seconds / 60 % 60
        let rest = seconds % 60
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(rest))" : "\(minutes):\(two(rest))"
    }
}
