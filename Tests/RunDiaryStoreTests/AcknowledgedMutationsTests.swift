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

    /// A mutation numbered `id`, its content depending on `content`.
    static func numbered(_ id: Int64, content: Int64? = nil) -> Mutation {
        let base = mutations[0]
        return Mutation(
            mutationID: id, rawEntity: base.rawEntity, id: base.id, rawOp: base.rawOp, rawHLC: base.rawHLC,
            fields: ["elapsed_s": .integer(content ?? id)])
    }

    static func window(recording ids: ClosedRange<Int64>, after recent: [UInt8] = []) -> AcknowledgedMutations {
        var window = AcknowledgedMutations(recent: recent)
        for id in ids { window.record(numbered(id)) }
        return window
    }

    @Test func theNewestPartGrowsUntilFullThenStartsAgainWithThePushsOwnEntries() {
        // 90 entries, then 6 more: still within the newest part, which is stored whole, in order.
        let first = Self.window(recording: 1...90).stored
        #expect(!first.folds && first.recent.count == 90 * AcknowledgedMutations.entrySize)
        let second = Self.window(recording: 91...96, after: first.recent).stored
        #expect(!second.folds && second.recent.count == AcknowledgedMutations.recentCapacity * AcknowledgedMutations.entrySize)
        #expect(AcknowledgedMutations(recent: second.recent).recall(Self.numbered(1)) == .seen)
        #expect(AcknowledgedMutations(recent: second.recent).recall(Self.numbered(96)) == .seen)
        // One more does not fit: the newest part as it was is folded, the push's entry starts the new one.
        let third = Self.window(recording: 97...97, after: second.recent).stored
        let only: [AcknowledgedMutations.Entry] = [(97, AcknowledgedMutations.digest(of: Self.numbered(97)))]
        #expect(third.folds && third.recent == AcknowledgedMutations.bytes(only))
        // A push larger than the window keeps its newest entries.
        let large = Self.window(recording: 1...700).stored
        #expect(large.folds && large.recent.count == AcknowledgedMutations.capacity * AcknowledgedMutations.entrySize)
        #expect(AcknowledgedMutations(recent: large.recent).recall(Self.numbered(101)) == .seen)
        #expect(AcknowledgedMutations(recent: large.recent).recall(Self.numbered(100)) == .unknown)
    }

    @Test func recallLooksInTheNewestPartThenTheOlderOne() {
        let older = AcknowledgedMutations.bytes((Int64(1)...5).map { ($0, AcknowledgedMutations.digest(of: Self.numbered($0))) })
        let recent = AcknowledgedMutations.bytes((Int64(6)...8).map { ($0, AcknowledgedMutations.digest(of: Self.numbered($0))) })
        var window = AcknowledgedMutations(recent: recent)
        #expect(window.recall(Self.numbered(7)) == .seen)
        #expect(window.recall(Self.numbered(7, content: 70)) == .reused)
        #expect(window.recall(Self.numbered(3)) == .unknown, "the older part was not read")
        window.includeOlder(bytes: older)
        #expect(window.recall(Self.numbered(3)) == .seen)
        #expect(window.recall(Self.numbered(3, content: 30)) == .reused)
        #expect(window.recall(Self.numbered(9)) == .unknown)
        // Bytes this code never writes read as an empty part.
        #expect(AcknowledgedMutations(recent: [1, 2, 3]).recall(Self.numbered(1)) == .unknown)
    }
}
