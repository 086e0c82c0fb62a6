import Foundation
import RunDiaryModels

/// What a simulation does, drawn entirely from its seed: the same parameters give the same schedule.
///
/// Records to edit are named by a random number (`pick`) that the runner turns into one of the records the
/// device holds at that moment, so the schedule does not depend on timing; what each pick hits may.
public struct Schedule: Hashable, Sendable {
    public let parameters: SimulationParameters
    public let steps: [Step]
    /// Each device's wall clock, in milliseconds ahead (positive) or behind of the machine's.
    public let clockSkews: [Int64]

    public enum Step: Hashable, Sendable {
        /// An edit on a device, made offline-first.
        case edit(device: Int, Edit)
        /// Devices sync at the same time.
        case sync(devices: [Int])
        /// A device syncs while the runner keeps editing on it.
        case syncWhileEditing(device: Int, edits: [Edit])
        case goOffline(device: Int)
        case goOnline(device: Int)
        /// The app is restarted; with `crashAfter`, it is killed that long into a sync.
        case restartApp(device: Int, crashAfter: Duration?)
        /// `kill -9` of the server that long into the devices' concurrent syncs, then a restart.
        case killServer(during: [Int], after: Duration)
        /// PostgreSQL restarted that long into the devices' concurrent syncs.
        case restartDatabase(during: [Int], after: Duration)
    }

    public enum Edit: Hashable, Sendable {
        /// A new record; `references` name the kind each reference field points to, resolved with `pick`.
        case create(EntityKind, id: UUID, fields: [String: JSONValue], references: [String: EntityKind], pick: UInt64)
        case update(EntityKind, pick: UInt64, fields: [String: JSONValue])
        case delete(EntityKind, pick: UInt64)
        /// A new record whose id another account already uses: the server must keep the two apart.
        case borrowForeignID(EntityKind, pick: UInt64, fields: [String: JSONValue])
    }

    public init(_ parameters: SimulationParameters) {
        self.parameters = parameters
        var random = SeededRandom(seed: parameters.seed)
        let devices = parameters.users * parameters.devicesPerUser
        clockSkews = (0..<devices).map { _ in Int64.random(in: -120_000...45_000, using: &random) }

        var steps: [Step] = []
        let kills = Set((0..<parameters.serverKills).map { (($0 + 1) * parameters.steps) / (parameters.serverKills + 1) })
        let restarts = Set(
            (0..<parameters.databaseRestarts).map {
                (($0 + 1) * parameters.steps) / (parameters.databaseRestarts + 1) + parameters.steps / 8
            })
        var offline = Set<Int>()
        for index in 0..<parameters.steps {
            if kills.contains(index) {
                steps.append(
                    .killServer(during: Self.someDevices(devices, &random), after: .milliseconds(Int.random(in: 0...150, using: &random))))
            }
            if restarts.contains(index) {
                steps.append(
                    .restartDatabase(
                        during: Self.someDevices(devices, &random), after: .milliseconds(Int.random(in: 0...150, using: &random))))
            }
            let device = Int.random(in: 0..<devices, using: &random)
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<56:
                steps.append(.edit(device: device, Self.edit(&random)))
            case 56..<76:
                steps.append(.sync(devices: Self.someDevices(devices, &random)))
            case 76..<84:
                steps.append(
                    .syncWhileEditing(device: device, edits: (0..<Int.random(in: 1...3, using: &random)).map { _ in Self.edit(&random) }))
            case 84..<91:
                if offline.remove(device) != nil {
                    steps.append(.goOnline(device: device))
                } else {
                    offline.insert(device)
                    steps.append(.goOffline(device: device))
                }
            default:
                let crash = random.chance(0.5) ? Duration.milliseconds(Int.random(in: 0...80, using: &random)) : nil
                steps.append(.restartApp(device: device, crashAfter: crash))
            }
        }
        self.steps = steps
    }

    private static func someDevices(_ count: Int, _ random: inout SeededRandom) -> [Int] {
        Array((0..<count).shuffled(using: &random).prefix(Int.random(in: 1...max(1, min(count, 4)), using: &random))).sorted()
    }

    // MARK: Edits

    private static func edit(_ random: inout SeededRandom) -> Edit {
        let entity = entityKind(&random)
        let pick = random.next()
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<46:
            return .create(
                entity, id: uuid(&random), fields: RecordContent.create(entity, &random), references: RecordContent.references(entity),
                pick: pick)
        case 46..<86:
            return .update(entity, pick: pick, fields: RecordContent.update(entity, &random))
        case 86..<96:
            return .delete(entity, pick: pick)
        default:
            let kind = [EntityKind.run, .gear, .plan].randomElement(using: &random)!
            return .borrowForeignID(kind, pick: pick, fields: RecordContent.create(kind, &random))
        }
    }

    private static func entityKind(_ random: inout SeededRandom) -> EntityKind {
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<30: .run
        case 30..<55: .painEntry
        case 55..<63: .plan
        case 63..<75: .planItem
        case 75..<90: .exerciseLog
        default: .gear
        }
    }

    static func uuid(_ random: inout SeededRandom) -> UUID {
        var bytes = (random.next(), random.next())
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = raw[6] & 0x0F | 0x40
            raw[8] = raw[8] & 0x3F | 0x80
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }
}
