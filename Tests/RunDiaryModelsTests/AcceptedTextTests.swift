import Foundation
import RunDiaryModels
import Testing

@Suite("Accepted text: one rule for every string the service takes")
struct AcceptedTextTests {
    /// Every character class the rule names, with its verdict.
    static let refused: [Unicode.Scalar] = ["\u{0}", "\u{1}", "\u{8}", "\u{B}", "\u{C}", "\u{1B}", "\u{1F}"]
    static let accepted: [Unicode.Scalar] = [
        "\t", "\n", "\r", " ", "\u{7F}", "\u{85}", "\u{2028}", "\u{202E}", "\u{FFFD}", "\u{FFFF}", "\u{1F3C3}",
    ]

    @Test("C0 controls other than tab, line feed and carriage return are refused; everything else is accepted")
    func classes() {
        for scalar in Self.refused {
            #expect(!AcceptedText.accepts(scalar), "\(scalar.value)")
            #expect(AcceptedText.firstRefused(in: "hip \(scalar) pain") == scalar)
        }
        for scalar in Self.accepted {
            #expect(AcceptedText.accepts(scalar), "\(scalar.value)")
            #expect(AcceptedText.isAccepted("hip \(scalar) pain"))
        }
    }

    @Test("the storable form replaces refused characters with U+FFFD and leaves accepted text alone")
    func storable() {
        #expect(AcceptedText.storable("a\u{0}b\u{1B}c") == "a\u{FFFD}b\u{FFFD}c")
        #expect(AcceptedText.storable("knee\tleft\n🏃") == "knee\tleft\n🏃")
        let value: JSONValue = ["no\u{0}tes": "x\u{0}", "notes": ["a", "\u{1}"]]
        #expect(value.storable.firstTextIssue(at: "") == nil)
        guard case .object(let members) = value.storable else { Issue.record("not an object"); return }
        #expect(members.count == 2, "two keys stay two keys")
        #expect(members["no\u{FFFD}tes"] == "x\u{FFFD}")
    }

    @Test("a refused character is found in keys, nested values and array elements, with its path")
    func paths() {
        let body: JSONValue = ["device": ["name": "phone\u{0}"], "include": ["run", "pa\u{1}in"]]
        #expect(body.firstTextIssue(at: "")?.field == "device.name")
        #expect(body.firstTextIssue(at: "")?.code == .invalidValue)
        let key: JSONValue = ["fields": ["no\u{0}tes": "x"]]
        #expect(key.firstTextIssue(at: "")?.field == "fields.no\u{FFFD}tes")
        #expect(JSONValue.object(["include": ["run", "pa\u{1}in"]]).firstTextIssue(at: "")?.field == "include[1]")
        #expect(JSONValue.string("fine").firstTextIssue(at: "x") == nil)
        // Of several refused places, the first in key order (then element order) is reported, whatever the hashing.
        let several = JSONValue.object(["b": "x\u{1}", "a": .object(["z": "\u{2}", "c": ["ok", "y\u{3}"]])])
        #expect(several.firstTextIssue(at: "")?.field == "a.c[1]")
        #expect(JSONValue.object(["a": ["ok", 1, .null, ["k": "fine"]]]).firstTextIssue(at: "") == nil)
        // Messages name the character without echoing it.
        #expect(body.firstTextIssue(at: "")?.message.contains("U+0000") == true)
        #expect(body.firstTextIssue(at: "")?.message.contains("\u{0}") == false)
    }

    @Test("a mutation holding refused text anywhere is rejected invalid_value by the shared merge, before anything else")
    func mutations() {
        var clock = HybridLogicalClock(node: UUID())
        let hlc = clock.now()
        let id = UUID()
        let valid: [String: JSONValue] = ["name": "Trainers"]
        let cases: [(Mutation, String)] = [
            (Mutation(mutationID: 1, rawEntity: "gear\u{0}", id: id, rawOp: "upsert", rawHLC: hlc.description, fields: valid), "entity"),
            (Mutation(mutationID: 1, rawEntity: "gear", id: id, rawOp: "up\u{0}sert", rawHLC: hlc.description, fields: valid), "op"),
            (Mutation(mutationID: 1, rawEntity: "gear", id: id, rawOp: "upsert", rawHLC: hlc.description + "\u{0}", fields: valid), "hlc"),
            (Mutation(mutationID: 1, entity: .gear, id: id, op: .upsert, hlc: hlc, fields: ["name": "Train\u{0}ers"]), "name"),
            (
                Mutation(mutationID: 1, entity: .gear, id: id, op: .upsert, hlc: hlc, fields: ["name": "T", "br\u{0}and": "x"]),
                "br\u{FFFD}and"
            ),
            (
                Mutation(
                    mutationID: 1, entity: .painEntry, id: id, op: .upsert, hlc: hlc,
                    fields: ["qualities": ["aching", "sharp\u{1B}"]]), "qualities[1]"
            ),
        ]
        for (mutation, field) in cases {
            let result = Merge.apply(mutation, to: nil, version: 1)
            guard case .rejected(let rejection) = result.outcome else {
                Issue.record("\(field) was not rejected")
                continue
            }
            #expect(rejection.code.rawValue == "invalid_value", "\(field)")
            #expect(rejection.field == field)
        }
    }

    @Test("the schema refuses refused text in any field, so a client refuses it before it is queued")
    func schema() {
        #expect(EntitySchema.run.validatePatch(["notes": "a\u{0}b"]).first?.code == .invalidValue)
        #expect(EntitySchema.run.validatePatch(["surface": "road\u{0}"]).first?.code == .invalidValue)
        #expect(EntitySchema.run.validatePatch(["time_zone": "Europe/Berlin\u{0}"]).first?.code == .invalidValue)
        #expect(EntitySchema.run.validatePatch(["no\u{0}tes": "x"]).first?.code == .invalidValue)
        #expect(EntitySchema.run.validatePatch(["notes": "line\nbreak\ttab"]).isEmpty)
    }
}

@Suite("Diary calendar: dates a running diary can mean")
struct DiaryCalendarTests {
    @Test("dates and timestamps outside 1900-01-01 … 2099-12-31 are out_of_range; the ends are inside")
    func bounds() {
        let schema = EntitySchema.plan
        #expect(schema.validatePatch(["start_date": "1900-01-01"]).isEmpty)
        #expect(schema.validatePatch(["start_date": "2099-12-31"]).isEmpty)
        #expect(schema.validatePatch(["start_date": "1899-12-31"]).first?.code == .outOfRange)
        #expect(schema.validatePatch(["end_date": "9999-12-31"]).first?.code == .outOfRange)
        #expect(schema.validatePatch(["end_date": "0001-01-01"]).first?.code == .outOfRange)
        let run = EntitySchema.run
        #expect(run.validatePatch(["started_at": "0001-01-01T00:00:00Z"]).first?.code == .outOfRange)
        #expect(run.validatePatch(["started_at": "9999-12-31T23:59:59Z"]).first?.code == .outOfRange)
        #expect(run.validatePatch(["started_at": "2100-01-01T00:30:00+01:00"]).first?.code == .outOfRange)
        // By the local date as written: 2099-12-31 23:30 at UTC-05:00 is 2100 in UTC, and still inside.
        #expect(run.validatePatch(["started_at": "2099-12-31T23:30:00-05:00"]).isEmpty)
        #expect(run.validatePatch(["started_at": "1900-01-01T00:00:00+14:00"]).isEmpty)
        #expect(run.validatePatch(["started_at": "1899-12-31T23:59:59Z"]).first?.code == .outOfRange)
    }
}
