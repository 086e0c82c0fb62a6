import Foundation
import Postgres
import RunDiaryModels

extension DiarySnapshot {
    /// Calls `body` with every exercise log in scope, oldest first.
    package func forEachExerciseLog(_ body: (ExportedExerciseLog) async throws -> Void) async throws {
        guard scope.includes(.exerciseLog) else { return }
        let includeItems = scope.includes(.planItem)
        let includePlans = scope.includes(.plan)
        let declare: PostgresQuery = """
            DECLARE export_exercise_logs NO SCROLL CURSOR FOR
            SELECT l.id, l.plan_item_id, l.performed_at, l.performed_at_offset_s, l.status, l.sets_done, l.reps_done,
                   l.load, l.pain_during, l.notes, i.exercise, pl.id
            FROM exercise_logs l
            LEFT JOIN plan_items i ON \(includeItems) AND i.user_id = l.user_id AND i.id = l.plan_item_id
                AND i.deleted_hlc IS NULL
            LEFT JOIN plans pl ON \(includePlans) AND pl.user_id = i.user_id AND pl.id = i.plan_id AND pl.deleted_hlc IS NULL
                AND dates_overlap(pl.start_date, pl.end_date, \(fromText)::date, \(toText)::date)
            WHERE l.user_id = \(scope.userID) AND l.deleted_hlc IS NULL
              AND date_in_range(local_date(l.performed_at, l.performed_at_offset_s), \(fromText)::date, \(toText)::date)
            ORDER BY l.performed_at, l.id
            """
        try await forEachRow(cursor: "export_exercise_logs", declare: declare) { row in
            var columns = ColumnReader(row)
            let id: UUID = try columns.next()
            let itemID: UUID = try columns.next()
            let performed: Date = try columns.next()
            let offset: Int32? = try columns.next()
            let status = ExerciseStatus(rawValue: try columns.next())
            var log = ExerciseLog(
                id: id, planItemID: itemID, performedAt: Timestamp(stored: performed, offset: offset), status: status)
            log.setsDone = try columns.next()
            log.repsDone = try columns.next()
            log.load = try columns.next()
            log.painDuring = try columns.next()
            log.notes = try columns.next()
            let exercise: String? = try columns.next()
            let planID: UUID? = try columns.next()
            try await body(ExportedExerciseLog(log: log, exercise: exercise, planID: planID))
        }
    }
}
