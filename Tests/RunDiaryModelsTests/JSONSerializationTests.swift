import Foundation
import Testing

@testable import RunDiaryModels

@Suite("JSONValue's hand-written serialisation")
struct JSONSerializationTests {
    static let samples: [JSONValue] = [
        .null, true, false, 0, -42, .integer(Int64.max), 7200.0, -1.5, 0.1, 1e-7, 6.02e23,
        "", "plain", "quote \" backslash \\ slash /", "line\nbreak\ttab\r", "\u{0}\u{1}\u{1F}", "Hüfte 🏃‍♀️ 膝",
        "… € ‰ \u{2028}\u{2029} ends: …", "\u{2028}", "trailing lead bytes of a separator: \u{2020}\u{2000}",
        [1, "two", nil, [3.5]], ["b": 1, "a": ["x": nil], "ä": "ö"],
    ]

    @Test("parses back to the same value", arguments: samples)
    func roundTrip(value: JSONValue) throws {
        var bytes: [UInt8] = []
        value.appendJSON(to: &bytes)
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        #expect(parsed == value)
        // And Foundation's own parser agrees that it is JSON.
        _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    @Test func objectsAreWrittenWithSortedKeysAndNoSpaces() {
        var bytes: [UInt8] = []
        JSONValue.object(["b": 1, "a": .array([true, .null])]).appendJSON(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"a":[true,null],"b":1}"#)
    }

    @Test("line and paragraph separators are escaped, other characters sharing their lead bytes are not")
    func separatorsAreEscaped() {
        var bytes: [UInt8] = []
        JSONValue.appendString("a\u{2028}b\u{2029}c … € †", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\u2028b\u2029c … € †""#)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        var bytes: [UInt8] = []
        JSONValue.array([.number(.infinity), .number(.nan)]).appendJSON(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "[null,null]")
    }

    @Test func aRecordsChangeJSONReadsBackAsItsChange() throws {
        let node = UUID()
        let clock = HLC(physicalMillis: 1_764_000_000_000, counter: 3, node: node)
        let live = RecordState(
            entity: .painEntry, id: UUID(),
            fields: ["notes": "Hüfte \"zieht\"\n\u{2028}🏃", "severity": 4, "qualities": ["aching"], "run_id": .null],
            clocks: ["notes": clock, "severity": clock, "qualities": clock, "run_id": clock],
            fieldVersions: ["notes": 2, "severity": 2, "qualities": 2, "run_id": 3], version: 3)
        let tombstone = RecordState(entity: .run, id: UUID(), deleted: clock, version: 9)
        for state in [live, tombstone] {
            var bytes: [UInt8] = []
            state.appendChangeJSON(to: &bytes)
            #expect(try JSONDecoder().decode(Change.self, from: Data(bytes)) == Change(state))
            #expect(String(decoding: bytes, as: UTF8.self).contains(#""id":"\#(state.id.uuidString.lowercased())""#))
        }
    }
}
