import Foundation
import GRDB
import RunDiaryModels

extension SyncEngine {
    /// Kinds in the order their records are pushed back, referenced kinds first, so that every reference resolves.
    static let pushBackOrder: [EntityKind] = [.gear, .plan, .planItem, .run, .painEntry, .exerciseLog]

    /// Ends a reset once its pulls are complete: queues what the device held that the server lacks, then takes the
    /// server's state (docs/sync-protocol.md §9.5).
    ///
    /// What the device held is its server state with its acknowledged edits on top (acknowledged edits the server may
    /// have lost in a restore). For each such record:
    /// - deleted on the server: nothing (deletes are final);
    /// - deleted on the device but not on the server: a delete (pulled tombstones carry no clock, so the device's
    ///   clock stamps it; a delete wins whatever its clock);
    /// - otherwise every field whose clock is newer than the server's goes back with that clock — one mutation per
    ///   clock, oldest first; a record the server lacks is created first, complete, with its oldest clock — if
    ///   `recreatingMissing` (the device synced within the server's tombstone retention, so the record cannot be a
    ///   delete whose tombstone was pruned); otherwise it leaves the diary.
    /// Edits not yet acknowledged follow, renumbered after the push-back (if there is one), so that a patch of a
    /// record the server lost arrives after the record's re-creation. Every field keeps its clock, so the push-back changes nothing the
    /// server holds that is newer, and two devices pushing back the same field agree.
    ///
    /// - Returns: how many mutations were queued to push back.
    static func finishReset(_ db: Database, recreatingMissing: Bool, wallMillis: Int64, at date: Date) throws -> Int {
        let server = try ResetCopy.all(db)
        let outbox = try Outbox.all(db)
        var held: [UUID: RecordState] = [:]
        for change in try ServerRecords.all(db) { held[change.id] = try ServerRecords.state(db, id: change.id) }
        for entry in outbox where entry.acknowledged {
            let result = Merge.apply(entry.mutation, to: held[entry.recordID], version: held[entry.recordID]?.version ?? 0)
            if result.changed { held[entry.recordID] = result.state }
        }

        var device = try DeviceState.read(db)
        var clock = device.hybridClock
        var queued = 0
        func queue(_ mutation: (Int64) -> Mutation) throws {
            device.lastMutationID += 1
            try Outbox.append(db, mutation(device.lastMutationID), queuedAt: date)
            queued += 1
        }

        let order = Dictionary(uniqueKeysWithValues: pushBackOrder.enumerated().map { ($1, $0) })
        let records = held.values.sorted { (order[$0.entity] ?? 0, $0.id.key) < (order[$1.entity] ?? 0, $1.id.key) }
        for record in records {
            let current = server[record.id]
            if current?.deleted == true || (current == nil && !recreatingMissing) { continue }
            if record.deleted != nil {
                let hlc = clock.now(physicalMillis: wallMillis)
                try queue {
                    Mutation(
                        mutationID: $0, entity: record.entity, id: record.id, op: .delete, hlc: hlc, baseVersion: current?.version,
                        fields: nil)
                }
                continue
            }
            let newer = record.fields.filter { name, _ in
                guard let mine = record.clocks[name] else { return false }
                return current?.clocks[name].map { mine > $0 } ?? true
            }
            var clocks = Set(newer.keys.compactMap { record.clocks[$0] }).sorted()
            if current == nil, let oldest = clocks.first {
                clocks.removeFirst()
                try queue {
                    Mutation(
                        mutationID: $0, entity: record.entity, id: record.id, op: .upsert, hlc: oldest, baseVersion: nil,
                        fields: record.fields)
                }
            }
            for hlc in clocks {
                let fields = newer.filter { record.clocks[$0.key] == hlc }
                try queue {
                    Mutation(
                        mutationID: $0, entity: record.entity, id: record.id, op: .upsert, hlc: hlc, baseVersion: current?.version,
                        fields: fields)
                }
            }
        }

        // Edits not yet acknowledged go after a push-back, under new ids (ids are never reused: the old ones are
        // left unused). Their clocks stay; their base is the state the reset brought. Without a push-back they keep
        // their ids, so that a resend the server already journalled is still answered `duplicate`.
        for entry in outbox where !entry.acknowledged && queued > 0 {
            var mutation = entry.mutation
            try Outbox.remove(db, mutationID: mutation.mutationID)
            device.lastMutationID += 1
            mutation.mutationID = device.lastMutationID
            mutation.baseVersion = server[mutation.id]?.version
            try Outbox.append(db, mutation, queuedAt: entry.queuedAt)
        }
        try db.execute(literal: "UPDATE device SET last_mutation_id = \(device.lastMutationID)")
        try DeviceState.saveClock(db, clock)

        let touched = Set(held.keys).union(server.keys).union(outbox.map(\.recordID))
        try ResetCopy.adopt(db)
        for id in touched { try LocalView.recompute(db, id: id) }
        return queued
    }
}
