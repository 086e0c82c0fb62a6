import Foundation
import RunDiaryModels
import Testing

/// Seeded property tests: applying the same mutations in any order, with duplicates, gives the same record.
@Suite("Merge convergence")
struct MergeConvergenceTests {
    /// The part of a record that must converge; versions record arrival order and legitimately differ.
    struct Converged: Equatable, CustomStringConvertible {
        var fields: [String: JSONValue]
        var clocks: [String: HLC]
        var deleted: HLC?

        var description: String { "fields \(fields) clocks \(clocks) deleted \(String(describing: deleted))" }
    }

    /// Tallies of what the property runs exercised, so a generator that stopped producing conflicts,
    /// stale writes or deletes is noticed.
    struct Coverage {
        var conflicts = 0
        var stale = 0
        var duplicates = 0
        var deletedRejections = 0
        var tombstones = 0
        var live = 0
    }

    /// Applies `mutations` in order from an empty store, as the server would, and checks each verdict.
    static func apply(_ mutations: [Mutation], coverage: inout Coverage) -> Converged {
        var state: RecordState?
        var version: Int64 = 0
        for mutation in mutations {
            let result = Merge.apply(mutation, to: state, version: version + 1)
            if result.changed { version += 1 }
            state = result.state
            coverage.conflicts += result.conflicts.count
            coverage.stale += result.staleFields.count
            switch result.outcome {
            case .duplicate: coverage.duplicates += 1
            case .rejected(let rejection):
                #expect(rejection.code == .recordDeleted, "unexpected rejection \(rejection)")
                coverage.deletedRejections += 1
            case .applied, .merged: break
            }
        }
        return Converged(fields: state?.fields ?? [:], clocks: state?.clocks ?? [:], deleted: state?.deleted)
    }

    /// The expected record computed directly from the set of mutations: the greatest delete clock if any,
    /// otherwise, per field, the value written with the greatest clock.
    static func expected(_ mutations: [Mutation]) -> Converged {
        if let delete = mutations.filter({ $0.op == .delete }).compactMap(\.hlc).max() {
            return Converged(fields: [:], clocks: [:], deleted: delete)
        }
        var result = Converged(fields: [:], clocks: [:], deleted: nil)
        for mutation in mutations {
            guard let hlc = mutation.hlc else { continue }
            for (name, value) in mutation.fields ?? [:] where result.clocks[name].map({ hlc > $0 }) ?? true {
                result.fields[name] = value
                result.clocks[name] = hlc
            }
        }
        return result
    }

    static func permutations<Element>(_ elements: [Element]) -> [[Element]] {
        guard elements.count > 1 else { return [elements] }
        return elements.indices.flatMap { index in
            var rest = elements
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }

    /// `order` with 1–3 copies of random mutations inserted at random positions.
    static func withDuplicates(_ order: [Mutation], using random: inout SplitMix64) -> [Mutation] {
        var result = order
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let copy = order.randomElement(using: &random)!
            result.insert(copy, at: Int.random(in: 0...result.count, using: &random))
        }
        return result
    }

    @Test("small sets converge in every permutation, with duplicates", arguments: [EntityKind.run, .plan])
    func everyPermutation(_ entity: EntityKind) {
        var coverage = Coverage()
        for seed in UInt64(1)...120 {
            var generator = MutationGenerator(seed: seed, devices: Int(seed % 4) + 2, entity: entity)
            let mutations = generator.mutations(count: Int(seed % 4) + 2, deleteOdds: 6)
            let expected = Self.expected(mutations)
            var random = SplitMix64(seed: seed ^ 0xD0B1E)
            for order in Self.permutations(mutations) {
                let result = Self.apply(Self.withDuplicates(order, using: &random), coverage: &coverage)
                #expect(result == expected, "seed \(seed)")
                if result != expected { return }
            }
            if expected.deleted == nil { coverage.live += 1 } else { coverage.tombstones += 1 }
        }
        #expect(coverage.conflicts > 0 && coverage.stale > 0 && coverage.duplicates > 0)
        #expect(coverage.deletedRejections > 0 && coverage.tombstones > 0 && coverage.live > 0)
    }

    @Test("larger sets from 2–5 devices converge in many random orders, with duplicates", arguments: [EntityKind.run, .plan])
    func randomOrders(_ entity: EntityKind) {
        var coverage = Coverage()
        for seed in UInt64(1_000)...1_060 {
            var generator = MutationGenerator(seed: seed, devices: Int(seed % 4) + 2, entity: entity)
            let mutations = generator.mutations(count: Int(seed % 10) + 6, deleteOdds: 25)
            let expected = Self.expected(mutations)
            var random = SplitMix64(seed: seed)
            for _ in 0..<150 {
                let order = Self.withDuplicates(mutations.shuffled(using: &random), using: &random)
                let result = Self.apply(order, coverage: &coverage)
                #expect(result == expected, "seed \(seed)")
                if result != expected { return }
            }
            if expected.deleted == nil { coverage.live += 1 } else { coverage.tombstones += 1 }
        }
        #expect(coverage.conflicts > 0 && coverage.stale > 0 && coverage.duplicates > 0)
        #expect(coverage.tombstones > 0 && coverage.live > 0)
    }
}
