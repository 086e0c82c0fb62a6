import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@Suite("Export: HTML report")
struct ReportTests {
    @Test("the report of a known diary holds the sections and the figures computed from the seed")
    func reportHoldsSectionsAndFigures() async throws {
        try await ExportedDiary.run { exported in
            let diary = try await SeededDiary.plant(userID: exported.userID, in: exported.database)
            let from = SeededDiary.date(day: 0)
            let to = SeededDiary.date(day: 83)
            let html = try await exported.report(from: from, to: to)

            for section in [
                "summary", "flags", "weekly-load", "next-morning", "surfaces", "shoes", "adherence", "plans", "pain-entries", "run-notes",
            ] {
                #expect(html.contains("<section id=\"\(section)\">"), "section \(section)")
            }
            #expect(ExportTestTools.figure("period", in: html) == "\(from) – \(to)")
            #expect(ExportTestTools.figure("runs", in: html) == String(diary.runs.count))
            let totalKm = diary.runs.compactMap(\.distanceMeters).reduce(0, +) / 1000
            #expect(Self.number(ExportTestTools.figure("total-distance-km", in: html)).map { abs($0 - totalKm) <= 0.05 } == true)
            #expect(ExportTestTools.figure("pain-entries", in: html) == String(diary.pain.count))
            let treadmill = diary.runs.filter { $0.surface == .treadmill }
            let share = Double(treadmill.count) * 100 / Double(diary.runs.count)
            #expect(Self.number(ExportTestTools.figure("treadmill-share", in: html)).map { abs($0 - share) <= 0.5 } == true)

            // Flags: during-run pain above the ceiling in force (4 while the rehab plan runs, else 5), and
            // next-morning pain above the previous morning for the same site.
            let flags = PageOneTests.Expected(diary)
            #expect(flags.aboveCeiling > 0 && flags.rises > 0)
            #expect(ExportTestTools.attributeValues("data-flag", in: html).filter { $0 == "above-ceiling" }.count == flags.aboveCeiling)
            #expect(ExportTestTools.attributeValues("data-flag", in: html).filter { $0 == "morning-rise" }.count == flags.rises)
            #expect(ExportTestTools.figure("flags", in: html) == String(flags.aboveCeiling + flags.rises))

            // Weekly distance and load, per week.
            for week in 0..<SeededDiary.weeks {
                let runs = diary.runs.filter { SeededDiary.day(of: $0.startedAt) / 7 == week }
                let km = runs.compactMap(\.distanceMeters).reduce(0, +) / 1000
                let load = runs.reduce(0.0) { $0 + ($1.rpe ?? 0) * Double($1.movingSeconds ?? $1.elapsedSeconds) / 60 }
                let anchor = "data-week=\"\(SeededDiary.date(day: week * 7))\"><td>"
                #expect(Self.number(ExportTestTools.figure("week-km", in: html, after: anchor)).map { abs($0 - km) <= 0.05 } == true)
                #expect(Self.number(ExportTestTools.figure("week-load", in: html, after: anchor)).map { abs($0 - load) <= 0.5 } == true)
            }

            // Treadmill against outdoor: runs, cadence and how often pain followed.
            let painful = Set(diary.pain.filter { $0.severity > 0 && $0.timing != .atRest && $0.timing != .beforeRun }.compactMap(\.runID))
            let treadmillCadence = Double(treadmill.compactMap(\.averageCadence).reduce(0, +)) / Double(treadmill.count)
            let anchor = "data-surface=\"treadmill\">"
            #expect(ExportTestTools.figure("runs", in: html, after: anchor) == String(treadmill.count))
            #expect(
                Self.number(ExportTestTools.figure("cadence", in: html, after: anchor)).map { abs($0 - treadmillCadence) <= 0.5 } == true)
            #expect(
                ExportTestTools.figure("pain-followed", in: html, after: anchor)?.hasPrefix(
                    "\(treadmill.filter { painful.contains($0.id) }.count) of \(treadmill.count)") == true)

            // Shoe mileage: initial distance plus the runs in the report.
            let shoe = diary.gear[0]
            let shoeKm =
                ((shoe.initialDistanceMeters ?? 0) + diary.runs.filter { $0.gearID == shoe.id }.compactMap(\.distanceMeters).reduce(0, +))
                / 1000
            #expect(
                Self.number(ExportTestTools.figure("total-km", in: html, after: "data-gear=\"\(shoe.id.uuidString.lowercased())\"")).map {
                    abs($0 - shoeKm) <= 0.05
                } == true)

            // Rehab adherence: scheduled from days_of_week / times_per_week within the plan's dates, done from the log.
            let rehab = try #require(diary.plans.first { $0.kind == .rehab })
            for week in 0..<SeededDiary.weeks {
                var scheduled = 0
                for item in diary.items where item.planID == rehab.id {
                    let days = (week * 7..<week * 7 + 7).filter { (14...83).contains($0) }
                    if let weekdays = item.daysOfWeek {
                        let indices = weekdays.map { Weekday.knownValues.firstIndex(of: $0)! }
                        scheduled += days.filter { indices.contains($0 % 7) }.count
                    } else if let times = item.timesPerWeek, !days.isEmpty {
                        scheduled += Int((Double(times * days.count) / 7).rounded())
                    }
                }
                let done = diary.logs.filter { $0.status == .done && SeededDiary.day(of: $0.performedAt) / 7 == week }.count
                let anchor =
                    "<tr data-week=\"\(SeededDiary.date(day: week * 7))\"><td>\(SeededDiary.date(day: week * 7))</td><td data-figure=\"scheduled\">"
                #expect(html.contains(anchor + "\(scheduled)</td><td data-figure=\"done\">\(done)</td>"), "adherence of week \(week + 1)")
            }

            // Every pain entry and run is listed, in local time; user text is escaped; nothing is loaded from outside.
            #expect(
                Set(ExportTestTools.attributeValues("data-pain-entry", in: html)) == Set(diary.pain.map { $0.id.uuidString.lowercased() }))
            #expect(Set(ExportTestTools.attributeValues("data-run", in: html)) == Set(diary.runs.map { $0.id.uuidString.lowercased() }))
            #expect(html.contains("07:30 <small>UTC+01:00</small>"))
            #expect(html.contains("Week 4: overstriding less"))
            #expect(!html.contains("<script"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(html.contains("Hip &quot;clicks&quot;, &lt;b&gt;bold&lt;/b&gt; &amp;"))
            #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("url("))
            #expect(html.contains("<svg class=\"chart wide\"") && html.contains("<svg class=\"chart narrow\""))
            #expect(html.contains("@page{size:A4"))
            #expect(html.contains("<meta name=\"viewport\""))
        }
    }

    static func number(_ text: String?) -> Double? {
        guard let text else { return nil }
        return Double(text.split(separator: " ").first ?? "")
    }
}
