import Foundation
import Postgres
import RunDiaryModels

extension DiarySnapshot {
    /// Calls `body` with every pain entry in scope, oldest first.
    package func forEachPainEntry(_ body: (ExportedPainEntry) async throws -> Void) async throws {
        guard scope.includes(.painEntry) else { return }
        let includeRuns = scope.includes(.run)
        let declare: PostgresQuery = """
            DECLARE export_pain_entries NO SCROLL CURSOR FOR
            SELECT p.id, p.recorded_at, p.recorded_at_offset_s, p.body_site, p.side, p.severity, p.timing, p.qualities,
                   p.activity_impact, p.run_id, p.notes, r.id IS NOT NULL, r.surface, r.is_indoor, r.distance_m
            FROM pain_entries p
            LEFT JOIN runs r ON \(includeRuns) AND r.user_id = p.user_id AND r.id = p.run_id AND r.deleted_hlc IS NULL
                AND date_in_range(local_date(r.started_at, r.started_at_offset_s), \(fromText)::date, \(toText)::date)
            WHERE p.user_id = \(scope.userID) AND p.deleted_hlc IS NULL
              AND date_in_range(local_date(p.recorded_at, p.recorded_at_offset_s), \(fromText)::date, \(toText)::date)
            ORDER BY p.recorded_at, p.id
            """
        try await forEachRow(cursor: "export_pain_entries", declare: declare) { row in
            var columns = ColumnReader(row)
            let id: UUID = try columns.next()
            let recorded: Date = try columns.next()
            let offset: Int32? = try columns.next()
            let site = BodySite(rawValue: try columns.next())
            let side = Side(rawValue: try columns.next())
            let severity: Int = try columns.next()
            let timing = PainTiming(rawValue: try columns.next())
            var entry = PainEntry(
                id: id, recordedAt: Timestamp(stored: recorded, offset: offset), bodySite: site, side: side,
                severity: severity, timing: timing)
            entry.qualities = try columns.next([String]?.self)?.map(PainQuality.init(rawValue:))
            entry.activityImpact = try columns.next(String?.self).map(ActivityImpact.init(rawValue:))
            entry.runID = try columns.next()
            entry.notes = try columns.next()
            let runInScope: Bool = try columns.next()
            let surface = try columns.next(String?.self).map(Surface.init(rawValue:))
            let indoor: Bool? = try columns.next()
            let distance: Double? = try columns.next()
            try await body(
                ExportedPainEntry(
                    entry: entry, runInScope: runInScope, runSurface: surface, runIsIndoor: indoor, runDistanceMeters: distance))
        }
    }
}
