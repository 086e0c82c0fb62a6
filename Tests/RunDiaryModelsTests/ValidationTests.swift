import Foundation
import RunDiaryModels
import Testing

@Suite("Validation")
struct ValidationTests {
    static let run: [String: JSONValue] = ["started_at": "2026-11-26T07:30:00+01:00", "elapsed_s": 1800]
    static let plan: [String: JSONValue] = ["kind": "rehab", "title": "Hip rehab"]
    static let gear: [String: JSONValue] = ["name": "Daily trainers"]

    private func codes(_ issues: [ValidationIssue]) -> [String] {
        issues.map { "\($0.field):\($0.code.rawValue)" }
    }

    private func run(with extra: [String: JSONValue]) -> [String] {
        codes(EntitySchema.run.validateCreate(Self.run.merging(extra) { $1 }))
    }

    @Test("a minimal valid record of every kind passes")
    func minimal() {
        #expect(EntitySchema.run.validateCreate(Self.run).isEmpty)
        #expect(EntitySchema.plan.validateCreate(Self.plan).isEmpty)
        #expect(EntitySchema.gear.validateCreate(Self.gear).isEmpty)
    }

    @Test("a create lists every missing required field, sorted as the schema orders them")
    func missing() {
        #expect(
            codes(EntitySchema.painEntry.validateCreate(["severity": 3]))
                == ["recorded_at:missing_field", "body_site:missing_field", "side:missing_field", "timing:missing_field"])
    }

    @Test("a patch's issues are all listed, in field-name order, whatever the order its map was built in")
    func patchIssueOrder() {
        let bad: [(String, JSONValue)] = [
            ("zzz", 1), ("version", 3), ("rpe", 11), ("a\u{1}b", 1), ("elapsed_s", nil), ("notes", "fine"),
        ]
        let expected = [
            "a\u{FFFD}b:invalid_value", "elapsed_s:missing_field", "rpe:out_of_range", "version:read_only_field",
            "zzz:unknown_field",
        ]
        for rotation in 0..<bad.count {
            let rotated = Array(bad[rotation...] + bad[..<rotation])
            for order in [rotated, rotated.reversed()] {
                var patch: [String: JSONValue] = [:]
                for (name, value) in order { patch[name] = value }
                #expect(codes(EntitySchema.run.validatePatch(patch)) == expected)
            }
        }
        #expect(EntitySchema.run.validatePatch(["rpe": 5, "notes": "fine", "elapsed_s": 1800]).isEmpty)
    }

    @Test("null clears an optional field but not a required one")
    func nulls() {
        #expect(run(with: ["notes": nil]).isEmpty)
        #expect(codes(EntitySchema.run.validatePatch(["elapsed_s": nil])) == ["elapsed_s:missing_field"])
        #expect(codes(EntitySchema.run.validatePatch(["rpe": nil, "title": nil])).isEmpty)
    }

    @Test("ranges are inclusive at both ends")
    func ranges() {
        #expect(run(with: ["rpe": 10, "feel": 1, "incline_pct": -10, "distance_m": 0]).isEmpty)
        #expect(run(with: ["rpe": 10.01]) == ["rpe:out_of_range"])
        #expect(EntitySchema.run.validatePatch(["rpe": -1]).first?.message == "rpe must be between 0 and 10.")
        #expect(run(with: ["feel": 6]) == ["feel:out_of_range"])
        #expect(run(with: ["incline_pct": -10.5]) == ["incline_pct:out_of_range"])
        #expect(run(with: ["elapsed_s": 0]) == ["elapsed_s:out_of_range"])
        #expect(run(with: ["elapsed_s": 604_801]) == ["elapsed_s:out_of_range"])
        #expect(run(with: ["avg_cadence_spm": 59]) == ["avg_cadence_spm:out_of_range"])
    }

    @Test("types: integers reject fractions and strings, numbers accept integers")
    func types() {
        #expect(run(with: ["elapsed_s": 1800.5]) == ["elapsed_s:invalid_type"])
        #expect(run(with: ["elapsed_s": "1800"]) == ["elapsed_s:invalid_type"])
        #expect(run(with: ["distance_m": 5000]).isEmpty)
        #expect(run(with: ["is_indoor": 1]) == ["is_indoor:invalid_type"])
        #expect(run(with: ["title": 5]) == ["title:invalid_type"])
        #expect(run(with: ["started_at": 1_795_674_600]) == ["started_at:invalid_type"])
    }

    @Test("timestamps need an offset; dates must be real days")
    func timestamps() {
        #expect(run(with: ["started_at": "2026-11-26T07:30:00"]) == ["started_at:invalid_value"])
        #expect(run(with: ["started_at": "2026-11-26T07:30:00.123Z"]).isEmpty)
        // Offsets within ±18:00 (what the store's offset column holds); +20:00 parses but no zone has it.
        #expect(run(with: ["started_at": "2026-11-26T07:30:00+14:00"]).isEmpty)
        #expect(run(with: ["started_at": "2026-11-26T07:30:00-18:00"]).isEmpty)
        #expect(run(with: ["started_at": "2026-11-26T07:30:00+20:00"]) == ["started_at:out_of_range"])
        #expect(codes(EntitySchema.plan.validatePatch(["start_date": "2026-02-30"])) == ["start_date:invalid_value"])
    }

    @Test("unknown enum codes are invalid values; sets reject repeats and unknown codes")
    func enums() {
        #expect(run(with: ["surface": "sand"]) == ["surface:invalid_value"])
        #expect(run(with: ["surface": "treadmill", "is_indoor": true]).isEmpty)
        let pain = EntitySchema.painEntry
        #expect(pain.validatePatch(["qualities": ["aching", "sharp"]]).isEmpty)
        #expect(pain.validatePatch(["qualities": []]).isEmpty)
        #expect(codes(pain.validatePatch(["qualities": ["aching", "aching"]])) == ["qualities:invalid_value"])
        #expect(codes(pain.validatePatch(["qualities": ["itchy"]])) == ["qualities:invalid_value"])
        #expect(codes(pain.validatePatch(["qualities": "aching"])) == ["qualities:invalid_type"])
        #expect(codes(pain.validatePatch(["qualities": [1]])) == ["qualities:invalid_type"])
    }

    @Test("lengths count Unicode scalars, as PostgreSQL's char_length does, not bytes or UTF-16 units")
    func lengths() {
        let family = "👨‍👩‍👧‍👦"
        #expect(family.utf16.count == 11)
        #expect(family.unicodeScalars.count == 7)
        #expect(run(with: ["title": .string(String(repeating: "🏃", count: 200))]).isEmpty)
        #expect(run(with: ["title": .string(String(repeating: family, count: 29))]) == ["title:too_long"])
        #expect(run(with: ["title": .string(String(repeating: "é", count: 201))]) == ["title:too_long"])
        #expect(run(with: ["title": "a\u{0}b"]) == ["title:invalid_value"])
    }

    @Test("required names and titles must not be blank")
    func blanks() {
        #expect(codes(EntitySchema.plan.validateCreate(["kind": "rehab", "title": " \n\t"])) == ["title:invalid_value"])
        #expect(codes(EntitySchema.gear.validatePatch(["name": ""])) == ["name:invalid_value"])
        #expect(run(with: ["title": ""]).isEmpty)
        // Blank means what Foundation's `.whitespacesAndNewlines` trims: every such scalar of the BMP, alone.
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            let issues = EntitySchema.gear.validatePatch(["name": .string(text)])
            // Control characters are refused as text the diary does not keep, before blankness is looked at.
            guard issues.allSatisfy({ $0.message == "name must not be blank." }) else { continue }
            #expect(trimmed == !issues.isEmpty, "U+\(String(value, radix: 16))")
        }
        #expect(codes(EntitySchema.gear.validatePatch(["name": "\u{3000}\u{2028} x\u{85}"])).isEmpty)
    }

    @Test("time zones must be known identifiers of at most 64 characters")
    func timeZones() {
        #expect(run(with: ["time_zone": "Europe/Berlin"]).isEmpty)
        #expect(run(with: ["time_zone": "Mars/Olympus_Mons"]) == ["time_zone:invalid_value"])
        #expect(run(with: ["time_zone": .string(String(repeating: "A", count: 65))]) == ["time_zone:too_long"])
    }

    @Test("references must be UUIDs")
    func references() {
        #expect(run(with: ["gear_id": "9c2e4b1a-7d3f-4a5b-8c6d-0e1f2a3b4c5d"]).isEmpty)
        #expect(run(with: ["gear_id": "shoes"]) == ["gear_id:invalid_value"])
    }

    @Test("unknown and server-owned fields are refused")
    func unknownAndReserved() {
        #expect(run(with: ["pace": 300]) == ["pace:unknown_field"])
        #expect(
            run(with: ["user_id": "x", "version": 3, "id": "y"]) == [
                "id:read_only_field", "user_id:read_only_field", "version:read_only_field",
            ])
    }

    @Test("cross-field rules on runs")
    func runRules() {
        #expect(run(with: ["moving_s": 1800]).isEmpty)
        #expect(run(with: ["moving_s": 1801]) == ["moving_s:out_of_range"])
        #expect(run(with: ["avg_hr_bpm": 150, "max_hr_bpm": 150]).isEmpty)
        #expect(run(with: ["avg_hr_bpm": 151, "max_hr_bpm": 150]) == ["avg_hr_bpm:out_of_range"])
        #expect(run(with: ["avg_hr_bpm": 151]).isEmpty)
        #expect(run(with: ["surface": "treadmill", "is_indoor": false]) == ["is_indoor:invalid_value"])
        #expect(run(with: ["surface": "treadmill"]).isEmpty)
        #expect(run(with: ["surface": "road", "is_indoor": false]).isEmpty)
    }

    @Test("date order rules on plans and gear")
    func dateRules() {
        let plan = EntitySchema.plan
        #expect(plan.validateCreate(Self.plan.merging(["start_date": "2026-12-01", "end_date": "2026-12-01"]) { $1 }).isEmpty)
        #expect(
            codes(plan.validateCreate(Self.plan.merging(["start_date": "2026-12-01", "end_date": "2026-11-30"]) { $1 }))
                == ["end_date:out_of_range"])
        let gear = EntitySchema.gear
        #expect(
            codes(gear.validateCreate(Self.gear.merging(["started_on": "2027-01-01", "retired_on": "2026-12-31"]) { $1 }))
                == ["retired_on:out_of_range"])
    }

    @Test("issues encode with snake_case codes")
    func encoding() throws {
        let issue = ValidationIssue(field: "severity", code: .outOfRange, message: "m")
        let data = try JSONEncoder().encode(issue)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == ["field": "severity", "code": "out_of_range", "message": "m"])
    }
}
