import Foundation
import Postgres
import RunDiaryModels

extension DiarySnapshot {
    /// Calls `body` with every run in scope, oldest first.
    package func forEachRun(_ body: (ExportedRun) async throws -> Void) async throws {
        guard scope.includes(.run) else { return }
        let includePain = scope.includes(.painEntry)
        let declare: PostgresQuery = """
            DECLARE export_runs NO SCROLL CURSOR FOR
            SELECT r.id, r.started_at, r.started_at_offset_s, r.time_zone, r.surface, r.is_indoor, r.distance_m,
                   r.elapsed_s, r.moving_s, r.elevation_gain_m, r.incline_pct, r.avg_cadence_spm, r.avg_step_length_mm,
                   r.avg_hr_bpm, r.max_hr_bpm, r.rpe, r.feel, r.gear_id, r.plan_item_id, r.title, r.notes, r.form_notes,
                   (\(includePain) AND EXISTS (
                        SELECT 1 FROM pain_entries p
                        WHERE p.user_id = r.user_id AND p.run_id = r.id AND p.deleted_hlc IS NULL AND p.severity > 0
                          AND p.timing IN ('during_run', 'after_run', 'later_same_day', 'next_morning')
                          AND date_in_range(local_date(p.recorded_at, p.recorded_at_offset_s), \(fromText)::date, \(toText)::date)))
            FROM runs r
            WHERE r.user_id = \(scope.userID) AND r.deleted_hlc IS NULL
              AND date_in_range(local_date(r.started_at, r.started_at_offset_s), \(fromText)::date, \(toText)::date)
            ORDER BY r.started_at, r.id
            """
        try await forEachRow(cursor: "export_runs", declare: declare) { row in
            var columns = ColumnReader(row)
            let id: UUID = try columns.next()
            let started: Date = try columns.next()
            let offset: Int32? = try columns.next()
            var run = Run(id: id, startedAt: Timestamp(stored: started, offset: offset), elapsedSeconds: 1)
            run.timeZone = try columns.next()
            run.surface = try columns.next(String?.self).map(Surface.init(rawValue:))
            run.isIndoor = try columns.next()
            run.distanceMeters = try columns.next()
            run.elapsedSeconds = try columns.next(Int.self)
            run.movingSeconds = try columns.next()
            run.elevationGainMeters = try columns.next()
            run.inclinePercent = try columns.next()
            run.averageCadence = try columns.next()
            run.averageStepLengthMillimeters = try columns.next()
            run.averageHeartRate = try columns.next()
            run.maxHeartRate = try columns.next()
            run.rpe = try columns.next()
            run.feel = try columns.next()
            run.gearID = try columns.next()
            run.planItemID = try columns.next()
            run.title = try columns.next()
            run.notes = try columns.next()
            run.formNotes = try columns.next()
            let painFollowed: Bool = try columns.next()
            try await body(ExportedRun(run: run, painFollowed: painFollowed))
        }
    }
}
