import Foundation
import Postgres
import RunDiaryModels

extension DiarySnapshot {
    /// Every piece of gear in use during the scope's range, by name. Like plans, gear is a short list.
    package func gear() async throws -> [Gear] {
        guard scope.includes(.gear) else { return [] }
        let rows = try await connection.query(
            """
            SELECT id, name, brand, model, to_char(started_on, 'YYYY-MM-DD'), to_char(retired_on, 'YYYY-MM-DD'),
                   initial_distance_m, limit_distance_m
            FROM gear
            WHERE user_id = \(scope.userID) AND deleted_hlc IS NULL
              AND dates_overlap(started_on, retired_on, \(fromText)::date, \(toText)::date)
            ORDER BY name, id
            """)
        return try rows.map { row in
            var columns = ColumnReader(row)
            let id: UUID = try columns.next()
            var gear = Gear(id: id, name: try columns.next())
            gear.brand = try columns.next()
            gear.model = try columns.next()
            gear.startedOn = try columns.next(String?.self).flatMap(LocalDate.init)
            gear.retiredOn = try columns.next(String?.self).flatMap(LocalDate.init)
            gear.initialDistanceMeters = try columns.next()
            gear.limitDistanceMeters = try columns.next()
            return gear
        }
    }
}
