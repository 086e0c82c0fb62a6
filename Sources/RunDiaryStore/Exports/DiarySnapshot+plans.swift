import Foundation
import Postgres
import RunDiaryModels

extension DiarySnapshot {
    /// Every plan in scope with its items, earliest start first.
    ///
    /// Plans are configuration, not a time series (a diary holds a handful to a few dozen), so they are returned
    /// whole: renderers need them before the series to know ceilings and schedules.
    package func plans() async throws -> [ExportedPlan] {
        guard scope.includes(.plan) else { return [] }
        let rows = try await connection.query(
            """
            SELECT id, kind, title, goal, author_role, author_name, status, to_char(start_date, 'YYYY-MM-DD'),
                   to_char(end_date, 'YYYY-MM-DD'), pain_ceiling, notes
            FROM plans
            WHERE user_id = \(scope.userID) AND deleted_hlc IS NULL
              AND dates_overlap(start_date, end_date, \(fromText)::date, \(toText)::date)
            ORDER BY start_date NULLS FIRST, id
            """)
        var plans: [ExportedPlan] = []
        for row in rows {
            var columns = ColumnReader(row)
            let id: UUID = try columns.next()
            let kind = PlanKind(rawValue: try columns.next())
            var plan = Plan(id: id, kind: kind, title: try columns.next())
            plan.goal = try columns.next()
            plan.authorRole = try columns.next(String?.self).map(AuthorRole.init(rawValue:))
            plan.authorName = try columns.next()
            plan.status = try columns.next(String?.self).map(PlanStatus.init(rawValue:))
            plan.startDate = try columns.next(String?.self).flatMap(LocalDate.init)
            plan.endDate = try columns.next(String?.self).flatMap(LocalDate.init)
            plan.painCeiling = try columns.next()
            plan.notes = try columns.next()
            plans.append(ExportedPlan(plan: plan, items: try await items(ofPlan: id)))
        }
        return plans
    }

    private func items(ofPlan planID: UUID) async throws -> [PlanItem] {
        guard scope.includes(.planItem) else { return [] }
        let rows = try await connection.query(
            """
            SELECT id, kind, exercise, instructions, sets, reps, hold_s, load, load_unit, target_rpe, days_of_week,
                   times_per_week, position
            FROM plan_items
            WHERE user_id = \(scope.userID) AND plan_id = \(planID) AND deleted_hlc IS NULL
            ORDER BY position NULLS LAST, id
            """)
        return try rows.map { row in
            var columns = ColumnReader(row)
            let id: UUID = try columns.next()
            let kind = PlanItemKind(rawValue: try columns.next())
            var item = PlanItem(id: id, planID: planID, kind: kind, exercise: try columns.next())
            item.instructions = try columns.next()
            item.sets = try columns.next()
            item.reps = try columns.next()
            item.holdSeconds = try columns.next()
            item.load = try columns.next()
            item.loadUnit = try columns.next(String?.self).map(LoadUnit.init(rawValue:))
            item.targetRPE = try columns.next()
            item.daysOfWeek = try columns.next([String]?.self)?.map(Weekday.init(rawValue:))
            item.timesPerWeek = try columns.next()
            item.position = try columns.next()
            return item
        }
    }
}
