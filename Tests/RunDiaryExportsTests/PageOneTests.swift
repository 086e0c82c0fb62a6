import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@testable import RunDiaryExports

/// Issue 16 §2: page one tells the story, in the HTML report and in the PDF alike.
@Suite("Export: page one for the physical therapist")
struct PageOneTests {
    /// What the seeded diary's summary must say, computed from the seed.
    struct Expected {
        let treadmill: (painful: Int, runs: Int)
        let outdoor: (painful: Int, runs: Int)
        let aboveCeiling: Int
        let rises: Int
        let scheduled: Int
        let done: Int
        let first: String
        let last: String

        init(_ diary: SeededDiary) {
            let painful = Set(
                diary.pain.filter { $0.severity > 0 && $0.timing != .atRest && $0.timing != .beforeRun }.compactMap(\.runID))
            let treadmill = diary.runs.filter { $0.surface == .treadmill }
            let outdoor = diary.runs.filter { $0.surface != .treadmill && $0.isIndoor != true }
            self.treadmill = (treadmill.filter { painful.contains($0.id) }.count, treadmill.count)
            self.outdoor = (outdoor.filter { painful.contains($0.id) }.count, outdoor.count)
            aboveCeiling =
                diary.pain.filter { entry in
                    entry.timing == .duringRun && entry.severity > ((14...83).contains(SeededDiary.day(of: entry.recordedAt)) ? 4 : 5)
                }.count
            var rises = 0
            var previous: [String: Int] = [:]
            for entry in diary.pain where entry.timing == .nextMorning {
                let key = "\(entry.side.rawValue) \(entry.bodySite.rawValue)"
                if let last = previous[key], entry.severity > last { rises += 1 }
                previous[key] = entry.severity
            }
            self.rises = rises
            var scheduled = 0
            let rehab = diary.plans.first { $0.kind == .rehab }!
            for day in 14...83 {
                for item in diary.items where item.planID == rehab.id {
                    if let weekdays = item.daysOfWeek {
                        scheduled += weekdays.contains(Weekday.knownValues[day % 7]) ? 1 : 0
                    }
                }
            }
            for week in 0..<SeededDiary.weeks {
                let days = (week * 7..<week * 7 + 7).filter { (14...83).contains($0) }.count
                for item in diary.items where item.planID == rehab.id {
                    if let times = item.timesPerWeek, days > 0 { scheduled += Int((Double(times * days) / 7).rounded()) }
                }
            }
            self.scheduled = scheduled
            done = diary.logs.filter { $0.status == .done }.count
            let days = (diary.runs.map(\.startedAt) + diary.pain.map(\.recordedAt) + diary.logs.map(\.performedAt)).map(ReportDay.init)
            first = days.min()!.longLabel
            last = days.max()!.longLabel
        }

        /// Sentences (or parts of them) page one must hold.
        var phrases: [String] {
            [
                "12 weeks with entries between \(first) and \(last)",
                "Pain followed \(treadmill.painful) of \(treadmill.runs) treadmill runs",
                "\(outdoor.painful) of \(outdoor.runs) outdoor runs",
                "Left hip pain, average of the first two weeks with entries against the last two: during runs from",
                "Next-morning pain rose from one morning to the next \(rises) times",
                "Pain during runs went above the plan's ceiling \(aboveCeiling) times",
                "Home exercises: \(done) of \(scheduled) scheduled sessions done",
                "Weekly session load (RPE × minutes) ranged from",
            ]
        }
    }

    @Test("the HTML report opens with the summary in sentences, one chart and the flags grouped by kind and week")
    func htmlPageOneTellsTheStory() async throws {
        try await ExportedDiary.run { exported in
            let diary = try await SeededDiary.plant(userID: exported.userID, in: exported.database)
            let html = try await exported.report(from: SeededDiary.date(day: 0), to: SeededDiary.date(day: 83))
            // Kept for the pictures in docs/exports.md and the README.
            try ExportTestTools.keepArtifact(Data(html.utf8), named: "report.html")
            let expected = Expected(diary)
            #expect(expected.aboveCeiling > 0 && expected.rises > 0)
            let summary = try #require(BoundedReportTests.section("summary", in: html))
            for phrase in expected.phrases {
                #expect(summary.contains(HTMLText.escape(phrase)), "page one lacks: \(phrase)")
            }
            #expect(summary.components(separatedBy: "<svg class=\"chart wide\"").count == 2)
            // The order: summary, flags, then the details.
            let order = ["summary", "flags", "weekly-load", "pain-entries"].compactMap {
                html.range(of: "<section id=\"\($0)\">")?.lowerBound
            }
            #expect(order.count == 4 && order == order.sorted())

            // Flags: one row per kind with its weeks, whose counts add up to the flagged entries, each marked below.
            let flags = try #require(BoundedReportTests.section("flags", in: html))
            let kinds = ExportTestTools.attributeValues("data-flag-group", in: flags)
            let counts = Self.cells("count", in: flags).compactMap { Int($0) }
            #expect(kinds == ["above-ceiling", "morning-rise"] && counts.count == 2)
            let byWeek = ExportTestTools.attributeValues("data-count", in: flags).compactMap { Int($0) }
            #expect(byWeek.reduce(0, +) == expected.aboveCeiling + expected.rises)
            #expect(zip(kinds, counts).filter { $0.0 == "above-ceiling" }.map(\.1).reduce(0, +) == expected.aboveCeiling)
            #expect(zip(kinds, counts).filter { $0.0 == "morning-rise" }.map(\.1).reduce(0, +) == expected.rises)
            let marked = ExportTestTools.attributeValues(
                "data-flag", in: try #require(BoundedReportTests.section("pain-entries", in: html)))
            #expect(marked.filter { $0 == "above-ceiling" }.count == expected.aboveCeiling)
            #expect(marked.filter { $0 == "morning-rise" }.count == expected.rises)
        }
    }

    @Test("the PDF is A4, embeds its fonts, and page one holds the same sentences, found by poppler")
    func pdfPageOneTellsTheStory() async throws {
        try await ExportedDiary.run { exported in
            let diary = try await SeededDiary.plant(userID: exported.userID, in: exported.database)
            let pdf = try await exported.render(.pdf, from: SeededDiary.date(day: 0), to: SeededDiary.date(day: 83))
            let file = try ExportTestTools.temporaryFile(pdf, suffix: ".pdf")
            defer { try? FileManager.default.removeItem(at: file) }
            try ExportTestTools.keepArtifact(pdf, named: "report.pdf")

            let info = try await ExportTestTools.tool("pdfinfo", [file.path])
            #expect(info.contains("595.28 x 841.89 pts (A4)"), "\(info)")
            let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") }
            #expect((pages ?? 0) >= 2)
            let fonts = try await ExportTestTools.tool("pdffonts", [file.path]).split(separator: "\n").dropFirst(2)
            #expect(!fonts.isEmpty && fonts.allSatisfy { $0.contains("DejaVu") && $0.contains(" yes ") }, "\(fonts)")

            let pageOne = ExportTestTools.flattened(try await ExportTestTools.tool("pdftotext", ["-f", "1", "-l", "1", file.path, "-"]))
            for phrase in Expected(diary).phrases {
                #expect(pageOne.contains(phrase), "PDF page one lacks: \(phrase)")
            }
            #expect(pageOne.contains("Flags from the pain-monitoring model"))
            // User text is drawn as it was written: no markup to escape, nothing interpreted.
            let all = ExportTestTools.flattened(try await ExportTestTools.tool("pdftotext", [file.path, "-"]))
            #expect(all.contains("Hip \"clicks\", <b>bold</b> & <script>alert(1)</script> second line"))
        }
    }

    /// The texts of the cells carrying `data-figure="name"`, in order.
    static func cells(_ name: String, in html: String) -> [String] {
        html.components(separatedBy: "data-figure=\"\(name)\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }
}
