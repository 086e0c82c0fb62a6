import Foundation

/// The merge of one mutation into a stored record: a pure function shared by the server and clients.
///
/// Per field, the write with the greater clock wins (last-writer-wins by ``HLC``); clocks never tie across
/// devices, so the result does not depend on the order in which mutations arrive. A delete leaves a
/// tombstone that no upsert can revive.
public enum Merge {
    /// Applies `mutation` to `state` (nil if the server has no record with this id).
    ///
    /// - Parameter version: The server version the store assigns to this change. The result uses it only
    ///   when ``MergeResult/changed`` is true; otherwise the store need not consume it.
    public static func apply(_ mutation: Mutation, to state: RecordState?, version: Int64) -> MergeResult {
        if let issue = mutation.firstTextIssue {
            return MergeResult(
                state: state, changed: false, outcome: .rejected(MergeRejection(issues: [issue])), fieldResults: [])
        }
        guard let entity = mutation.entity else {
            return .rejected(state, code: .invalidEntity, field: "entity", "Unknown entity \(mutation.rawEntity).")
        }
        guard let op = mutation.op else {
            return .rejected(state, code: .invalidOperation, field: "op", "Unknown op \(mutation.rawOp).")
        }
        guard let hlc = mutation.hlc else {
            return .rejected(state, code: .invalidClock, field: "hlc", "Invalid clock \(mutation.rawHLC).")
        }
        if let state, state.entity != entity || state.id != mutation.id {
            return .rejected(state, code: .recordMismatch, field: nil, "The stored state is another record's.")
        }
        switch op {
        case .delete:
            return delete(entity: entity, id: mutation.id, hlc: hlc, state: state, version: version)
        case .upsert:
            return upsert(
                mutation.fields ?? [:], entity: entity, id: mutation.id, hlc: hlc,
                baseVersion: mutation.baseVersion, state: state, version: version)
        }
    }

    private static func delete(entity: EntityKind, id: UUID, hlc: HLC, state: RecordState?, version: Int64)
        -> MergeResult
    {
        if let tombstone = state?.deleted {
            if tombstone == hlc {
                return MergeResult(state: state, changed: false, outcome: .duplicate, fieldResults: [])
            }
            guard hlc > tombstone, var newer = state else {
                return MergeResult(state: state, changed: false, outcome: .applied, fieldResults: [])
            }
            newer.deleted = hlc
            newer.version = version
            return MergeResult(state: newer, changed: true, outcome: .applied, fieldResults: [])
        }
        let tombstone = RecordState(entity: entity, id: id, deleted: hlc, version: version)
        return MergeResult(state: tombstone, changed: true, outcome: .applied, fieldResults: [])
    }

    private static func upsert(
        _ values: [String: JSONValue],
        entity: EntityKind,
        id: UUID,
        hlc: HLC,
        baseVersion: Int64?,
        state: RecordState?,
        version: Int64
    ) -> MergeResult {
        if state?.isDeleted == true {
            return .rejected(state, code: .recordDeleted, field: nil, "The \(entity.rawValue) was deleted.")
        }
        let schema = EntitySchema.schema(for: entity)
        let issues = schema.validatePatch(values)
        guard issues.isEmpty else {
            return MergeResult(
                state: state, changed: false, outcome: .rejected(MergeRejection(issues: issues)),
                fieldResults: [])
        }

        var merged: RecordState
        if let state {
            merged = state
        } else {
            merged = RecordState(entity: entity, id: id, version: version)
            merged.fields.reserveCapacity(values.count)
            merged.clocks.reserveCapacity(values.count)
            merged.fieldVersions.reserveCapacity(values.count)
        }
        var results: [FieldMergeResult] = []
        results.reserveCapacity(values.count)
        for (name, raw) in values.sorted(by: { $0.key < $1.key }) {
            guard let spec = schema.field(named: name) else { continue }
            let value = spec.canonical(raw)
            let resolution = resolve(name, value, hlc: hlc, baseVersion: baseVersion, in: merged)
            if resolution.isWritten {
                merged.fields[name] = value
                merged.clocks[name] = hlc
                merged.fieldVersions[name] = version
            }
            results.append(FieldMergeResult(field: name, resolution: resolution))
        }

        let written = results.contains { $0.resolution.isWritten }
        guard state == nil || written else {
            return MergeResult(state: state, changed: false, outcome: outcome(of: results), fieldResults: results)
        }
        let recordIssues = schema.validateRecord(merged.fields)
        guard recordIssues.isEmpty else {
            return MergeResult(
                state: state, changed: false, outcome: .rejected(MergeRejection(issues: recordIssues)),
                fieldResults: [])
        }
        merged.version = version
        return MergeResult(state: merged, changed: true, outcome: outcome(of: results), fieldResults: results)
    }

    /// Last-writer-wins for one field, with conflict detection against `baseVersion`.
    private static func resolve(
        _ name: String, _ value: JSONValue, hlc: HLC, baseVersion: Int64?,
        in state: RecordState
    ) -> FieldResolution {
        guard let storedHLC = state.clocks[name] else { return .applied }
        if storedHLC == hlc { return .duplicate }
        let storedValue = state.fields[name] ?? .null
        let isConflict =
            baseVersion.map { base in (state.fieldVersions[name] ?? 0) > base } == true
            && storedHLC.node != hlc.node
            && storedValue != value
        switch (isConflict, hlc > storedHLC) {
        case (false, true):
            return .applied
        case (false, false):
            return .stale(storedHLC: storedHLC)
        case (true, true):
            return .conflict(
                FieldConflict(
                    field: name, winningValue: value, winningHLC: hlc,
                    losingValue: storedValue, losingHLC: storedHLC, winner: .mutation))
        case (true, false):
            return .conflict(
                FieldConflict(
                    field: name, winningValue: storedValue, winningHLC: storedHLC,
                    losingValue: value, losingHLC: hlc, winner: .stored))
        }
    }

    private static func outcome(of results: [FieldMergeResult]) -> MergeOutcome {
        if !results.isEmpty, results.allSatisfy({ $0.resolution == .duplicate }) {
            return .duplicate
        }
        let lost = results.filter { result in
            switch result.resolution {
            case .applied, .duplicate: false
            case .stale, .conflict: !result.resolution.isWritten
            }
        }
        return lost.isEmpty ? .applied : .merged(lostFields: lost.map(\.field))
    }
}
