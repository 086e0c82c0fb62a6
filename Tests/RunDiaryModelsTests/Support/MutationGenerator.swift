import Foundation
import RunDiaryModels

/// Generates the mutations several devices make to one record, such that the record stays valid whatever the
/// order they are applied in: every upsert carries the required fields, and values that cross-field rules compare
/// are drawn from ranges that can never violate the rules (e.g. `moving_s` ≤ 1000 < `elapsed_s`).
struct MutationGenerator {
    var random: SplitMix64
    let entity: EntityKind
    let recordID: UUID
    private var clocks: [HybridLogicalClock]
    private var wallTimes: [Int64]
    private var nextMutationID: Int64 = 1

    init(seed: UInt64, devices: Int, entity: EntityKind) {
        var random = SplitMix64(seed: seed)
        self.entity = entity
        recordID = random.uuid()
        clocks = (0..<devices).map { _ in HybridLogicalClock(node: random.uuid()) }
        // Devices start within a few milliseconds of each other, so equal physical times (and counters) occur.
        let start = HLC.at(0, on: Device.phone).physicalMillis
        wallTimes = (0..<devices).map { _ in start + Int64.random(in: 0...3, using: &random) }
        self.random = random
    }

    /// `count` mutations, each from a random device; about one in `deleteOdds` is a delete.
    mutating func mutations(count: Int, deleteOdds: Int = 10) -> [Mutation] {
        (0..<count).map { _ in next(deleteOdds: deleteOdds) }
    }

    private mutating func next(deleteOdds: Int) -> Mutation {
        let device = Int.random(in: 0..<clocks.count, using: &random)
        wallTimes[device] += Int64.random(in: -2...4, using: &random)
        if Int.random(in: 0..<4, using: &random) == 0, let other = clocks.randomElement(using: &random)?.latest {
            _ = clocks[device].receive(other, physicalMillis: wallTimes[device])
        }
        let hlc = clocks[device].now(physicalMillis: wallTimes[device])
        defer { nextMutationID += 1 }
        if Int.random(in: 0..<deleteOdds, using: &random) == 0 {
            return Mutation(mutationID: nextMutationID, entity: entity, id: recordID, op: .delete, hlc: hlc)
        }
        let base: Int64? = Bool.random(using: &random) ? Int64.random(in: 0...6, using: &random) : nil
        return Mutation(
            mutationID: nextMutationID, entity: entity, id: recordID, op: .upsert, hlc: hlc, baseVersion: base,
            fields: fields())
    }

    private mutating func fields() -> [String: JSONValue] {
        var fields: [String: JSONValue]
        var optional: [String: JSONValue]
        switch entity {
        case .plan:
            fields = [
                "kind": pick(["training", "rehab"]),
                "title": pick(["Hip rehab", "Base build", "Ünïcödé 🏃"]),
            ]
            optional = [
                "start_date": .string("2026-0\(Int.random(in: 1...6, using: &random))-1\(Int.random(in: 0...9, using: &random))"),
                "end_date": .string("2026-1\(Int.random(in: 0...2, using: &random))-0\(Int.random(in: 1...9, using: &random))"),
                "pain_ceiling": .integer(Int64.random(in: 0...10, using: &random)),
                "status": pick(["draft", "active", "completed"]),
                "notes": pick(["a", "b", "c"]),
            ]
        default:
            fields = [
                "started_at": pick(["2026-11-26T07:30:00+01:00", "2026-11-26T06:30:00Z", "2026-11-26T07:30:00.500Z"]),
                "elapsed_s": .integer(Int64.random(in: 1001...2000, using: &random)),
            ]
            optional = [
                "moving_s": .integer(Int64.random(in: 0...1000, using: &random)),
                "avg_hr_bpm": .integer(Int64.random(in: 30...140, using: &random)),
                "max_hr_bpm": .integer(Int64.random(in: 140...255, using: &random)),
                "surface": pick(["road", "trail", "treadmill"]),
                "is_indoor": .bool(true),
                "rpe": .number(Double(Int.random(in: 0...100, using: &random)) / 10),
                "notes": pick(["hip tight", "felt good", "🦵"]),
            ]
        }
        for (name, value) in optional.sorted(by: { $0.key < $1.key }) where Int.random(in: 0..<3, using: &random) == 0 {
            fields[name] = Int.random(in: 0..<5, using: &random) == 0 ? .null : value
        }
        return fields
    }

    private mutating func pick(_ values: [JSONValue]) -> JSONValue {
        values.randomElement(using: &random)!
    }
}
