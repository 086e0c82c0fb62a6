import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// Scenario 1: devices (each its own user) push batches of 100 new mixed records back to back, at 1, 4 and 16
/// concurrent devices; beside it, the store's push called directly and the least SQL in pgbench, at the same concurrency.
struct PushScenario: Sendable {
    static let levels = [1, 4, 16]
    static let batchSize = 100
    /// Issue 10's targets, by concurrent devices.
    static let targets: [Int: Double] = [1: 12_000, 16: 25_000]

    let context: BenchContext

    func run() async throws -> [BenchFigure] {
        let scale = context.scale
        context.log("push: signing up \(Self.levels.max()!) devices")
        let sessions = try await context.api.signUpDevices(prefix: "push", count: Self.levels.max()!)
        let devices = sessions.map(DeviceState.init)
        // One untimed push per device: connections, caches and the users' first rows; their rate sizes the first
        // level's stock of batches.
        let warmUp = ContinuousClock.now
        for device in devices {
            guard try await push(device, body: body(for: device, seed: 0)) else {
                throw BenchError("push: a warm-up push was not fully applied")
            }
        }
        var lastRate = Double(devices.count * Self.batchSize) / (ContinuousClock.now - warmUp).seconds
        try await context.store.seed(clients: Self.levels.max()!)
        var nextCeilingMutationID: Int64 = 1

        var figures: [BenchFigure] = []
        for level in Self.levels {
            context.log("push: \(level) concurrent device(s) for \(scale.pushSeconds) s")
            // More devices push faster, up to about twice the rate of a quarter as many; one device pushes about twice
            // as fast as the warm-up's pushes (which open connections and fill caches).
            let expected = 2 * lastRate
            let measured = try await closedLoop(
                devices: Array(devices.prefix(level)), seconds: Double(scale.pushSeconds), expectedRate: expected)
            lastRate = measured.mutationsPerSecond
            context.log("push: the store's push, \(level) client(s) for \(scale.ceilingSeconds) s")
            let store = try await context.store.push(
                clients: level, batchSize: Self.batchSize, seconds: Double(scale.ceilingSeconds),
                firstMutationID: nextCeilingMutationID, expectedRate: 1.5 * measured.mutationsPerSecond)
            let storeRate = store.mutationsPerSecond
            nextCeilingMutationID += 1_000_000
            context.log("push: least SQL in pgbench, -c \(level) for \(scale.ceilingSeconds) s")
            let leastRate = try await context.leastSQL.pushRowsPerSecond(clients: level, seconds: scale.ceilingSeconds)
            var throughput = BenchFigure(
                scenario: "push", metric: "mutations/s, \(level) device(s)", value: measured.mutationsPerSecond,
                unit: "mut/s", ceiling: storeRate, leastCeiling: leastRate)
            if let target = Self.targets[level] {
                throughput.target = "≥ \(ResultsTable.format(target)) mut/s"
                throughput.meetsTarget = measured.mutationsPerSecond >= target
            }
            var notes: [String] = []
            if measured.failures > 0 { notes.append("\(measured.failures) failed pushes") }
            if measured.builtDuring > 0 { notes.append("\(measured.builtDuring) bodies built in the window") }
            if store.builtDuring > 0 { notes.append("the store's push built \(store.builtDuring) batches in its window") }
            if !notes.isEmpty { throughput.note = notes.joined(separator: "; ") }
            figures.append(throughput)
            figures.append(
                BenchFigure(
                    scenario: "push", metric: "push p50, \(level) device(s)", value: measured.latency.p50, unit: "ms"))
            figures.append(
                BenchFigure(
                    scenario: "push", metric: "push p99, \(level) device(s)", value: measured.latency.p99, unit: "ms"))
            figures += measured.cpu.figures(scenario: "push", per: "mutation", measured.mutations, at: "\(level) device(s)")
        }
        return figures
    }

    /// What one concurrency level measured.
    struct Measured: Sendable {
        let mutationsPerSecond: Double
        let latency: LatencySummary
        let failures: Int
        /// Mutations pushed (applied or not) and the CPU they took, per party.
        let mutations: Int
        let cpu: CPUAccount.Times
        /// Bodies built during the window, when a device used up the ones built before it.
        let builtDuring: Int
    }

    /// Every device pushes batch after batch until `seconds` have passed. The bodies are built before the window
    /// (``BatchStock``), for about `expectedRate` mutations per second; a device that runs out builds the rest.
    private func closedLoop(devices: [DeviceState], seconds: Double, expectedRate: Double) async throws -> Measured {
        let stock = BatchStock(
            pushers: devices.count,
            perPusher: BatchStock<ByteBuffer>.perPusher(
                rate: expectedRate, seconds: seconds, pushers: devices.count, batchSize: Self.batchSize)
        ) { index, batch in
            body(for: devices[index], seed: index * 1_000_000 + (batch + 1) * Self.batchSize)
        }
        let built = stock.batches.joined()
        context.log(
            "push: \(built.count) bodies built ahead (\(built.reduce(0) { $0 + $1.readableBytes } >> 20) MiB)")
        let clock = ContinuousClock()
        let cpuBefore = context.cpu.read()
        let start = clock.now
        let end = start + .seconds(seconds)
        let results = try await withThrowingTaskGroup(of: ([Double], Int, Int).self) { group in
            for (index, device) in devices.enumerated() {
                group.addTask {
                    var supply = stock.supply(index)
                    var latencies: [Double] = []
                    var failures = 0
                    while clock.now < end {
                        let body = supply.take { batch in
                            self.body(for: device, seed: index * 1_000_000 + (batch + 1) * Self.batchSize)
                        }
                        let ok = try await push(device, body: body) { latencies.append($0) }
                        if !ok { failures += 1 }
                    }
                    return (latencies, failures, supply.built)
                }
            }
            var latencies: [Double] = []
            var failures = 0
            var built = 0
            for try await (some, failed, made) in group {
                latencies += some
                failures += failed
                built += made
            }
            return (latencies, failures, built)
        }
        let elapsed = (clock.now - start).seconds
        return Measured(
            mutationsPerSecond: Double(results.0.count * Self.batchSize) / elapsed,
            latency: LatencySummary(milliseconds: results.0), failures: results.1,
            mutations: (results.0.count + results.1) * Self.batchSize, cpu: context.cpu.read() - cpuBefore,
            builtDuring: results.2)
    }

    /// A push body of one new batch for `device`, its mutation ids taken from the device's.
    private func body(for device: DeviceState, seed: Int) -> ByteBuffer {
        let records = DiaryRecordFactory.mixedBatch(count: Self.batchSize, seed: seed)
        return PushBody.make(
            records, firstMutationID: device.takeMutationIDs(records.count), device: device.session.deviceID)
    }

    /// Pushes `body` for `device`; true when every mutation was applied.
    @discardableResult
    private func push(_ device: DeviceState, body: ByteBuffer, latency record: (Double) -> Void = { _ in }) async throws
        -> Bool
    {
        let started = ContinuousClock.now
        let reply = try await context.api.post("/v1/sync/push", json: body, token: device.session.token)
        let elapsed = (ContinuousClock.now - started).milliseconds
        guard reply.isSuccess else { return false }
        record(elapsed)
        return !reply.rejectsAny
    }
}
