import Foundation
import RunDiaryModels
import Testing

@testable import RunDiaryStore

/// A device's acknowledged window is stored (`devices.acknowledged`) and compared with later retries: the digest of a
/// mutation must never change between releases, or a push retried across an upgrade would be refused as a reused id.
@Suite("Acknowledged mutations")
struct AcknowledgedMutationsTests {
    static let device = UUID(uuidString: "7f1c0a52-8c8e-4d5e-9d3a-1b2c3d4e5f60")!
    static let record = UUID(uuidString: "3B0F6A8E-2C4D-4E7A-9F10-5A6B7C8D9E01")!

    static let mutations: [Mutation] = [
        Mutation(
            mutationID: 41, entity: .run, id: record, op: .upsert,
            hlc: HLC(physicalMillis: 1_795_700_719_123, counter: 0, node: device),
            fields: [
                "started_at": "2026-11-26T07:30:00+01:00", "elapsed_s": 2950, "distance_m": 8012.5, "is_indoor": true,
                "notes": "Hüfte rechts \u{1F3C3} \"zieht\"\nnach 5 km", "gear_id": nil,
            ]),
        Mutation(
            mutationID: 42, entity: .painEntry, id: record, op: .upsert,
            hlc: HLC(physicalMillis: 1_795_700_719_124, counter: 3, node: device), baseVersion: 17,
            fields: ["severity": 4, "activity_impact": nil]),
        Mutation(
            mutationID: 43, entity: .gear, id: record, op: .delete,
            hlc: HLC(physicalMillis: 1_795_700_719_125, counter: 0, node: device)),
        Mutation(mutationID: 44, rawEntity: "shoe", id: record, rawOp: "merge", rawHLC: "yesterday", fields: [:]),
    ]

    /// The values the digest had when it was introduced (computed by that release's code, commit ce2f467).
    @Test func digestsAreTheOnesStoredByEarlierReleases() {
        #expect(
            Self.mutations.map(AcknowledgedMutations.digest(of:)) == [
                8_591_900_413_601_927_743, 7_732_942_149_512_787_883, 15_528_065_709_136_004_943, 6_561_191_813_960_647_561,
            ])
    }

    @Test func theWindowKeepsTheNewestEntriesAndReadsBackItsStoredForm() {
        var window = AcknowledgedMutations()
        let base = Self.mutations[0]
        for id in 1...Int64(AcknowledgedMutations.capacity + 5) {
            window.record(
                Mutation(
                    mutationID: id, rawEntity: base.rawEntity, id: base.id, rawOp: base.rawOp, rawHLC: base.rawHLC,
                    fields: ["elapsed_s": .integer(id)]))
        }
        let stored = AcknowledgedMutations(bytes: window.bytes)
        #expect(stored == window && stored.entries.count == AcknowledgedMutations.capacity)
        #expect(stored.entries.first?.id == 6 && stored.entries.last?.id == Int64(AcknowledgedMutations.capacity + 5))
        let retried = Mutation(
            mutationID: 300, rawEntity: base.rawEntity, id: base.id, rawOp: base.rawOp, rawHLC: base.rawHLC,
            fields: ["elapsed_s": 300])
        #expect(stored.recall(retried) == .seen)
        var changed = retried
        changed.fields = ["elapsed_s": 301]
        #expect(stored.recall(changed) == .reused)
        #expect(stored.recall(Mutation(mutationID: 5, rawEntity: "run", id: base.id, rawOp: "delete", rawHLC: base.rawHLC)) == .unknown)
    }
}
