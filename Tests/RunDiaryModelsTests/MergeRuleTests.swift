import Foundation
import RunDiaryModels
import Testing

@Suite("Merge rules")
struct MergeRuleTests {
    let id = UUID(uuidString: "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01")!
    let createFields: [String: JSONValue] = ["started_at": "2026-11-26T07:30:00+01:00", "elapsed_s": 1800, "rpe": 5]

    /// A run created by the phone at t=0 as server version 1.
    func created() throws -> RecordState {
        try #require(Merge.apply(.upsert(id, at: .at(0, on: Device.phone), createFields), to: nil, version: 1).state)
    }

    @Test("the first upsert creates the record with each field's clock and version")
    func firstUpsertCreates() throws {
        let clock = HLC.at(0, on: Device.phone)
        let result = Merge.apply(.upsert(id, at: clock, createFields), to: nil, version: 1)
        let state = try #require(result.state)
        #expect(result.outcome == .applied && result.changed)
        #expect(state.fields == createFields)
        #expect(state.clocks == ["started_at": clock, "elapsed_s": clock, "rpe": clock])
        #expect(state.fieldVersions == ["started_at": 1, "elapsed_s": 1, "rpe": 1])
        #expect(state.version == 1 && state.deleted == nil && state.entity == .run && state.id == id)
        #expect(result.fieldResults.map(\.field) == ["elapsed_s", "rpe", "started_at"])
        #expect(result.fieldResults.allSatisfy { $0.resolution == .applied })
    }

    @Test("a first upsert must be a valid create")
    func createNeedsRequiredFields() {
        let result = Merge.apply(.upsert(id, at: .at(0, on: Device.phone), ["rpe": 5]), to: nil, version: 1)
        #expect(result.state == nil && !result.changed)
        #expect(result.rejection?.code == RejectionCode(.missingField))
        #expect(result.rejection?.issues.map(\.field) == ["started_at", "elapsed_s"])
    }

    @Test("two devices editing different fields both win")
    func differentFields() throws {
        let base = try created()
        let phone = Merge.apply(.upsert(id, at: .at(10, on: Device.phone), base: 1, ["rpe": 7]), to: base, version: 2)
        let tablet = Merge.apply(
            .upsert(id, at: .at(5, on: Device.tablet), base: 1, ["notes": "hip tight"]), to: phone.state, version: 3)
        let state = try #require(tablet.state)
        #expect(phone.outcome == .applied && tablet.outcome == .applied)
        #expect(state.fields["rpe"] == 7 && state.fields["notes"] == "hip tight")
        #expect(state.fieldVersions == ["started_at": 1, "elapsed_s": 1, "rpe": 2, "notes": 3])
        #expect(tablet.conflicts.isEmpty && state.version == 3)
    }

    @Test("an older write to a field is stale and changes nothing")
    func stale() throws {
        let base = try created()
        let newer = try #require(Merge.apply(.upsert(id, at: .at(20, on: Device.tablet), ["rpe": 8]), to: base, version: 2).state)
        let older = Merge.apply(.upsert(id, at: .at(10, on: Device.phone), ["rpe": 6]), to: newer, version: 3)
        #expect(older.state == newer && !older.changed)
        #expect(older.outcome == .merged(lostFields: ["rpe"]))
        #expect(older.resolution(of: "rpe") == .stale(storedHLC: .at(20, on: Device.tablet)))
        #expect(older.staleFields == ["rpe"])
    }

    @Test("a mutation with stale and fresh fields takes only the fresh ones")
    func partlyStale() throws {
        let base = try created()
        let newer = try #require(Merge.apply(.upsert(id, at: .at(20, on: Device.tablet), ["rpe": 8]), to: base, version: 2).state)
        let mixed = Merge.apply(.upsert(id, at: .at(10, on: Device.phone), ["rpe": 6, "feel": 4]), to: newer, version: 3)
        let state = try #require(mixed.state)
        #expect(mixed.changed && state.version == 3)
        #expect(state.fields["rpe"] == 8 && state.fields["feel"] == 4)
        #expect(state.fieldVersions["rpe"] == 2 && state.fieldVersions["feel"] == 3)
        #expect(mixed.outcome == .merged(lostFields: ["rpe"]))
    }

    @Test("the same mutation twice is a duplicate")
    func duplicate() throws {
        let base = try created()
        let again = Merge.apply(.upsert(id, at: .at(0, on: Device.phone), createFields), to: base, version: 2)
        #expect(again.outcome == .duplicate && !again.changed && again.state == base)
        #expect(again.fieldResults.allSatisfy { $0.resolution == .duplicate })
    }

    @Test("a conflict the mutation wins reports the stored value as the loser")
    func conflictMutationWins() throws {
        let base = try created()
        let tablet = try #require(
            Merge.apply(.upsert(id, at: .at(10, on: Device.tablet), base: 1, ["rpe": 8]), to: base, version: 2).state)
        let phone = Merge.apply(.upsert(id, at: .at(15, on: Device.phone), base: 1, ["rpe": 6]), to: tablet, version: 3)
        let expected = FieldConflict(
            field: "rpe", winningValue: 6, winningHLC: .at(15, on: Device.phone),
            losingValue: 8, losingHLC: .at(10, on: Device.tablet), winner: .mutation)
        #expect(phone.conflicts == [expected])
        #expect(phone.outcome == .applied)
        #expect(phone.state?.fields["rpe"] == 6)
    }

    @Test("a conflict the stored value wins reports the mutation's value as the loser")
    func conflictStoredWins() throws {
        let base = try created()
        let tablet = try #require(
            Merge.apply(.upsert(id, at: .at(20, on: Device.tablet), base: 1, ["rpe": 8]), to: base, version: 2).state)
        let phone = Merge.apply(.upsert(id, at: .at(15, on: Device.phone), base: 1, ["rpe": 6]), to: tablet, version: 3)
        let expected = FieldConflict(
            field: "rpe", winningValue: 8, winningHLC: .at(20, on: Device.tablet),
            losingValue: 6, losingHLC: .at(15, on: Device.phone), winner: .stored)
        #expect(phone.conflicts == [expected])
        #expect(phone.outcome == .merged(lostFields: ["rpe"]) && phone.staleFields.isEmpty)
        #expect(phone.state == tablet && !phone.changed)
    }

    @Test("no conflict when the device had seen the change, wrote it itself, wrote the same value, or sent no base")
    func notConflicts() throws {
        let base = try created()
        let tablet = try #require(
            Merge.apply(.upsert(id, at: .at(10, on: Device.tablet), base: 1, ["rpe": 8]), to: base, version: 2).state)
        let seen = Merge.apply(.upsert(id, at: .at(15, on: Device.phone), base: 2, ["rpe": 6]), to: tablet, version: 3)
        let sameDevice = Merge.apply(.upsert(id, at: .at(15, on: Device.tablet), base: 1, ["rpe": 6]), to: tablet, version: 3)
        let sameValue = Merge.apply(.upsert(id, at: .at(15, on: Device.phone), base: 1, ["rpe": 8]), to: tablet, version: 3)
        let noBase = Merge.apply(.upsert(id, at: .at(15, on: Device.phone), ["rpe": 6]), to: tablet, version: 3)
        for result in [seen, sameDevice, sameValue, noBase] {
            #expect(result.conflicts.isEmpty)
            #expect(result.resolution(of: "rpe") == .applied)
        }
    }

    @Test("null clears a field and its clock keeps older writes out")
    func clearing() throws {
        let base = try created()
        let cleared = try #require(Merge.apply(.upsert(id, at: .at(10, on: Device.tablet), ["rpe": nil]), to: base, version: 2).state)
        #expect(cleared.fields["rpe"] == .null && cleared.clocks["rpe"] == .at(10, on: Device.tablet))
        let older = Merge.apply(.upsert(id, at: .at(5, on: Device.phone), ["rpe": 9]), to: cleared, version: 3)
        #expect(older.state?.fields["rpe"] == .null && !older.changed)
    }

    @Test("a patch that would break a cross-field rule is rejected and the record stays as it was")
    func patchKeepsRecordValid() throws {
        let base = try created()
        let result = Merge.apply(.upsert(id, at: .at(10, on: Device.phone), ["moving_s": 1801]), to: base, version: 2)
        #expect(result.state == base && !result.changed)
        #expect(result.rejection?.code == RejectionCode(.outOfRange) && result.rejection?.field == "moving_s")
        let cleared = Merge.apply(.upsert(id, at: .at(10, on: Device.phone), ["elapsed_s": nil]), to: base, version: 2)
        #expect(cleared.rejection?.code == RejectionCode(.missingField) && cleared.state == base)
    }

    @Test("a patch with an invalid value is rejected even if it would be stale")
    func invalidStaleValue() throws {
        let base = try created()
        let result = Merge.apply(.upsert(id, at: .at(-10, on: Device.phone), ["rpe": 11]), to: base, version: 2)
        #expect(result.rejection?.code == RejectionCode(.outOfRange) && result.state == base)
    }

    @Test("a delete leaves a tombstone without fields")
    func delete() throws {
        let base = try created()
        let result = Merge.apply(.delete(id, at: .at(10, on: Device.tablet)), to: base, version: 2)
        let state = try #require(result.state)
        #expect(result.outcome == .applied && result.changed)
        #expect(state.deleted == .at(10, on: Device.tablet) && state.version == 2)
        #expect(state.fields.isEmpty && state.clocks.isEmpty && state.fieldVersions.isEmpty)
    }

    @Test("an upsert after a delete, even with a later clock, is rejected as record_deleted")
    func deleteIsTerminal() throws {
        let base = try created()
        let tombstone = try #require(Merge.apply(.delete(id, at: .at(10, on: Device.tablet)), to: base, version: 2).state)
        for clock in [HLC.at(5, on: Device.phone), .at(50, on: Device.phone)] {
            let result = Merge.apply(.upsert(id, at: clock, ["rpe": 9]), to: tombstone, version: 3)
            #expect(result.rejection?.code == .recordDeleted)
            #expect(result.state == tombstone && !result.changed)
        }
    }

    @Test("a delete of an unknown record creates the tombstone, so the record can never be created")
    func deleteUnknown() throws {
        let tombstone = try #require(Merge.apply(.delete(id, at: .at(10, on: Device.tablet), entity: .gear), to: nil, version: 4).state)
        #expect(tombstone.entity == .gear && tombstone.isDeleted && tombstone.version == 4)
        let create = Merge.apply(.upsert(id, at: .at(1, on: Device.phone), ["name": "Shoes"], entity: .gear), to: tombstone, version: 5)
        #expect(create.rejection?.code == .recordDeleted)
    }

    @Test("tombstones keep the greatest delete clock; a repeated delete is a duplicate")
    func repeatedDeletes() throws {
        let first = try #require(Merge.apply(.delete(id, at: .at(10, on: Device.tablet)), to: nil, version: 1).state)
        let same = Merge.apply(.delete(id, at: .at(10, on: Device.tablet)), to: first, version: 2)
        #expect(same.outcome == .duplicate && !same.changed)
        let older = Merge.apply(.delete(id, at: .at(5, on: Device.phone)), to: first, version: 2)
        #expect(older.outcome == .applied && !older.changed && older.state == first)
        let newer = Merge.apply(.delete(id, at: .at(15, on: Device.phone)), to: first, version: 2)
        #expect(newer.changed && newer.state?.deleted == .at(15, on: Device.phone) && newer.state?.version == 2)
    }

    @Test("malformed entity, op and clock are rejected one by one")
    func malformed() throws {
        let base = try created()
        let clock = HLC.at(1, on: Device.phone).description
        let cases: [(Mutation, RejectionCode, String)] = [
            (Mutation(mutationID: 1, rawEntity: "shoe", id: id, rawOp: "upsert", rawHLC: clock), .invalidEntity, "entity"),
            (Mutation(mutationID: 1, rawEntity: "run", id: id, rawOp: "replace", rawHLC: clock), .invalidOperation, "op"),
            (Mutation(mutationID: 1, rawEntity: "run", id: id, rawOp: "upsert", rawHLC: "yesterday"), .invalidClock, "hlc"),
            (.upsert(id, at: .at(1, on: Device.phone), ["name": "x"], entity: .gear), .recordMismatch, ""),
        ]
        for (mutation, code, field) in cases {
            let result = Merge.apply(mutation, to: base, version: 2)
            #expect(result.rejection?.code == code)
            #expect((result.rejection?.field ?? "") == field)
            #expect(result.state == base && !result.changed)
        }
    }

    @Test("references are stored lowercase so equal ids compare equal")
    func referencesLowercased() throws {
        let fields = createFields.merging(["gear_id": "9C2E4B1A-7D3F-4A5B-8C6D-0E1F2A3B4C5D"]) { $1 }
        let state = try #require(Merge.apply(.upsert(id, at: .at(0, on: Device.phone), fields), to: nil, version: 1).state)
        #expect(state.fields["gear_id"] == "9c2e4b1a-7d3f-4a5b-8c6d-0e1f2a3b4c5d")
    }

    @Test("a merge result maps to the wire verdict")
    func wireVerdict() throws {
        let base = try created()
        let tablet = try #require(
            Merge.apply(.upsert(id, at: .at(20, on: Device.tablet), base: 1, ["rpe": 8]), to: base, version: 2).state)
        let merged = MutationResult(
            mutationID: 9,
            merge: Merge.apply(.upsert(id, at: .at(15, on: Device.phone), base: 1, ["rpe": 6, "feel": 3]), to: tablet, version: 3))
        #expect(merged.status == .merged && merged.version == 3 && merged.code == nil)
        #expect(merged.conflicts?.map(\.losingValue) == [6] && merged.staleFields == nil)
        let rejected = MutationResult(
            mutationID: 10, merge: Merge.apply(.upsert(id, at: .at(30, on: Device.phone), ["feel": 9]), to: tablet, version: 4))
        #expect(rejected.status == .rejected && rejected.code == RejectionCode(.outOfRange))
        #expect(rejected.field == "feel" && rejected.errors?.count == 1 && rejected.version == nil)
    }
}
