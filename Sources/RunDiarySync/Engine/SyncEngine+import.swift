import Foundation
import GRDB
import RunDiaryModels

extension SyncEngine {
    /// What importing one file's records did (or, in a dry run, would do) to the local diary.
    public enum ImportVerdict: Sendable, Hashable {
        /// A new run (and any new gear) was queued.
        case created
        /// The run existed; these fields took new values.
        case updated(fields: [String])
        /// The run existed with exactly these values; nothing was queued.
        case unchanged
        /// The diary holds the run as deleted; deletes are final, so nothing was queued.
        case deleted
        /// The run would be refused by the server's rules; nothing of the file was queued.
        case refused(EditRejected)
    }

    /// Imports one file's records (gear first, then the run that refers to it) as this device's own edits, in one
    /// SQLite transaction: the whole file or nothing of it.
    ///
    /// The rules are the server's for `POST /v1/import` (docs/sync-protocol.md §9.6), so a file imported on a device
    /// and on the server is one run: gear is matched by `gearKey(name)` against the diary's live gear and never
    /// rewritten (the run then refers to the diary's own); a run's fields that already hold the imported value are
    /// left out, so importing the same file again queues nothing; a run deleted in the diary stays deleted.
    ///
    /// - Parameter dryRun: Decide the verdict without queuing anything.
    public func importRecords(
        _ records: [ProposedRecord], gearKey: @escaping @Sendable (String) -> String, dryRun: Bool = false
    ) async throws -> ImportVerdict {
        let wall = wallClock()
        let verdict: ImportVerdict
        do {
            verdict = try await database.writeWithoutTransaction { db -> ImportVerdict in
                var verdict = ImportVerdict.unchanged
                try db.inTransaction(.immediate) {
                    verdict = try Self.importRecords(db, records, gearKey: gearKey, wall: wall)
                    return dryRun ? .rollback : .commit
                }
                return verdict
            }
        } catch let refused as EditRejected {
            return .refused(refused)
        }
        if !dryRun, verdict != .unchanged, verdict != .deleted {
            wake.signal()
            await publishStatus()
        }
        return verdict
    }

    private static func importRecords(
        _ db: Database, _ records: [ProposedRecord], gearKey: (String) -> String, wall: Int64
    ) throws -> ImportVerdict {
        guard let proposedRun = records.last(where: { $0.entity == .run }) else { return .unchanged }
        let stored = try LocalView.record(db, id: proposedRun.id)
        if stored?.isDeleted == true { return .deleted }

        var run = proposedRun
        var gearByKey: [String: UUID] = [:]
        for gear in try LocalView.records(db, entity: .gear) {
            if let name = gear.fields["name"]?.stringValue, gearByKey[gearKey(name)] == nil { gearByKey[gearKey(name)] = gear.id }
        }
        for gear in records where gear.entity == .gear {
            if let name = gear.fields["name"]?.stringValue, let existing = gearByKey[gearKey(name)] {
                if run.fields["gear_id"]?.stringValue?.lowercased() == gear.id.key { run.fields["gear_id"] = .string(existing.key) }
            } else if try LocalView.record(db, id: gear.id) == nil {
                _ = try queue(db, .gear, id: gear.id, op: .upsert, fields: gear.fields, wall: wall)
            }
        }

        let schema = EntitySchema.schema(for: run.entity)
        let changed = run.fields.filter { name, value in
            let canonical = schema.field(named: name)?.canonical(value) ?? value
            return (stored?.fields[name] ?? .null) != canonical
        }
        if stored != nil && changed.isEmpty { return .unchanged }
        _ = try queue(db, run.entity, id: run.id, op: .upsert, fields: stored == nil ? run.fields : changed, wall: wall)
        return stored == nil ? .created : .updated(fields: changed.keys.sorted())
    }
}
