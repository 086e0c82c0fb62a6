import Foundation
import RunDiaryModels
import Testing

@Suite("Entity records")
struct EntityFixtureTests {
    /// Checks the fixture round-trips, re-encodes to the same JSON (UUID case aside: `JSONEncoder` writes
    /// uppercase), and its fields pass create validation.
    func check<Record: DiaryRecord>(_ name: String, as type: Record.Type) throws -> Record {
        let record = try Fixture.roundTrip(name, as: Record.self)
        guard case .object(var fixture) = try Fixture.json(name) else { throw CocoaError(.coderReadCorrupt) }
        let encoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(record))
        #expect(encoded == .object(uppercasingUUIDs(fixture)))
        let fields = try record.fields()
        fixture["id"] = nil
        #expect(fields == fixture)
        #expect(Record.schema.validateCreate(fields).isEmpty, "\(name): \(Record.schema.validateCreate(fields))")
        #expect(try Record(id: record.id, fields: fields) == record)
        return record
    }

    private func uppercasingUUIDs(_ object: [String: JSONValue]) -> [String: JSONValue] {
        object.mapValues { value in
            guard let text = value.stringValue, let uuid = UUID(uuidString: text) else { return value }
            return .string(uuid.uuidString)
        }
    }

    @Test("run")
    func run() throws {
        let run = try check("run", as: Run.self)
        #expect(run.startedAt.description == "2026-11-26T07:30:00.250+01:00")
        #expect(run.startedAt.utcOffsetSeconds == 3600)
        #expect(run.surface == .treadmill && run.isIndoor == true && run.timeZone == "Europe/Berlin")
        #expect(run.distanceMeters == 8012.5 && run.elapsedSeconds == 2950 && run.movingSeconds == 2900)
        #expect(run.inclinePercent == 1.5 && run.averageCadence == 172 && run.averageStepLengthMillimeters == 1080)
        #expect(run.averageHeartRate == 148 && run.maxHeartRate == 171 && run.rpe == 6.5 && run.feel == 3)
        #expect(run.gearID == UUID(uuidString: "9c2e4b1a-7d3f-4a5b-8c6d-0e1f2a3b4c5d"))
        #expect(run.formNotes?.hasPrefix("Overstriding") == true && run.title == "Easy treadmill run")
    }

    @Test("pain entry")
    func painEntry() throws {
        let pain = try check("pain-entry", as: PainEntry.self)
        #expect(pain.bodySite == .hip && pain.side == .right && pain.severity == 3 && pain.timing == .nextMorning)
        #expect(pain.qualities == [.aching, .stiffness] && pain.activityImpact == .reducedVolume)
        #expect(pain.runID == UUID(uuidString: "3b0f6a8e-2c4d-4e7a-9f10-5a6b7c8d9e01"))
    }

    @Test("plan")
    func plan() throws {
        let plan = try check("plan", as: Plan.self)
        #expect(plan.kind == .rehab && plan.title == "Hip rehab, phase 1" && plan.authorRole == .physicalTherapist)
        #expect(plan.status == .active && plan.startDate == LocalDate(year: 2026, month: 11, day: 30))
        #expect(plan.endDate == LocalDate(year: 2027, month: 1, day: 24))
        #expect(plan.painCeiling == 3 && plan.effectivePainCeiling == 3)
        #expect(Plan(kind: .training, title: "Base").effectivePainCeiling == 5)
    }

    @Test("plan item")
    func planItem() throws {
        let item = try check("plan-item", as: PlanItem.self)
        #expect(item.kind == .strength && item.exercise == "Split squat" && item.sets == 3 && item.reps == 12)
        #expect(item.holdSeconds == 2 && item.load == 10 && item.loadUnit == .kilograms && item.targetRPE == 7)
        #expect(item.daysOfWeek == [.monday, .wednesday, .friday] && item.timesPerWeek == 3 && item.position == 1)
    }

    @Test("exercise log")
    func exerciseLog() throws {
        let log = try check("exercise-log", as: ExerciseLog.self)
        #expect(log.status == .partial && log.setsDone == 2 && log.repsDone == 24 && log.painDuring == 2)
        #expect(log.performedAt.utcOffsetSeconds == -18_000)
    }

    @Test("gear")
    func gear() throws {
        let gear = try check("gear", as: Gear.self)
        #expect(gear.name == "Daily trainers" && gear.brand == "Asics" && gear.model == "Novablast 5")
        #expect(gear.startedOn == LocalDate(year: 2026, month: 9, day: 1) && gear.retiredOn == LocalDate(year: 2027, month: 3, day: 1))
        #expect(gear.initialDistanceMeters == 12_000 && gear.limitDistanceMeters == 700_000)
    }

    @Test("an enum code from a newer client is kept by clients and refused by server validation")
    func unknownCodes() throws {
        var fields = try check("pain-entry", as: PainEntry.self).fields()
        fields["body_site"] = "wrist"
        fields["qualities"] = ["aching", "pulsing"]
        let pain = try PainEntry(id: UUID(), fields: fields)
        #expect(pain.bodySite == BodySite(rawValue: "wrist") && !pain.bodySite.isKnown && BodySite.hip.isKnown)
        #expect(pain.qualities?.map(\.rawValue) == ["aching", "pulsing"])
        #expect(try pain.fields()["body_site"] == "wrist")
        let issues = EntitySchema.painEntry.validateCreate(fields)
        #expect(issues.map(\.field) == ["body_site", "qualities"] && issues.allSatisfy { $0.code == .invalidValue })
    }

    @Test("wire codes that clash with Swift names map to descriptive members")
    func renamedCodes() {
        #expect(Side.notApplicable.rawValue == "none" && ActivityImpact.noImpact.rawValue == "none")
        #expect(AuthorRole.runner.rawValue == "self" && LoadUnit.pounds.rawValue == "lb")
    }
}
