import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@testable import RunDiaryExports

/// Issue 15 §2: what a figure or table covers must not grow with the distance between two dates.
@Suite("Export: bounded by the entries, not by the dates")
struct BoundedReportTests {
    /// The first and last day of LocalDate's years 1…9999: wider than the dates the service accepts
    /// (``DiaryCalendar``), as rows written around the API could be; the report must stay small regardless.
    static let earliest = Timestamp("0001-01-01T06:00:00Z")!
    static let latest = Timestamp("9999-12-31T18:00:00Z")!

    /// Two runs at the ends of the date domain, and dozens of records spread between them: pain at every moment,
    /// home exercises, and a rehab plan from the first day without an end.
    static func hostileDiary() -> SeededDiary {
        var diary = SeededDiary()
        var plan = Plan(kind: .rehab, title: "Forever rehab")
        plan.status = .active
        plan.startDate = LocalDate(year: 1, month: 1, day: 1)
        var clamshell = PlanItem(planID: plan.id, kind: .strength, exercise: "Clamshell")
        clamshell.daysOfWeek = [.monday, .wednesday, .friday]
        var squat = PlanItem(planID: plan.id, kind: .strength, exercise: "Squat")
        squat.timesPerWeek = 2
        diary.plans = [plan]
        diary.items = [clamshell, squat]
        for (index, at) in [earliest, latest].enumerated() {
            var run = Run(startedAt: at, elapsedSeconds: 1800)
            run.distanceMeters = 5000
            run.rpe = 5
            run.surface = index == 0 ? .treadmill : .road
            diary.runs.append(run)
        }
        let span = latest.secondsSinceEpoch - earliest.secondsSinceEpoch
        let timings: [PainTiming] = [.duringRun, .afterRun, .nextMorning, .atRest]
        for index in 0..<48 {
            let at = Timestamp(
                Date(timeIntervalSince1970: TimeInterval(earliest.secondsSinceEpoch + span / 48 * Int64(index) + 3600)))
            var run = Run(startedAt: at, elapsedSeconds: 1500 + index)
            run.distanceMeters = Double(3000 + index * 100)
            run.rpe = Double(index % 10)
            diary.runs.append(run)
            var entry = PainEntry(
                recordedAt: Timestamp(at.date.addingTimeInterval(600)), bodySite: index % 2 == 0 ? .hip : .knee, side: .left,
                severity: index % 11, timing: timings[index % timings.count])
            entry.runID = run.id
            diary.pain.append(entry)
            diary.logs.append(
                ExerciseLog(planItemID: clamshell.id, performedAt: Timestamp(at.date.addingTimeInterval(7200)), status: .done))
        }
        return diary
    }

    @Test("a diary from year 1 to year 9999 gives a small report whose tables list the weeks with entries and mark the gaps")
    func hostileDiaryGivesASmallReport() async throws {
        try await ExportedDiary.run { exported in
            let diary = Self.hostileDiary()
            try await diary.insert(userID: exported.userID, into: exported.database)
            let html = try await exported.report()
            try ExportTestTools.keepArtifact(Data(html.utf8), named: "hostile-report.html")
            // The report before this change: 67 MB with 521,731 weekly rows for the two runs alone.
            #expect(html.utf8.count < 400_000, "the report is \(html.utf8.count) bytes")

            let weeksWithEntries = Set(
                (diary.runs.map(\.startedAt) + diary.pain.map(\.recordedAt) + diary.logs.map(\.performedAt)).map {
                    ReportDay($0).weekStart
                })
            let weekly = try #require(Self.section("weekly-load", in: html))
            let weekRows = ExportTestTools.attributeValues("data-week", in: weekly)
            let gapRows = ExportTestTools.attributeValues("data-gap-weeks", in: weekly)
            #expect(Set(weekRows).count == weekRows.count)
            #expect(weekRows.count >= weeksWithEntries.count)
            #expect(weekRows.count <= weeksWithEntries.count * Int(ReportTimeline.longestShownBreak + 1) + 8)
            #expect(gapRows.count >= weeksWithEntries.count - 1 && gapRows.count <= weeksWithEntries.count + 1)
            // The gaps add up to the weeks left out, and say so in words.
            let shownWeeks = Int64(weekRows.count) + gapRows.compactMap { Int64($0) }.reduce(0, +)
            let firstWeek = ReportDay(Self.earliest).weekStart
            let lastWeek = ReportDay(Self.latest).weekStart
            #expect(shownWeeks == firstWeek.distance(to: lastWeek) / 7 + 1)
            #expect(weekly.contains("weeks without entries —"))

            // Every other table of weeks and every chart is bounded the same way.
            let adherence = try #require(Self.section("adherence", in: html))
            #expect(ExportTestTools.attributeValues("data-week", in: adherence).count == weekRows.count)
            #expect(html.components(separatedBy: "<rect").count < 2_000)
            #expect(html.components(separatedBy: "<circle").count < 2_000)

            // The other formats hold the records, not the calendar.
            let pdf = try await exported.render(.pdf)
            #expect(pdf.count < 1_000_000, "the PDF is \(pdf.count) bytes")
            let archive = try await exported.render(.zip)
            #expect(archive.count < 3_000_000, "the ZIP is \(archive.count) bytes")
            let fhir = try await exported.render(.fhir)
            #expect(fhir.count < 500_000)
        }
    }

    @Test("a stretch of more than three empty weeks is one marked gap; shorter breaks stay week by week")
    func timelineCollapsesLongGaps() {
        let monday = ReportDay(LocalDate(year: 2026, month: 1, day: 5)!)
        func week(_ n: Int64) -> ReportDay { monday.advanced(by: 7 * n) }
        let timeline = ReportTimeline(range: monday...week(60).advanced(by: 3), weeksWithEntries: [week(0), week(2), week(10), week(60)])
        #expect(
            timeline.slots == [
                .week(week(0)), .week(week(1)), .week(week(2)), .gap(first: week(3), weeks: 7), .week(week(10)),
                .gap(first: week(11), weeks: 49), .week(week(60)),
            ])
        // The range's own ends count: a long lead-in is a gap too.
        let lead = ReportTimeline(range: week(-30)...week(1), weeksWithEntries: [week(0)])
        #expect(lead.slots == [.gap(first: week(-30), weeks: 30), .week(week(0)), .week(week(1))])
        #expect(ReportTimeline.gapText(weeks: 521_730) == "— 521,730 weeks without entries —")
    }

    @Test("scheduled home exercises are counted in closed form, equal to counting day by day")
    func scheduleCountsMatchDayByDay() {
        var byDays = PlanItem(planID: UUID(), kind: .strength, exercise: "Clamshell")
        byDays.daysOfWeek = [.monday, .thursday, .sunday]
        var perWeek = PlanItem(planID: UUID(), kind: .strength, exercise: "Squat")
        perWeek.timesPerWeek = 3
        let monday = ReportDay(LocalDate(year: 2026, month: 1, day: 5)!)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int64) -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((state >> 33) % UInt64(bound))
        }
        for _ in 0..<200 {
            let first = monday.advanced(by: 7 * (next(20) - 10))
            let last = first.advanced(by: 7 * next(15))
            let start = monday.advanced(by: next(200) - 100)
            let active = start...start.advanced(by: next(120))
            for item in [byDays, perWeek] {
                var expected = 0
                for week in stride(from: first, through: last, by: 7) {
                    let days = (0..<7).map { week.advanced(by: Int64($0)) }.filter { active.contains($0) }
                    guard let low = days.first, let high = days.last else { continue }
                    expected += ExerciseSchedule.inWeek(item, days: low...high)
                }
                #expect(ExerciseSchedule.count(item, weeks: first, through: last, active: active) == expected)
            }
        }
    }

    /// The HTML of `<section id="name">…</section>`.
    static func section(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: "<section id=\"\(name)\">") else { return nil }
        guard let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }
}
