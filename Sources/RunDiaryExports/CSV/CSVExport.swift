import Foundation
import RunDiaryModels
import RunDiaryStore

/// The diary as one CSV file per entity in a ZIP archive, with a README.txt.
///
/// Columns are the wire field names (units in the names: `distance_m`, `elapsed_s`), times are ISO 8601 with the
/// offset they were recorded in, lists (`qualities`, `days_of_week`) are joined with `;`.
enum CSVExport {
    /// Writes the README and the CSV files of the entities in scope into `archive`, under `folder`.
    static func write(_ snapshot: DiarySnapshot, into archive: ZipArchiveWriter, folder: String = "") async throws {
        let scope = snapshot.scope
        try await archive.addEntry(named: folder + "README.txt") { try await $0.write(readme(scope)) }
        if scope.includes(.run) {
            try await archive.addEntry(named: folder + "runs.csv") { sink in
                let csv = CSVWriter(sink: sink)
                try await csv.writeRow(runColumns)
                try await snapshot.forEachRun { try await csv.writeRow(runRow($0.run)) }
            }
        }
        if scope.includes(.painEntry) {
            try await archive.addEntry(named: folder + "pain_entries.csv") { sink in
                let csv = CSVWriter(sink: sink)
                try await csv.writeRow([
                    "id", "recorded_at", "body_site", "side", "severity", "timing", "qualities", "activity_impact", "run_id",
                    "notes",
                ])
                try await snapshot.forEachPainEntry { exported in
                    let entry = exported.entry
                    try await csv.writeRow([
                        id(entry.id), entry.recordedAt.description, entry.bodySite.rawValue, entry.side.rawValue,
                        String(entry.severity), entry.timing.rawValue, entry.qualities.map { $0.map(\.rawValue).joined(separator: ";") },
                        entry.activityImpact?.rawValue, entry.runID.map(id), entry.notes,
                    ])
                }
            }
        }
        let plans = try await snapshot.plans()
        if scope.includes(.plan) {
            try await archive.addEntry(named: folder + "plans.csv") { sink in
                let csv = CSVWriter(sink: sink)
                try await csv.writeRow([
                    "id", "kind", "title", "goal", "author_role", "author_name", "status", "start_date", "end_date",
                    "pain_ceiling", "notes",
                ])
                for plan in plans.map(\.plan) {
                    try await csv.writeRow([
                        id(plan.id), plan.kind.rawValue, plan.title, plan.goal, plan.authorRole?.rawValue, plan.authorName,
                        plan.status?.rawValue, plan.startDate?.description, plan.endDate?.description,
                        plan.painCeiling.map(String.init), plan.notes,
                    ])
                }
            }
        }
        if scope.includes(.planItem) && scope.includes(.plan) {
            try await archive.addEntry(named: folder + "plan_items.csv") { sink in
                let csv = CSVWriter(sink: sink)
                try await csv.writeRow([
                    "id", "plan_id", "kind", "exercise", "instructions", "sets", "reps", "hold_s", "load", "load_unit",
                    "target_rpe", "days_of_week", "times_per_week", "position",
                ])
                for item in plans.flatMap(\.items) {
                    try await csv.writeRow([
                        id(item.id), id(item.planID), item.kind.rawValue, item.exercise, item.instructions,
                        item.sets.map(String.init), item.reps.map(String.init), item.holdSeconds.map(String.init),
                        item.load.map(NumberText.format), item.loadUnit?.rawValue, item.targetRPE.map(NumberText.format),
                        item.daysOfWeek.map { $0.map(\.rawValue).joined(separator: ";") }, item.timesPerWeek.map(String.init),
                        item.position.map(String.init),
                    ])
                }
            }
        }
        if scope.includes(.exerciseLog) {
            try await archive.addEntry(named: folder + "exercise_logs.csv") { sink in
                let csv = CSVWriter(sink: sink)
                try await csv.writeRow([
                    "id", "plan_item_id", "performed_at", "status", "sets_done", "reps_done", "load", "pain_during", "notes",
                ])
                try await snapshot.forEachExerciseLog { exported in
                    let log = exported.log
                    try await csv.writeRow([
                        id(log.id), id(log.planItemID), log.performedAt.description, log.status.rawValue,
                        log.setsDone.map(String.init), log.repsDone.map(String.init), log.load.map(NumberText.format),
                        log.painDuring.map(String.init), log.notes,
                    ])
                }
            }
        }
        if scope.includes(.gear) {
            let gear = try await snapshot.gear()
            try await archive.addEntry(named: folder + "gear.csv") { sink in
                let csv = CSVWriter(sink: sink)
                try await csv.writeRow([
                    "id", "name", "brand", "model", "started_on", "retired_on", "initial_distance_m", "limit_distance_m",
                ])
                for item in gear {
                    try await csv.writeRow([
                        id(item.id), item.name, item.brand, item.model, item.startedOn?.description,
                        item.retiredOn?.description, item.initialDistanceMeters.map(NumberText.format),
                        item.limitDistanceMeters.map(NumberText.format),
                    ])
                }
            }
        }
    }

    static let runColumns: [String?] = [
        "id", "started_at", "time_zone", "surface", "is_indoor", "distance_m", "elapsed_s", "moving_s",
        "elevation_gain_m", "incline_pct", "avg_cadence_spm", "avg_step_length_mm", "avg_hr_bpm", "max_hr_bpm", "rpe",
        "feel", "gear_id", "plan_item_id", "title", "notes", "form_notes",
    ]

    static func runRow(_ run: Run) -> [String?] {
        [
            id(run.id), run.startedAt.description, run.timeZone, run.surface?.rawValue, run.isIndoor.map { $0 ? "true" : "false" },
            run.distanceMeters.map(NumberText.format), String(run.elapsedSeconds), run.movingSeconds.map(String.init),
            run.elevationGainMeters.map(NumberText.format), run.inclinePercent.map(NumberText.format),
            run.averageCadence.map(String.init), run.averageStepLengthMillimeters.map(String.init),
            run.averageHeartRate.map(String.init), run.maxHeartRate.map(String.init), run.rpe.map(NumberText.format),
            run.feel.map(String.init), run.gearID.map(id), run.planItemID.map(id), run.title, run.notes, run.formNotes,
        ]
    }

    private static func id(_ id: UUID) -> String {
        id.uuidString.lowercased()
    }

    static func readme(_ scope: ExportScope) -> String {
        let range = "\(scope.from?.description ?? "the first entry") to \(scope.to?.description ?? "the last entry")"
        return """
            RunDiary export, \(range) (local dates, inclusive).

            One CSV file per kind of record (RFC 4180: comma-separated, CRLF line ends, UTF-8, header row):
              runs.csv           runs: distance_m metres, elapsed_s / moving_s seconds, avg_cadence_spm steps per minute,
                                 avg_step_length_mm millimetres, rpe Borg CR10 (0-10), form_notes what was noticed about form
              pain_entries.csv   pain: severity 0-10 numeric rating scale, timing relative to running, run_id the run it followed
              plans.csv          training and rehab plans; pain_ceiling the acceptable pain during activity (0-10, default 5)
              plan_items.csv     exercises of a plan: sets, reps, hold_s seconds, days_of_week, times_per_week
              exercise_logs.csv  what was done of the plan: status done / partial / skipped, pain_during 0-10
              gear.csv           shoes: initial_distance_m and limit_distance_m in metres
            Only the kinds of record this export covers are present.

            Times are ISO 8601 with the UTC offset they were recorded in (2026-03-02T07:30:00+01:00); dates are YYYY-MM-DD.
            Lists (qualities, days_of_week) are separated by ";". An empty field means "not recorded".

            """.replacingOccurrences(of: "\n", with: "\r\n")
    }
}
