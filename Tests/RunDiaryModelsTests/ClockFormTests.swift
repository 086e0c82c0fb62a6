import Foundation
import Testing

@testable import RunDiaryModels

/// A pulled change in either clock form (docs/sync-protocol.md §8): the shared form carries the clock most fields
/// have once, as `clock`; both forms read back to the same ``Change``.
@Suite("Clock forms of a change")
struct ClockFormTests {
    static let node = UUID(uuidString: "190d6619-2c26-4c87-ba98-1db343828ff1")!
    static let other = UUID(uuidString: "8a9b0c1d-2e3f-4a5b-9c6d-7e8f90a1b2c3")!
    static let created = HLC(physicalMillis: 1_764_000_000_000, counter: 0, node: node)
    static let edited = HLC(physicalMillis: 1_764_000_100_000, counter: 2, node: other)

    /// A run written by one mutation, then one field edited on another device, one field cleared.
    static let run = RecordState(
        entity: .run, id: UUID(uuidString: "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01")!,
        fields: ["title": "Easy run", "distance_m": 5268, "rpe": 7, "notes": .null, "is_indoor": true],
        clocks: ["title": created, "distance_m": created, "rpe": edited, "notes": created, "is_indoor": created],
        fieldVersions: ["title": 4, "distance_m": 4, "rpe": 9, "notes": 4, "is_indoor": 4], version: 9)

    static func json(_ state: RecordState, _ form: ClockForm) -> String {
        var bytes: [UInt8] = []
        state.appendChangeJSON(to: &bytes, form: form)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func theSharedFormNamesOnlyTheFieldsWhoseClockDiffers() throws {
        let shared = Self.json(Self.run, .shared)
        let expected =
            #"{"entity":"run","id":"3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01","version":9,"deleted":false,"#
            + #""fields":{"distance_m":5268,"is_indoor":true,"notes":null,"rpe":7,"title":"Easy run"},"#
            + #""clock":"\#(Self.created)","clocks":{"rpe":"\#(Self.edited)"}}"#
        #expect(shared == expected)
        let perField = Self.json(Self.run, .perField)
        #expect(!perField.contains(#""clock":"#))
        let everyClock =
            #""clocks":{"distance_m":"\#(Self.created)","is_indoor":"\#(Self.created)","notes":"\#(Self.created)","#
            + #""rpe":"\#(Self.edited)","title":"\#(Self.created)"}}"#
        #expect(perField.hasSuffix(everyClock))
        for text in [shared, perField] {
            #expect(try JSONDecoder().decode(Change.self, from: Data(text.utf8)) == Change(Self.run))
        }
        #expect(shared.utf8.count < perField.utf8.count)
    }

    @Test func aRecordWrittenAtOnceCarriesOneClockAndATombstoneNone() throws {
        var once = Self.run
        for name in once.clocks.keys { once.clocks[name] = Self.created }
        #expect(Self.json(once, .shared).hasSuffix(#","clock":"\#(Self.created)","clocks":{}}"#))
        let tombstone = RecordState(entity: .painEntry, id: UUID(), deleted: Self.edited, version: 12)
        #expect(Self.json(tombstone, .shared) == Self.json(tombstone, .perField))
        #expect(Self.json(tombstone, .shared).hasSuffix(#""fields":{},"clocks":{}}"#))
        for state in [once, tombstone] {
            #expect(try JSONDecoder().decode(Change.self, from: Data(Self.json(state, .shared).utf8)) == Change(state))
        }
    }

    /// The one-pass rewrite a per-field pull uses gives the per-field writer's bytes, whatever the fields hold.
    @Test func theSharedFormRewritesToThePerFieldFormByteForByte() throws {
        var nested = Self.run
        nested.fields["notes"] = .string(#"Hip "clicks" \ {not an object} [nor an array], "clock":"x" "# + "\u{2028}🏃")
        nested.fields["laps"] = .array([.object(["clock": "a}", "split": 1.5]), .array([]), .null, true])
        nested.clocks["laps"] = Self.edited
        nested.fieldVersions["laps"] = 9
        var once = Self.run
        for name in once.clocks.keys { once.clocks[name] = Self.created }
        for state in [Self.run, nested, once] {
            var rewritten: [UInt8] = []
            let shared = Array(Self.json(state, .shared).utf8)
            #expect(shared.withUnsafeBytes { Change.appendPerField(fromShared: $0, to: &rewritten) })
            #expect(String(decoding: rewritten, as: UTF8.self) == Self.json(state, .perField))
        }
        // Not laid out as the writer lays it out: nothing appended.
        let shared = Self.json(Self.run, .shared)
        for broken in [
            Self.json(Self.run, .perField), String(shared.dropLast()), shared + " ",
            shared.replacingOccurrences(of: #""clocks":{"rpe""#, with: #""clocks":{"zzz""#), "{}",
        ] {
            var bytes: [UInt8] = []
            #expect(!Array(broken.utf8).withUnsafeBytes { Change.appendPerField(fromShared: $0, to: &bytes) })
            #expect(bytes.isEmpty)
        }
    }

    @Test func ofEquallyCommonClocksTheLatestIsShared() {
        #expect(Change.sharedClock(of: [:]) == nil)
        #expect(Change.sharedClock(of: ["a": Self.created, "b": Self.edited]) == Self.edited)
        #expect(Change.sharedClock(of: ["a": Self.edited, "b": Self.created, "c": Self.created]) == Self.created)
    }

    @Test func theSharedClockStandsOnlyForFieldsTheChangeHas() {
        let clocks = Change.fieldClocks(fields: ["a": 1, "b": 2], clock: Self.created, clocks: ["b": Self.edited])
        #expect(clocks == ["a": Self.created, "b": Self.edited])
        #expect(Change.fieldClocks(fields: ["a": 1], clock: nil, clocks: ["a": Self.edited]) == ["a": Self.edited])
    }

    @Test func onlyTheSharedFormHasTheClockAfterTheFields() {
        let perField = Array(Self.json(Self.run, .perField).utf8)
        let shared = Array(Self.json(Self.run, .shared).utf8)
        #expect(!perField.withUnsafeBytes(Change.mayHaveSharedClock))
        #expect(shared.withUnsafeBytes(Change.mayHaveSharedClock))
        // A note that quotes the member reads as text: its quotes are escaped.
        var noted = Self.run
        noted.fields["notes"] = #"},"clock":""#
        #expect(!Array(Self.json(noted, .perField).utf8).withUnsafeBytes(Change.mayHaveSharedClock))
    }
}
