import Foundation
import Postgres
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@testable import RunDiaryStore

/// The acknowledgement window through PostgreSQL: its two parts (`devices.acknowledged`, `device_acknowledgements`)
/// as pushes of one mutation and of a hundred fill them, and the verdicts a resent mutation gets from either part.
@Suite("The acknowledgement window, stored in two parts")
struct AcknowledgementWindowTests {
    static let now = Date(timeIntervalSince1970: 1_764_000_200)

    @Test func smallPushesRewriteTheNewestPartAndAnyRetryInTheWindowIsADuplicate() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let (user, device) = try await PulledChangeTests.newAccount(client)
            let store = SyncStore(client: client)
            func gear(_ id: Int64, name: String? = nil) -> Mutation {
                Mutation(
                    mutationID: id, entity: .gear, id: UUID(), op: .upsert,
                    hlc: HLC(physicalMillis: 1_764_000_000_000 + id, counter: 0, node: device),
                    fields: ["name": .string(name ?? "Shoe \(id)")])
            }
            func push(_ mutations: [Mutation]) async throws -> [MutationResult] {
                try await store.push(
                    userID: user, deviceID: device, mutations: mutations, now: Self.now, maxClockSkewSeconds: 300
                ).results
            }
            func sizes() async throws -> (recent: Int, older: Int) {
                try await client.query(
                    """
                    SELECT octet_length(d.acknowledged)::int8, coalesce(octet_length(a.entries), 0)::int8
                    FROM devices d LEFT JOIN device_acknowledgements a ON a.user_id = d.user_id AND a.device_id = d.id
                    WHERE d.user_id = \(user) AND d.id = \(device)
                    """
                ).single().decode((Int, Int).self)
            }
            let entry = AcknowledgedMutations.entrySize
            let recentCapacity = AcknowledgedMutations.recentCapacity

            // One mutation per push, as a phone syncing after each entry: the newest part fills, then is folded.
            var sent: [Int64: Mutation] = [:]
            for id in Int64(1)...Int64(recentCapacity + 54) {
                let mutation = gear(id)
                sent[id] = mutation
                #expect(try await push([mutation]).first?.status == .applied)
                if id == Int64(recentCapacity) {
                    #expect(try await sizes() == (recentCapacity * entry, 0))
                }
            }
            #expect(try await sizes() == (54 * entry, recentCapacity * entry), "the first 96 were folded, in order")
            // A retry of entries from both parts: duplicates, read from the older part too.
            let retried = try await push([sent[90]!, sent[97]!, sent[150]!])
            #expect(retried.map(\.status) == [.duplicate, .duplicate, .duplicate])
            // An id of the older part resent with other content is not a duplicate.
            var reused = gear(0, name: "Other shoe")
            reused.mutationID = 3
            #expect(try await push([reused]).first?.code == .mutationIDReused)

            // Pushes of a hundred: every one folds; the older part keeps the 600 newest entries before the push.
            var next = Int64(recentCapacity + 55)
            var lastBatch: [Mutation] = []
            for _ in 0..<6 {
                lastBatch = (0..<100).map { offset in gear(next + Int64(offset)) }
                for mutation in lastBatch { sent[mutation.mutationID] = mutation }
                next += 100
                #expect(try await push(lastBatch).allSatisfy { $0.status == .applied })
            }
            #expect(try await sizes() == (100 * entry, AcknowledgedMutations.capacity * entry))
            // The newest 600 (and more) are all recalled: the last six pushes, resent, are duplicates.
            let newest = (next - 600..<next).map { sent[$0]! }
            let again = try await push(Array(newest.prefix(300))) + (try await push(Array(newest.suffix(300))))
            #expect(again.allSatisfy { $0.status == .duplicate })
            // Older than the window: the server cannot show what it held, and says so.
            #expect(try await push([sent[1]!]).first?.code == .mutationIDReused)
            let rejected = try await client.query(
                "SELECT count(*)::int8 FROM sync_rejections WHERE user_id = \(user) AND code = 'mutation_id_reused'"
            ).single().decode(Int.self, at: 0)
            #expect(rejected == 2)
        }
    }
}
