import Foundation
import GRDB
import RunDiaryModels

extension SyncEngine {
    /// Saves a typed record: creates it, or sends the fields that differ from the local view (a field set to nil
    /// is cleared). Returns the queued mutation, or nil when nothing changed.
    ///
    /// - Throws: ``EditRejected`` with the code the server would answer (`missing_field`, `out_of_range`,
    ///   `invalid_reference`, `record_deleted`, …) when the edit is invalid; nothing is queued then.
    @discardableResult
    public func save<Record: DiaryRecord>(_ record: Record) async throws -> PendingMutation? {
        let fields = try record.fields()
        let schema = Record.schema
        return try await stage(Record.entity, id: record.id, op: .upsert) { current in
            guard let current, !current.isDeleted else { return fields }
            var changes: [String: JSONValue] = [:]
            for spec in schema.fields {
                let new = fields[spec.name] ?? .null
                let old = current.fields[spec.name] ?? .null
                if new != old { changes[spec.name] = new }
            }
            return changes.isEmpty ? nil : changes
        }
    }

    /// Sets some fields of a record (creating it if this device has never seen it: then every required field must
    /// be set); `null` clears an optional field.
    @discardableResult
    public func update(_ entity: EntityKind, id: UUID, fields: [String: JSONValue]) async throws -> PendingMutation {
        guard let pending = try await stage(entity, id: id, op: .upsert, fields: { _ in fields }) else {
            throw EditRejected(code: RejectionCode(.missingField), field: nil, message: "An update must set at least one field.")
        }
        return pending
    }

    /// Deletes a record for good (deletes are terminal: no edit brings it back). Returns nil if it was deleted already.
    ///
    /// - Throws: ``SyncError`` `recordNotFound` when the local diary has no such record.
    @discardableResult
    public func delete(_ entity: EntityKind, id: UUID) async throws -> PendingMutation? {
        try await stage(entity, id: id, op: .delete) { current in
            guard let current else {
                throw SyncError(.recordNotFound, detail: "No \(entity.rawValue) with id \(id.key) in this diary.")
            }
            return current.isDeleted ? nil : [:]
        }
    }

    /// Validates and queues one mutation in a single SQLite transaction: the outbox entry, the next mutation id,
    /// the clock and the local view are written together or not at all.
    ///
    /// `fields` gets the record's local state and returns what to send, or nil for nothing to do.
    private func stage(
        _ entity: EntityKind, id: UUID, op: MutationOperation,
        fields: @escaping @Sendable (LocalRecord?) throws -> [String: JSONValue]?
    ) async throws -> PendingMutation? {
        let wall = wallClock()
        let pending = try await database.write { db -> PendingMutation? in
            let current = try LocalView.record(db, id: id)
            guard let values = try fields(current) else { return nil }
            return try Self.queue(db, entity, id: id, op: op, fields: values, wall: wall)
        }
        if pending != nil {
            wake.signal()
            await publishStatus()
        }
        return pending
    }

    /// Validates one mutation against the local view and queues it, inside the caller's write transaction: the outbox
    /// entry, the next mutation id, the clock and the local view change together or not at all.
    ///
    /// - Throws: ``EditRejected`` when the server would refuse it; the caller's transaction then rolls back.
    static func queue(
        _ db: Database, _ entity: EntityKind, id: UUID, op: MutationOperation, fields values: [String: JSONValue], wall: Int64
    ) throws -> PendingMutation {
        let current = try LocalView.record(db, id: id)
        if let current, current.entity != entity {
            throw EditRejected(
                code: .recordMismatch, field: nil, message: "The id belongs to a \(current.entity.rawValue), not a \(entity.rawValue).")
        }
        if op == .upsert { try checkReferences(db, values, of: entity) }

        let device = try DeviceState.read(db)
        var clock = device.hybridClock
        let mutation = Mutation(
            mutationID: device.lastMutationID + 1, entity: entity, id: id, op: op, hlc: clock.now(physicalMillis: wall),
            baseVersion: try ServerRecords.version(db, id: id), fields: op == .upsert ? values : nil)
        let merged = Merge.apply(mutation, to: try LocalView.state(db, id: id), version: current?.serverVersion ?? 0)
        if case .rejected(let rejection) = merged.outcome { throw EditRejected(rejection) }

        let queuedAt = Date(timeIntervalSince1970: Double(wall) / 1000)
        try Outbox.append(db, mutation, queuedAt: queuedAt)
        try db.execute(literal: "UPDATE device SET last_mutation_id = \(mutation.mutationID)")
        try DeviceState.saveClock(db, clock)
        try LocalView.recompute(db, id: id)
        return PendingMutation(mutation: mutation, queuedAt: queuedAt, isAcknowledged: false)
    }

    /// Every reference a mutation sets must name a record of the right kind in the local diary (a deleted one
    /// counts), as the server checks against its own copy (`invalid_reference`).
    private static func checkReferences(_ db: Database, _ values: [String: JSONValue], of entity: EntityKind) throws {
        for (name, target, id) in EntitySchema.schema(for: entity).references(in: values) {
            if try LocalView.record(db, id: id)?.entity != target {
                throw EditRejected(
                    code: .invalidReference, field: name, message: "\(name) must name a \(target.rawValue) of this account.")
            }
        }
    }
}
