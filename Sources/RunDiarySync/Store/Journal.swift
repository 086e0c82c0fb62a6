import Foundation
import GRDB
import RunDiaryModels

/// The `rejections` and `conflicts` tables: what the server refused of this device's edits, and the losing sides of
/// conflicts they met, kept until the app dismisses them.
enum Journal {
    static func reject(
        _ db: Database, _ mutation: Mutation, code: RejectionCode, field: String?, message: String, issues: [ValidationIssue],
        at date: Date
    ) throws {
        try db.execute(
            literal: """
                INSERT OR IGNORE INTO rejections (mutation_id, code, field, message, issues, mutation, rejected_at)
                VALUES (\(mutation.mutationID), \(code.rawValue), \(field), \(message), \(try JSONText.encode(issues)),
                        \(try JSONText.encode(mutation)), \(date.timeIntervalSince1970))
                """)
    }

    static func recordConflict(_ db: Database, _ conflict: FieldConflict, of mutation: Mutation, at date: Date) throws {
        try db.execute(
            literal: """
                INSERT OR IGNORE INTO conflicts (mutation_id, entity, record_id, field, conflict, recorded_at)
                VALUES (\(mutation.mutationID), \(mutation.rawEntity), \(mutation.id.key), \(conflict.field),
                        \(try JSONText.encode(conflict)), \(date.timeIntervalSince1970))
                """)
    }

    /// Rejections, newest first.
    static func rejections(_ db: Database) throws -> [SyncRejection] {
        try db.rows("SELECT * FROM rejections ORDER BY mutation_id DESC").map { row in
            SyncRejection(
                mutation: try JSONText.decode(Mutation.self, from: row["mutation"]), code: RejectionCode(rawValue: row["code"]),
                field: row["field"], message: row["message"],
                issues: try JSONText.decode([ValidationIssue].self, from: row["issues"]),
                rejectedAt: Date(timeIntervalSince1970: row["rejected_at"]))
        }
    }

    /// Conflicts, newest first.
    static func conflicts(_ db: Database) throws -> [SyncConflict] {
        try db.rows("SELECT * FROM conflicts ORDER BY id DESC").compactMap { row in
            guard let entity = EntityKind(rawValue: row["entity"]), let recordID = UUID(uuidString: row["record_id"]) else {
                return nil
            }
            return SyncConflict(
                id: row["id"], mutationID: row["mutation_id"], entity: entity, recordID: recordID,
                conflict: try JSONText.decode(FieldConflict.self, from: row["conflict"]),
                recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
        }
    }

    static func counts(_ db: Database) throws -> (rejections: Int, conflicts: Int) {
        let row = try db.row("SELECT (SELECT count(*) FROM rejections) AS r, (SELECT count(*) FROM conflicts) AS c")
        return (row?["r"] ?? 0, row?["c"] ?? 0)
    }

    static func dismissRejection(_ db: Database, mutationID: Int64) throws {
        try db.execute(literal: "DELETE FROM rejections WHERE mutation_id = \(mutationID)")
    }

    static func dismissConflict(_ db: Database, id: Int64) throws {
        try db.execute(literal: "DELETE FROM conflicts WHERE id = \(id)")
    }
}
