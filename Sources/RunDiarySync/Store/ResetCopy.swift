import Foundation
import GRDB
import RunDiaryModels

/// The `reset_records` table: during a reset, the server's state as its pulls from no cursor bring it, kept apart
/// from `server_records` until the last page, so that what the device held is still there to compare with
/// (docs/sync-protocol.md §9.5, "Reset: push back what the server lacks").
enum ResetCopy {
    /// Starts a reset: no cursor, an empty copy.
    static func begin(_ db: Database) throws {
        try db.execute(sql: "UPDATE device SET cursor = NULL, generation = generation + 1, resetting = 1")
        try db.execute(sql: "DELETE FROM reset_records")
    }

    static func store(_ db: Database, _ change: Change) throws {
        try db.execute(
            literal: """
                INSERT INTO reset_records (id, entity, version, deleted, fields, clocks)
                VALUES (\(change.id.key), \(change.entity.rawValue), \(change.version), \(change.deleted),
                        \(try JSONText.encode(change.fields)), \(try JSONText.encode(change.clocks)))
                ON CONFLICT (id) DO UPDATE SET entity = excluded.entity, version = excluded.version,
                    deleted = excluded.deleted, fields = excluded.fields, clocks = excluded.clocks
                """)
    }

    /// Every record of the copy, by id.
    static func all(_ db: Database) throws -> [UUID: Change] {
        var changes: [UUID: Change] = [:]
        for row in try db.rows("SELECT * FROM reset_records") {
            let (entity, id) = try row.recordIdentity()
            changes[id] = Change(
                entity: entity, id: id, version: row["version"], deleted: row["deleted"],
                fields: try JSONText.decode([String: JSONValue].self, from: row["fields"]),
                clocks: try JSONText.decode([String: HLC].self, from: row["clocks"]))
        }
        return changes
    }

    /// Makes the copy the device's server state, and ends the reset.
    static func adopt(_ db: Database) throws {
        let generation = try DeviceState.read(db).generation
        try db.execute(sql: "DELETE FROM server_records")
        try db.execute(
            literal: """
                INSERT INTO server_records (id, entity, version, deleted, fields, clocks, generation)
                SELECT id, entity, version, deleted, fields, clocks, \(generation) FROM reset_records
                """)
        try db.execute(sql: "DELETE FROM reset_records")
        try db.execute(sql: "UPDATE device SET resetting = 0")
    }
}
