import Foundation
import RunDiaryModels
import Testing

/// The worked examples of docs/sync-protocol.md §5.3, replayed with the same clocks and values.
@Suite("Sync protocol worked examples")
struct SyncProtocolExampleTests {
    static let phone = UUID(uuidString: "7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60")!
    static let tablet = UUID(uuidString: "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d")!
    static let runID = UUID(uuidString: "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01")!

    static func clock(_ text: String, _ node: UUID) -> HLC {
        HLC("2026-11-26T\(text)Z-0000-\(node.uuidString.lowercased())")!
    }

    /// The run at version 18 as the document starts it.
    static let version18 = RecordState(
        entity: .run,
        id: runID,
        fields: ["started_at": "2026-11-26T07:30:00+01:00", "elapsed_s": 2950, "rpe": 6.5, "notes": "Easy"],
        clocks: Dictionary(
            uniqueKeysWithValues: ["started_at", "elapsed_s", "rpe", "notes"].map {
                ($0, clock("13:45:19.123", phone))
            }),
        fieldVersions: ["started_at": 18, "elapsed_s": 18, "rpe": 18, "notes": 18],
        version: 18
    )

    static func upsert(_ time: String, _ node: UUID, base: Int64?, _ fields: [String: JSONValue]) -> Mutation {
        Mutation(mutationID: 57, entity: .run, id: runID, op: .upsert, hlc: clock(time, node), baseVersion: base, fields: fields)
    }

    @Test("two devices edit different fields")
    func differentFields() throws {
        let tablet = Self.upsert("14:00:05.000", Self.tablet, base: 18, ["notes": "Hip tight"])
        let phone = Self.upsert("14:00:00.000", Self.phone, base: 18, ["rpe": 7])
        let first = Merge.apply(tablet, to: Self.version18, version: 19)
        let second = Merge.apply(phone, to: first.state, version: 20)
        let state = try #require(second.state)
        #expect(first.outcome == .applied && second.outcome == .applied && second.conflicts.isEmpty)
        #expect(state.fields["rpe"] == 7 && state.clocks["rpe"] == Self.clock("14:00:00.000", Self.phone))
        #expect(state.fieldVersions["rpe"] == 20 && state.fieldVersions["notes"] == 19)
        #expect(state.fields["notes"] == "Hip tight")
        let reversed = Merge.apply(tablet, to: Merge.apply(phone, to: Self.version18, version: 19).state, version: 20)
        #expect(reversed.state?.fields == state.fields && reversed.state?.clocks == state.clocks)
    }

    @Test("same field with base_version: a conflict reports the losing value")
    func conflict() throws {
        let atVersion20 = try #require(
            Merge.apply(Self.upsert("14:00:00.000", Self.phone, base: 18, ["rpe": 7]), to: Self.version18, version: 20).state)
        let tabletWrite = Merge.apply(Self.upsert("14:10:00.000", Self.tablet, base: 20, ["rpe": 8]), to: atVersion20, version: 21)
        let atVersion21 = try #require(tabletWrite.state)
        let phone = Merge.apply(Self.upsert("14:09:58.500", Self.phone, base: 20, ["rpe": 6]), to: atVersion21, version: 22)
        let result = MutationResult(mutationID: 57, merge: phone)
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(result))
        #expect(
            json == [
                "mutation_id": 57, "status": "merged", "version": 21,
                "conflicts": [
                    [
                        "field": "rpe", "winner": "stored",
                        "winning_value": 8, "winning_hlc": "2026-11-26T14:10:00.000Z-0000-0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
                        "losing_value": 6, "losing_hlc": "2026-11-26T14:09:58.500Z-0000-7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60",
                    ]
                ],
            ])

        let tie = Merge.apply(Self.upsert("14:10:00.000", Self.phone, base: 20, ["rpe": 6]), to: atVersion21, version: 22)
        #expect(tie.state?.fields["rpe"] == 6 && tie.state?.version == 22)
        #expect(tie.conflicts.map(\.winner) == [.mutation] && tie.conflicts.map(\.losingValue) == [8])
        #expect(tie.conflicts.map(\.losingHLC) == [Self.clock("14:10:00.000", Self.tablet)])

        let seen = Merge.apply(Self.upsert("14:09:58.500", Self.phone, base: 21, ["rpe": 6]), to: atVersion21, version: 22)
        #expect(seen.conflicts.isEmpty && seen.staleFields == ["rpe"])
    }

    @Test("delete vs. a concurrent upsert ends in the same tombstone")
    func deleteVersusUpsert() throws {
        let delete = Mutation(mutationID: 3, entity: .run, id: Self.runID, op: .delete, hlc: Self.clock("14:20:00.000", Self.tablet))
        let edit = Self.upsert("14:25:00.000", Self.phone, base: 21, ["notes": "Sore"])

        let deleted = Merge.apply(delete, to: Self.version18, version: 22)
        let late = Merge.apply(edit, to: deleted.state, version: 23)
        if case .rejected(let rejection) = late.outcome {
            #expect(rejection.code == .recordDeleted)
        } else {
            Issue.record("the upsert must be rejected")
        }

        let edited = Merge.apply(edit, to: Self.version18, version: 22)
        let deletedAfter = Merge.apply(delete, to: edited.state, version: 23)
        #expect(edited.state?.fields["notes"] == "Sore")
        for state in [late.state, deletedAfter.state] {
            #expect(state?.deleted == Self.clock("14:20:00.000", Self.tablet))
            #expect(state?.fields.isEmpty == true && state?.clocks.isEmpty == true)
        }
    }
}
