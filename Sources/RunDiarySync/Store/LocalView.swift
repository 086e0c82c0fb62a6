import Foundation
import GRDB
import RunDiaryModels

/// The `records` table: what the app sees, always the server state merged with the outbox by the shared `Merge`.
///
/// It is a materialised fold, rewritten for a record whenever its server state or its outbox entries change, so
/// reads and observations are plain queries.
enum LocalView {
    /// Recomputes one record: its server state, then each of its outbox mutations in order, merged exactly as the
    /// server will merge them.
    static func recompute(_ db: Database, id: UUID) throws {
        let server = try ServerRecords.state(db, id: id)
        var state = server
        var pending = 0
        for entry in try Outbox.entries(db, recordID: id) {
            let result = Merge.apply(entry.mutation, to: state, version: state?.version ?? 0)
            if result.changed { state = result.state }
            if !entry.acknowledged { pending += 1 }
        }
        guard let state else {
            try db.execute(literal: "DELETE FROM records WHERE id = \(id.key)")
            return
        }
        try db.execute(
            literal: """
                INSERT INTO records (id, entity, server_version, deleted, fields, clocks, pending)
                VALUES (\(id.key), \(state.entity.rawValue), \(server?.version), \(state.isDeleted),
                        \(try JSONText.encode(state.fields)), \(try JSONText.encode(state.clocks)), \(pending))
                ON CONFLICT (id) DO UPDATE SET entity = excluded.entity, server_version = excluded.server_version,
                    deleted = excluded.deleted, fields = excluded.fields, clocks = excluded.clocks, pending = excluded.pending
                """)
    }

    /// A record's local state as the shared `Merge` takes it.
    static func state(_ db: Database, id: UUID) throws -> RecordState? {
        try record(db, id: id).map { record in
            RecordState(
                entity: record.entity, id: record.id, fields: record.fields, clocks: record.clocks,
                deleted: record.isDeleted ? ServerRecords.tombstone : nil, version: record.serverVersion ?? 0)
        }
    }

    static func record(_ db: Database, id: UUID) throws -> LocalRecord? {
        try db.row("SELECT * FROM records WHERE id = \(id.key)").map(record(from:))
    }

    /// The records of one kind, deleted ones only if asked, in id order.
    static func records(_ db: Database, entity: EntityKind, includingDeleted: Bool = false) throws -> [LocalRecord] {
        let rows =
            includingDeleted
            ? try db.rows("SELECT * FROM records WHERE entity = \(entity.rawValue) ORDER BY id")
            : try db.rows("SELECT * FROM records WHERE entity = \(entity.rawValue) AND deleted = 0 ORDER BY id")
        return try rows.map(record(from:))
    }

    /// Every record, tombstones included, in id order.
    static func all(_ db: Database) throws -> [LocalRecord] {
        try db.rows("SELECT * FROM records ORDER BY id").map(record(from:))
    }

    private static func record(from row: Row) throws -> LocalRecord {
        let (entity, id) = try row.recordIdentity()
        return LocalRecord(
            entity: entity, id: id, serverVersion: row["server_version"], isDeleted: row["deleted"],
            fields: try JSONText.decode([String: JSONValue].self, from: row["fields"]),
            clocks: try JSONText.decode([String: HLC].self, from: row["clocks"]), hasPendingChanges: (row["pending"] as Int) > 0)
    }
}
