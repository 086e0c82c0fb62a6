import Foundation
import Logging
import Postgres
import RunDiaryModels
import RunDiaryStore

/// The store's own ceiling: `SyncStore`'s push and pull called directly on the bench database, on a pool of the
/// server's size — exactly the statements the server runs (and the in-memory merge between them), without HTTP,
/// JSON bodies, authentication or the bench client's requests.
struct StoreCeiling: Sendable {
    let url: String
    let psql: PSQL

    /// The users and devices ceiling clients `0..<clients` push as, created by direct SQL.
    static func user(_ client: Int) -> UUID { UUID(uuidString: "b0000000-0000-4000-8000-" + twelveDigits(client))! }
    static func device(_ client: Int) -> UUID { UUID(uuidString: "d0000000-0000-4000-8000-" + twelveDigits(client))! }

    private static func twelveDigits(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// Creates the users and devices pushed as.
    func seed(clients: Int) async throws {
        try await psql.run(
            """
            INSERT INTO users (id, email, display_name)
            SELECT ('b0000000-0000-4000-8000-' || lpad(c::text, 12, '0'))::uuid, 'ceiling-' || c || '@bench.invalid', ''
            FROM generate_series(0, \(clients - 1)) AS c ON CONFLICT DO NOTHING;
            INSERT INTO devices (user_id, id, name, platform)
            SELECT ('b0000000-0000-4000-8000-' || lpad(c::text, 12, '0'))::uuid,
                   ('d0000000-0000-4000-8000-' || lpad(c::text, 12, '0'))::uuid, 'ceiling', 'bench'
            FROM generate_series(0, \(clients - 1)) AS c ON CONFLICT DO NOTHING;
            """)
    }

    /// Runs `body` with a store on a client of the server's pool size.
    func withStore<T: Sendable>(_ body: (SyncStore, PostgresClient) async throws -> T) async throws -> T {
        var logger = Logger(label: "rundiary-bench.ceiling")
        logger.logLevel = .warning
        return try await PostgresClient.withClient(
            configuration: PostgresConfiguration(connectionString: url, maxConnections: 16, applicationName: "bench-ceiling"),
            logger: logger
        ) { client in
            try await body(SyncStore(client: client), client)
        }
    }

    /// `clients` pushers, each pushing new batches of `batchSize` as its own user back to back for `seconds`:
    /// mutations per second, and how many batches were built in the window. The batches are built before it, for
    /// about `expectedRate` mutations per second (``BatchStock``), as the server's push bodies are.
    func push(clients: Int, batchSize: Int, seconds: Double, firstMutationID: Int64, expectedRate: Double) async throws
        -> (mutationsPerSecond: Double, builtDuring: Int)
    {
        var next = [Int64](repeating: firstMutationID, count: clients)
        func batch(_ client: Int, _ index: Int, from first: Int64) -> [Mutation] {
            Self.mutations(
                DiaryRecordFactory.mixedBatch(count: batchSize, seed: client * 1_000_000 + index * batchSize),
                firstMutationID: first, device: Self.device(client))
        }
        let stock = BatchStock(
            pushers: clients,
            perPusher: BatchStock<[Mutation]>.perPusher(
                rate: expectedRate, seconds: seconds, pushers: clients, batchSize: batchSize)
        ) { client, index in
            defer { next[client] += Int64(batchSize) }
            return batch(client, index, from: next[client])
        }
        return try await withStore { store, _ in
            let clock = ContinuousClock()
            let end = clock.now + .seconds(seconds)
            let start = clock.now
            let (pushes, built) = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for client in 0..<clients {
                    let after = next[client]
                    group.addTask {
                        var supply = stock.supply(client)
                        var pushes = 0
                        var next = after
                        while clock.now < end {
                            let mutations = supply.take { index in
                                defer { next += Int64(batchSize) }
                                return batch(client, index, from: next)
                            }
                            let outcome = try await store.push(
                                userID: Self.user(client), deviceID: Self.device(client), mutations: mutations, now: Date(),
                                maxClockSkewSeconds: 600)
                            guard outcome.results.allSatisfy({ $0.status == .applied }) else {
                                throw BenchError("store ceiling: a pushed mutation was not applied")
                            }
                            pushes += 1
                        }
                        return (pushes, supply.built)
                    }
                }
                return try await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
            }
            return (Double(pushes * batchSize) / (clock.now - start).seconds, built)
        }
    }

    /// One reader pulling random pages of `pageSize` after `firstVersion` (of `pages` pages) for `seconds`:
    /// pages per second and the mean latency of one page in milliseconds.
    func pull(
        user: UUID, device: UUID, firstVersion: Int64, pages: Int, pageSize: Int, seconds: Double
    ) async throws -> (pagesPerSecond: Double, meanMilliseconds: Double) {
        try await withStore { store, client in
            let epoch = try await SyncEpoch.current(client)
            let clock = ContinuousClock()
            let start = clock.now
            let end = start + .seconds(seconds)
            var count = 0
            while clock.now < end {
                let page = Int64.random(in: 0..<Int64(pages))
                let result = try await store.pull(
                    userID: user, deviceID: device, after: SyncCursor(epoch: epoch, version: firstVersion + page * Int64(pageSize)),
                    limit: pageSize, form: .shared)
                guard result.count == pageSize else {
                    throw BenchError("store ceiling: a page held \(result.count) changes, expected \(pageSize)")
                }
                count += 1
            }
            let elapsed = (clock.now - start).seconds
            return (Double(count) / elapsed, elapsed * 1000 / Double(max(count, 1)))
        }
    }

    /// Generated records as the mutations a device would push, stamped now.
    static func mutations(_ records: [GeneratedRecord], firstMutationID: Int64, device: UUID) -> [Mutation] {
        let millis = Int64(Date().timeIntervalSince1970 * 1000)
        return records.enumerated().map { offset, record in
            var fields: [String: JSONValue] = [:]
            for field in record.fields { fields[field.name] = try? JSONValue(parsing: Array(field.json.utf8)) }
            return Mutation(
                mutationID: firstMutationID + Int64(offset), entity: record.entity, id: record.id, op: .upsert,
                hlc: HLC(physicalMillis: millis, counter: UInt16(truncatingIfNeeded: offset), node: device), fields: fields)
        }
    }
}
