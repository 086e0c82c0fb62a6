import Foundation
import RunDiaryModels
import Testing

@Suite("Offline edits from two devices converge")
struct SyncMergeTests {
    static let run: [String: JSONValue] = [
        "started_at": "2026-11-20T07:30:00+01:00", "elapsed_s": 2700, "surface": "treadmill", "is_indoor": true,
        "distance_m": 7200, "title": "Easy treadmill",
    ]

    struct ConflictItem: Decodable, Sendable {
        let field: String
        let winning_value: JSONValue
        let losing_value: JSONValue
        let losing_hlc: String
    }

    struct ConflictPage: Decodable, Sendable {
        let conflicts: [ConflictItem]
    }

    /// Both devices start from the same synced run, edit it offline, and push in the given order.
    private func editOffline(phoneFirst: Bool) async throws -> (phone: [UUID: Change], tablet: [UUID: Change], conflicts: [ConflictItem]) {
        try await TestServer.run { server in
            let email = "runner@example.org"
            var phone = SyncDevice(server: server, session: try await server.signIn(email: email, deviceName: "phone"))
            var tablet = SyncDevice(server: server, session: try await server.signIn(email: email, deviceName: "tablet"))
            // The phone reads the shared clock form, the tablet the per-field one: the record ends with two clocks.
            phone.clockForm = .shared
            let id = UUID()
            let created = try await phone.push([phone.upsert(.run, id, Self.run)])
            #expect(created.results.map(\.status) == [.applied])
            try await phone.pullAll()
            try await tablet.pullAll()
            let base = try #require(tablet.records[id]?.version)

            // Offline: the phone fixes the distance and retitles; the tablet adds form notes and retitles too.
            let phoneEdit = phone.upsert(.run, id, ["distance_m": 7400, "title": "Treadmill, hip sore"], baseVersion: base)
            // The tablet edits second. Within one millisecond the two clocks would tie on time and the devices' random
            // ids would decide, so the tablet's clock is moved past the phone's: its edit is the later one, always.
            // (Both still edit the same base version, so the server sees concurrent edits and keeps the conflict.)
            tablet.clockPasses(try #require(phoneEdit.hlc))
            let tabletEdit = tablet.upsert(
                .run, id, ["form_notes": "Overstriding at 12 km/h", "title": "Treadmill 45 min"], baseVersion: base)
            if phoneFirst {
                _ = try await phone.push([phoneEdit])
                let second = try await tablet.push([tabletEdit])
                #expect(second.results.first?.conflicts?.map(\.field) == ["title"])
            } else {
                _ = try await tablet.push([tabletEdit])
                let second = try await phone.push([phoneEdit])
                #expect(second.results.first?.conflicts?.map(\.field) == ["title"])
            }
            try await phone.pullAll()
            try await tablet.pullAll()
            let conflicts = try await server.send(.get, "/v1/sync/conflicts", token: phone.session.token)
            return (phone.records, tablet.records, try conflicts.decode(ConflictPage.self).conflicts)
        }
    }

    @Test(arguments: [true, false])
    func bothDevicesEndInTheSameState(phoneFirst: Bool) async throws {
        let (phone, tablet, conflicts) = try await editOffline(phoneFirst: phoneFirst)
        #expect(phone.count == 1)
        let onPhone = try #require(phone.values.first)
        let onTablet = try #require(tablet[onPhone.id])
        #expect(onPhone.fields == onTablet.fields)
        #expect(onPhone.clocks == onTablet.clocks)
        // Three clocks: the create's, the phone's edit (distance), the tablet's (form notes, title).
        #expect(Set(onPhone.clocks.values).count == 3 && onPhone.clocks.count == onPhone.fields.count)
        // Different fields both survive.
        #expect(onPhone.fields["distance_m"] == 7400)
        #expect(onPhone.fields["form_notes"] == "Overstriding at 12 km/h")
        // The same field was edited on both: the later clock (the tablet's edit was made after the phone's) wins,
        // and the conflict is listed with both values, whichever order the pushes arrived in.
        #expect(onPhone.fields["title"] == "Treadmill 45 min")
        #expect(conflicts.count == 1)
        let conflict = try #require(conflicts.first)
        #expect(conflict.field == "title")
        #expect(conflict.winning_value == "Treadmill 45 min")
        #expect(conflict.losing_value == "Treadmill, hip sore")
        #expect(HLC(conflict.losing_hlc) != nil)
    }

    @Test func orderOfArrivalDoesNotChangeTheResult() async throws {
        let first = try await editOffline(phoneFirst: true)
        let second = try await editOffline(phoneFirst: false)
        let a = try #require(first.phone.values.first)
        let b = try #require(second.phone.values.first)
        // The whole record state: every field's value, the tombstone flag and which fields carry a clock (the clocks
        // themselves are wall times of two separate runs, and the ids and versions are each run's own).
        #expect(a.entity == b.entity)
        #expect(a.fields == b.fields)
        #expect(a.deleted == b.deleted)
        #expect(Set(a.clocks.keys) == Set(b.clocks.keys))
    }

    @Test func deleteIsTerminalAndAConcurrentEditIsKeptAsARejection() async throws {
        try await TestServer.run { server in
            var phone = SyncDevice(server: server, session: try await server.signIn(email: "a@example.org"))
            var tablet = SyncDevice(server: server, session: try await server.signIn(email: "a@example.org", deviceName: "tablet"))
            let id = UUID()
            _ = try await phone.push([phone.upsert(.run, id, Self.run)])
            try await tablet.pullAll()
            _ = try await phone.push([phone.delete(.run, id)])
            let late = try await tablet.push([tablet.upsert(.run, id, ["title": "edited offline"])])
            #expect(late.results.first?.status == .rejected)
            #expect(late.results.first?.code?.rawValue == "record_deleted")
            try await tablet.pullAll()
            #expect(tablet.records[id]?.deleted == true)
            let rejections = try await server.send(.get, "/v1/sync/rejections", token: tablet.session.token)
            let kept = try #require((rejections.json["rejections"] as? [[String: Any]])?.first)
            #expect(kept["code"] as? String == "record_deleted")
            let mutation = try #require(kept["mutation"] as? [String: Any])
            #expect((mutation["fields"] as? [String: Any])?["title"] as? String == "edited offline")
        }
    }

    @Test func valuesRoundTripExactlyAsWritten() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "types@example.org"))
            let gear = UUID()
            let run = UUID()
            let pain = UUID()
            let plan = UUID()
            let item = UUID()
            let results = try await device.push([
                device.upsert(.gear, gear, ["name": "Pegasus 40", "started_on": "2026-09-01", "limit_distance_m": 800_000]),
                device.upsert(
                    .run, run,
                    Self.run.merging(["gear_id": .string(gear.uuidString), "rpe": 6.5, "avg_cadence_spm": 168, "incline_pct": -1.5]) { $1 }),
                device.upsert(
                    .painEntry, pain,
                    [
                        "recorded_at": "2026-11-21T06:45:12.345-05:00", "body_site": "hip", "side": "right", "severity": 4,
                        "timing": "next_morning", "qualities": ["aching", "stiffness"], "run_id": .string(run.uuidString),
                        "notes": "Knie & Hüfte — \"steif\" 🏃",
                    ]),
                device.upsert(
                    .plan, plan,
                    [
                        "kind": "rehab", "title": "Hip rehab", "start_date": "2026-11-01", "end_date": "2026-12-15",
                        "author_role": "physical_therapist",
                    ]),
                device.upsert(
                    .planItem, item,
                    [
                        "plan_id": .string(plan.uuidString), "kind": "strength", "exercise": "squat", "sets": 3, "reps": 12,
                        "days_of_week": ["mon", "thu"],
                    ]),
            ])
            #expect(results.results.allSatisfy { $0.status == .applied }, "\(results.results)")
            try await device.pullAll()
            let entry = try #require(device.records[pain])
            #expect(entry.fields["recorded_at"] == "2026-11-21T06:45:12.345-05:00")
            #expect(entry.fields["qualities"] == ["aching", "stiffness"])
            #expect(entry.fields["notes"] == "Knie & Hüfte — \"steif\" 🏃")
            #expect(entry.fields["run_id"] == .string(run.uuidString.lowercased()))
            #expect(device.records[run]?.fields["started_at"] == "2026-11-20T07:30:00+01:00")
            #expect(device.records[run]?.fields["rpe"] == 6.5)
            #expect(device.records[run]?.fields["incline_pct"] == -1.5)
            #expect(device.records[plan]?.fields["end_date"] == "2026-12-15")
            #expect(device.records[item]?.fields["days_of_week"] == ["mon", "thu"])
            #expect(device.records[gear]?.fields["limit_distance_m"] == 800_000)
            // A field set to null is cleared and keeps its clock.
            _ = try await device.push([device.upsert(.painEntry, pain, ["notes": nil])])
            try await device.pullAll()
            #expect(device.records[pain]?.fields["notes"] == JSONValue.null)
            #expect(device.records[pain]?.clocks["notes"] != nil)
        }
    }
}
