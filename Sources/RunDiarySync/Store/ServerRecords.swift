import Foundation
import GRDB
import RunDiaryModels

/// The `server_records` table: the server's state of each record as of the cursor, exactly as pulled.
enum ServerRecords {
    /// Stands for a pulled tombstone's clock, which pulls do not carry; lower than any real clock, so a local delete
    /// of the record still merges as a change.
    static let tombstone = HLC(physicalMillis: 0, counter: 0, node: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))

    /// Stores a pulled change as the record's server state.
    static func store(_ db: Database, _ change: Change, generation: Int64) throws {
        try db.execute(
            literal: """
                INSERT INTO server_records (id, entity, version, deleted, fields, clocks, generation)
                VALUES (\(change.id.key), \(change.entity.rawValue), \(change.version), \(change.deleted),
                        \(try JSONText.encode(change.fields)), \(try JSONText.encode(change.clocks)), \(generation))
                ON CONFLICT (id) DO UPDATE SET entity = excluded.entity, version = excluded.version,
                    deleted = excluded.deleted, fields = excluded.fields, clocks = excluded.clocks,
                    generation = excluded.generation
                """)
    }

    /// The server state of a record, as the shared `Merge` takes it.
    static func state(_ db: Database, id: UUID) throws -> RecordState? {
        try db.row("SELECT * FROM server_records WHERE id = \(id.key)").map(state(from:))
    }

    /// Every stored record as the change a pull brought, for comparing with the server.
    static func all(_ db: Database) throws -> [Change] {
        try db.rows("SELECT * FROM server_records ORDER BY id").map(change(from:))
    }

    /// The server version of a record, if the device has pulled it.
    static func version(_ db: Database, id: UUID) throws -> Int64? {
        try db.row("SELECT version FROM server_records WHERE id = \(id.key)").map { $0["version"] }
    }

    private static func change(from row: Row) throws -> Change {
        let (entity, id) = try row.recordIdentity()
        return Change(
            entity: entity, id: id, version: row["version"], deleted: row["deleted"],
            fields: try JSONText.decode([String: JSONValue].self, from: row["fields"]),
            clocks: try JSONText.decode([String: HLC].self, from: row["clocks"]))
    }

    private static func state(from row: Row) throws -> RecordState {
        let change = try change(from: row)
        return RecordState(
            entity: change.entity, id: change.id, fields: change.fields, clocks: change.clocks,
            deleted: change.deleted ? tombstone : nil, version: change.version)
    }
}
