import Foundation
import Postgres
import RunDiaryModels

extension SyncStore {
    /// What became of one imported run (and its gear).
    package enum ImportVerdict: Sendable, Equatable {
        /// A new record, at this version.
        case created(version: Int64)
        /// Fields that differed were written, at this version.
        case updated(version: Int64)
        /// Every field already held the imported value; nothing was written.
        case unchanged
        /// The diary holds the record as deleted; a delete is final, so nothing was written.
        case deleted
        /// Refused by the sync rules (kept in `sync_rejections`); nothing of the group was written.
        case rejected(code: String, message: String)
    }

    /// Writes what a server-side import proposes as mutations of the account's import device, through the same
    /// merge and write path as a push, in one transaction: other devices pull the records like any others, and
    /// conflicts follow the usual rules.
    ///
    /// - The import device (`deviceID`, a row in `devices` named `deviceName`, created on first use) has mutation ids
    ///   and a clock of its own; `stamp` issues its clocks (the server's HLC, with `deviceID` as node), so no device
    ///   of the user has its ids used or its clock forged. It holds no copy of the diary, so it never holds back
    ///   tombstone pruning: its pulled version follows the account's.
    /// - Each group is one file: gear first, then the run that refers to it. Gear is matched by `gearKey(name)`
    ///   against the account's gear and never rewritten; a run's fields that already hold the imported value are
    ///   not written again, so a re-import changes nothing. `base_version` is the version of the import device's
    ///   own last write to the run, so a field another device changed since is recorded as a conflict if the
    ///   import overwrites it.
    /// - A group whose run would be rejected, or is deleted in the diary, writes nothing (not even its gear).
    package func importRecords(
        userID: UUID, deviceID: UUID, deviceName: String, groups: [[ProposedRecord]], now: Date, maxClockSkewSeconds: Int,
        gearKey: @escaping @Sendable (String) -> String, stamp: @escaping @Sendable () -> HLC
    ) async throws -> [ImportVerdict] {
        try await client.withTransaction { connection in
            try await connection.execute(
                """
                INSERT INTO devices (user_id, id, name, platform) VALUES (\(userID), \(deviceID), \(deviceName), 'server')
                ON CONFLICT (user_id, id) DO NOTHING
                """)
            // Under the user's lock (which the push below takes again): the account's gear by name, so that a
            // proposed pair of shoes becomes a reference to the diary's own when it has them.
            try await connection.execute("SELECT 1 FROM users WHERE id = \(userID) FOR UPDATE")
            var gearByKey: [String: UUID] = [:]
            let gearRows = try await connection.query(
                "SELECT id, name FROM gear WHERE user_id = \(userID) AND deleted_hlc IS NULL ORDER BY created_at, id")
            for row in gearRows {
                let (id, name) = try row.decode((UUID, String?).self)
                if let name, gearByKey[gearKey(name)] == nil { gearByKey[gearKey(name)] = id }
            }
            let matched = groups.map { Self.matchingGear($0, gearByKey: gearByKey, gearKey: gearKey) }
            let provisional = matched.flatMap { $0 }.map { record in
                Mutation(
                    mutationID: 0, rawEntity: record.entity.rawValue, id: record.id, rawOp: "upsert", rawHLC: "", fields: record.fields)
            }
            let opening = PushBatch.Opening(userID: userID, deviceID: deviceID, mutations: provisional)
            var batch = try await PushBatch.begin(opening, opened: try await connection.pipeline(opening.queries), on: connection)
            let nowMillis = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
            let skewMillis = Int64(maxClockSkewSeconds) * 1000
            var verdicts: [ImportVerdict] = []
            for group in matched {
                let importer = GroupImport(deviceID: deviceID, nowMillis: nowMillis, skewMillis: skewMillis, stamp: stamp)
                verdicts.append(importer.apply(group, to: &batch))
            }
            let cursor: PostgresQuery = """
                UPDATE devices SET last_pulled_version = \(batch.version), last_pulled_at = now()
                WHERE user_id = \(userID) AND id = \(deviceID)
                """
            try await connection.pipeline(try batch.writes(userID: userID, deviceID: deviceID) + [cursor])
            return verdicts
        }
    }
}

extension SyncStore {
    /// The group with its gear replaced by the account's gear of the same name, where there is one: the proposed
    /// gear record is dropped and the run refers to the existing one.
    static func matchingGear(_ group: [ProposedRecord], gearByKey: [String: UUID], gearKey: (String) -> String)
        -> [ProposedRecord]
    {
        var replaced: [String: String] = [:]
        var kept: [ProposedRecord] = []
        for record in group {
            if record.entity == .gear, let name = record.fields["name"]?.stringValue, let existing = gearByKey[gearKey(name)] {
                replaced[record.id.uuidString.lowercased()] = existing.uuidString.lowercased()
            } else {
                kept.append(record)
            }
        }
        return kept.map { record in
            guard record.entity == .run, let reference = record.fields["gear_id"]?.stringValue, let existing = replaced[reference]
            else { return record }
            var fields = record.fields
            fields["gear_id"] = .string(existing)
            return ProposedRecord(entity: record.entity, id: record.id, fields: fields)
        }
    }
}

/// One file's records applied to a push batch as the import device's mutations.
private struct GroupImport {
    let deviceID: UUID
    let nowMillis: Int64
    let skewMillis: Int64
    let stamp: @Sendable () -> HLC

    func apply(_ group: [ProposedRecord], to batch: inout PushBatch) -> SyncStore.ImportVerdict {
        guard let run = group.last(where: { $0.entity == .run }) else { return .unchanged }
        if batch.states[run.id]?.isDeleted == true { return .deleted }
        // Gear the account already has (by id: an earlier import, or an earlier file of this one) is never rewritten.
        let newGear = group.filter { $0.entity == .gear && batch.states[$0.id] == nil }
        let fields = run.fields

        let stored = batch.states[run.id]
        let changed = fields.filter { name, value in stored?.fields[name] != value }
        if stored != nil && changed.isEmpty { return .unchanged }
        let baseVersion = stored.flatMap { state in
            state.fieldVersions.filter { state.clocks[$0.key]?.node == deviceID }.map(\.value).max()
        }
        // Would the run be refused? Checked before anything of the group is written (its new gear's reference is
        // left out of the check, since that gear is only created below).
        var probe = mutation(run.entity, run.id, changed, baseVersion: baseVersion, mutationID: batch.lastAcknowledged + 1)
        if let gearID = probe.fields?["gear_id"]?.stringValue, newGear.contains(where: { $0.id.uuidString.lowercased() == gearID }) {
            probe.fields?["gear_id"] = nil
        }
        if let rejection = batch.precheck(probe, deviceID: deviceID, nowMillis: nowMillis, maxSkewMillis: skewMillis) {
            return .rejected(code: rejection.code.rawValue, message: rejection.message)
        }
        if case .rejected(let reason) = Merge.apply(probe, to: stored, version: batch.version + 1).outcome {
            return .rejected(code: reason.code.rawValue, message: reason.message)
        }

        for gear in newGear {
            batch.apply(
                mutation(.gear, gear.id, gear.fields, baseVersion: nil, mutationID: batch.lastAcknowledged + 1),
                deviceID: deviceID, nowMillis: nowMillis, maxSkewMillis: skewMillis)
        }
        batch.apply(
            mutation(run.entity, run.id, changed, baseVersion: baseVersion, mutationID: batch.lastAcknowledged + 1),
            deviceID: deviceID, nowMillis: nowMillis, maxSkewMillis: skewMillis)
        guard let result = batch.results.last else { return .unchanged }
        switch result.status {
        case .applied, .merged:
            let version = result.version ?? batch.version
            return stored == nil ? .created(version: version) : .updated(version: version)
        case .duplicate:
            return .unchanged
        case .rejected:
            return .rejected(code: result.code?.rawValue ?? "rejected", message: result.message ?? "")
        }
    }

    private func mutation(
        _ entity: EntityKind, _ id: UUID, _ fields: [String: JSONValue], baseVersion: Int64?, mutationID: Int64
    ) -> Mutation {
        Mutation(mutationID: mutationID, entity: entity, id: id, op: .upsert, hlc: stamp(), baseVersion: baseVersion, fields: fields)
    }
}
