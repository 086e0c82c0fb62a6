import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@Suite("Export: CSV and ZIP")
struct CSVAndZipTests {
    @Test("the CSV files parse back to the stored values")
    func csvParsesBackToStoredValues() async throws {
        try await ExportedDiary.run { exported in
            let diary = try await SeededDiary.plant(userID: exported.userID, in: exported.database)
            let files = try await ExportTestTools.unzip(try await exported.render(.csv))
            #expect(
                Set(files.keys) == [
                    "README.txt", "runs.csv", "pain_entries.csv", "plans.csv", "plan_items.csv", "exercise_logs.csv", "gear.csv",
                ])

            let runs = try ExportTestTools.records(files["runs.csv"])
            #expect(runs.count == diary.runs.count)
            for (row, run) in zip(runs, diary.runs) {
                #expect(row["id"] == run.id.uuidString.lowercased())
                #expect(Timestamp(row["started_at"] ?? "") == run.startedAt)
                #expect(Double(row["distance_m"] ?? "") == run.distanceMeters)
                #expect(Int(row["elapsed_s"] ?? "") == run.elapsedSeconds)
                #expect(Int(row["moving_s"] ?? "") == run.movingSeconds)
                #expect(Int(row["avg_cadence_spm"] ?? "") == run.averageCadence)
                #expect(Int(row["avg_step_length_mm"] ?? "") == run.averageStepLengthMillimeters)
                #expect(Double(row["rpe"] ?? "") == run.rpe)
                #expect(row["surface"] == run.surface?.rawValue)
                #expect(row["is_indoor"] == (run.isIndoor == true ? "true" : "false"))
                #expect(row["gear_id"] == run.gearID?.uuidString.lowercased())
                #expect(row["form_notes"] == (run.formNotes ?? ""))
            }
            #expect(runs.contains { $0["form_notes"] == SeededDiary.trickyText })

            let pain = try ExportTestTools.records(files["pain_entries.csv"])
            #expect(pain.count == diary.pain.count)
            for (row, entry) in zip(pain, diary.pain) {
                #expect(row["id"] == entry.id.uuidString.lowercased())
                #expect(Timestamp(row["recorded_at"] ?? "") == entry.recordedAt)
                #expect(row["body_site"] == entry.bodySite.rawValue && row["side"] == entry.side.rawValue)
                #expect(Int(row["severity"] ?? "") == entry.severity)
                #expect(row["timing"] == entry.timing.rawValue)
                #expect(row["qualities"]?.split(separator: ";").map(String.init) == entry.qualities?.map(\.rawValue))
                #expect(row["run_id"] == (entry.runID?.uuidString.lowercased() ?? ""))
                #expect(row["notes"] == (entry.notes ?? ""))
            }

            let logs = try ExportTestTools.records(files["exercise_logs.csv"])
            // Exported in time order; the seed lists them by exercise within a week.
            let chronological = diary.logs.sorted {
                ($0.performedAt, $0.id.uuidString.lowercased()) < ($1.performedAt, $1.id.uuidString.lowercased())
            }
            #expect(logs.map { $0["id"] } == chronological.map { $0.id.uuidString.lowercased() })
            for (row, log) in zip(logs, chronological) {
                #expect(Timestamp(row["performed_at"] ?? "") == log.performedAt)
                #expect(row["status"] == log.status.rawValue)
                #expect(Int(row["reps_done"] ?? "") == log.repsDone)
                #expect(Int(row["sets_done"] ?? "") == log.setsDone)
                #expect(Int(row["pain_during"] ?? "") == log.painDuring)
                #expect(row["plan_item_id"] == log.planItemID.uuidString.lowercased())
            }
            let plans = try ExportTestTools.records(files["plans.csv"])
            #expect(Set(plans.map { $0["id"] ?? "" }) == Set(diary.plans.map { $0.id.uuidString.lowercased() }))
            let rehab = try #require(plans.first { $0["kind"] == "rehab" })
            #expect(
                rehab["pain_ceiling"] == "4" && rehab["author_name"] == "Dr. Lee, PT"
                    && rehab["start_date"] == SeededDiary.date(day: 14).description)
            let items = try ExportTestTools.records(files["plan_items.csv"])
            #expect(items.count == diary.items.count)
            for item in diary.items {
                let row = try #require(items.first { $0["id"] == item.id.uuidString.lowercased() })
                #expect(row["exercise"] == item.exercise)
                #expect(row["days_of_week"] == (item.daysOfWeek?.map(\.rawValue).joined(separator: ";") ?? ""))
                #expect(Int(row["times_per_week"] ?? "") == item.timesPerWeek)
            }
            let gear = try ExportTestTools.records(files["gear.csv"])
            let shoe = try #require(gear.first { $0["name"] == "Pegasus 40" })
            #expect(Double(shoe["initial_distance_m"] ?? "") == 120_000 && shoe["started_on"] == "2025-10-01")
        }
    }

    @Test("a date range keeps records by their local date, inclusive")
    func rangeUsesLocalDates() async throws {
        try await ExportedDiary.run { exported in
            let diary = try await SeededDiary.plant(userID: exported.userID, in: exported.database)
            // 00:30 local on the 14th is the 13th in UTC: in range by its local date.
            var early = PainEntry(
                recordedAt: SeededDiary.at(day: 14, hour: 0, minute: 30), bodySite: .hip, side: .left, severity: 1, timing: .atRest)
            early.notes = "just after midnight"
            try await SeededDiary(pain: [early]).insert(userID: exported.userID, into: exported.database)
            let from = SeededDiary.date(day: 14)
            let to = SeededDiary.date(day: 27)
            let files = try await ExportTestTools.unzip(try await exported.render(.csv, from: from, to: to))
            let expected = (diary.pain + [early]).filter { entry in
                let day = String(entry.recordedAt.description.prefix(10))
                return day >= from.description && day <= to.description
            }
            let ids = try ExportTestTools.records(files["pain_entries.csv"]).map { $0["id"] ?? "" }
            #expect(Set(ids) == Set(expected.map { $0.id.uuidString.lowercased() }))
            #expect(ids.contains(early.id.uuidString.lowercased()))
            let runIDs = try ExportTestTools.records(files["runs.csv"]).map { $0["id"] ?? "" }
            #expect(runIDs.count == diary.runs.filter { (14...27).contains(SeededDiary.day(of: $0.startedAt)) }.count)
        }
    }

    @Test("an export of more rows than one cursor batch streams them all")
    func exportStreamsEveryBatch() async throws {
        try await ExportedDiary.run { exported in
            var diary = SeededDiary()
            for index in 0..<1_234 {
                var run = Run(startedAt: SeededDiary.at(day: index * 3, hour: 6), elapsedSeconds: 1200 + index)
                run.distanceMeters = Double(index)
                diary.runs.append(run)
            }
            try await diary.insert(userID: exported.userID, into: exported.database)
            let rows = try ExportTestTools.records(try await ExportTestTools.unzip(try await exported.render(.csv))["runs.csv"])
            #expect(rows.map { $0["id"] ?? "" } == diary.runs.map { $0.id.uuidString.lowercased() })
            let html = try await exported.report()
            #expect(ExportTestTools.figure("runs", in: html) == "1234")
        }
    }

    @Test("the zip format holds the report, the FHIR bundle and the CSV files")
    func zipHoldsEveryFormat() async throws {
        try await ExportedDiary.run { exported in
            let diary = try await SeededDiary.plant(userID: exported.userID, in: exported.database)
            let files = try await ExportTestTools.unzip(try await exported.render(.zip))
            #expect(
                Set(files.keys).isSuperset(of: [
                    "README.txt", "report.html", "fhir-bundle.json", "csv/README.txt", "csv/runs.csv", "csv/pain_entries.csv",
                ]))
            try await ExportTestTools.validateFHIR(try #require(files["fhir-bundle.json"]))
            #expect(try ExportTestTools.records(files["csv/runs.csv"]).count == diary.runs.count)
            let html = String(decoding: try #require(files["report.html"]), as: UTF8.self)
            #expect(ExportTestTools.figure("runs", in: html) == String(diary.runs.count))
        }
    }
}
