import Foundation
import GRDB
import RunDiaryModels

/// The `outbox` table: this device's mutations in the order it made them.
enum Outbox {
    struct Entry: Sendable {
        let mutation: Mutation
        let queuedAt: Date
        let acknowledged: Bool
        let verdictUnknown: Bool

        var recordID: UUID { mutation.id }
        var mutationID: Int64 { mutation.mutationID }

        var pending: PendingMutation {
            PendingMutation(mutation: mutation, queuedAt: queuedAt, isAcknowledged: acknowledged)
        }
    }

    static func append(_ db: Database, _ mutation: Mutation, queuedAt: Date) throws {
        try db.execute(
            literal: """
                INSERT INTO outbox (mutation_id, record_id, mutation, queued_at)
                VALUES (\(mutation.mutationID), \(mutation.id.key), \(try JSONText.encode(mutation)), \(queuedAt.timeIntervalSince1970))
                """)
    }

    /// The oldest mutations the server has not acknowledged, at most `limit`.
    static func unsent(_ db: Database, limit: Int) throws -> [Entry] {
        try db.rows("SELECT * FROM outbox WHERE acknowledged = 0 ORDER BY mutation_id LIMIT \(limit)").map(entry(from:))
    }

    /// Every mutation still held, oldest first.
    static func all(_ db: Database) throws -> [Entry] {
        try db.rows("SELECT * FROM outbox ORDER BY mutation_id").map(entry(from:))
    }

    /// The mutations of one record, oldest first.
    static func entries(_ db: Database, recordID: UUID) throws -> [Entry] {
        try db.rows("SELECT * FROM outbox WHERE record_id = \(recordID.key) ORDER BY mutation_id").map(entry(from:))
    }

    /// Acknowledged mutations whose verdict was lost (the server answered `duplicate` to a resend).
    static func unknownVerdicts(_ db: Database) throws -> [Entry] {
        try db.rows("SELECT * FROM outbox WHERE verdict_unknown = 1 ORDER BY mutation_id").map(entry(from:))
    }

    /// The highest acknowledged mutation id held: a pull that starts now brings back the effect of all up to it.
    static func acknowledgedThrough(_ db: Database) throws -> Int64 {
        try db.row("SELECT max(mutation_id) AS id FROM outbox WHERE acknowledged = 1")?["id"] ?? 0
    }

    static func acknowledge(_ db: Database, mutationID: Int64, verdictUnknown: Bool) throws {
        try db.execute(
            literal: "UPDATE outbox SET acknowledged = 1, verdict_unknown = \(verdictUnknown) WHERE mutation_id = \(mutationID)")
    }

    static func remove(_ db: Database, mutationID: Int64) throws {
        try db.execute(literal: "DELETE FROM outbox WHERE mutation_id = \(mutationID)")
    }

    /// Removes acknowledged mutations up to `mutationID` whose verdict is known; returns their records' ids.
    static func removeSettled(_ db: Database, through mutationID: Int64) throws -> Set<UUID> {
        let ids = try db.rows(
            "SELECT DISTINCT record_id FROM outbox WHERE acknowledged = 1 AND verdict_unknown = 0 AND mutation_id <= \(mutationID)"
        ).compactMap { UUID(uuidString: $0["record_id"]) }
        try db.execute(
            literal: "DELETE FROM outbox WHERE acknowledged = 1 AND verdict_unknown = 0 AND mutation_id <= \(mutationID)")
        return Set(ids)
    }

    static func pendingCount(_ db: Database) throws -> Int {
        try db.row("SELECT count(*) AS n FROM outbox WHERE acknowledged = 0")?["n"] ?? 0
    }

    private static func entry(from row: Row) throws -> Entry {
        Entry(
            mutation: try JSONText.decode(Mutation.self, from: row["mutation"]),
            queuedAt: Date(timeIntervalSince1970: row["queued_at"]), acknowledged: row["acknowledged"],
            verdictUnknown: row["verdict_unknown"])
    }
}
