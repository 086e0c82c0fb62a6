import Foundation
import NIOConcurrencyHelpers

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
        // One untimed push per device: connections, caches and the users' first rows.
        for device in devices {
            guard try await push(device, seed: 0) else { throw BenchError("push: a warm-up push was not fully applied") }
        }
        try await context.store.seed(clients: Self.levels.max()!)
        var nextCeilingMutationID: Int64 = 1

        var figures: [BenchFigure] = []
        for level in Self.levels {
            context.log("push: \(level) concurrent device(s) for \(scale.pushSeconds) s")
            let measured = try await closedLoop(devices: Array(devices.prefix(level)), seconds: Double(scale.pushSeconds))
            context.log("push: the store's push, \(level) client(s) for \(scale.ceilingSeconds) s")
            let storeRate = try await context.store.push(
                clients: level, batchSize: Self.batchSize, seconds: Double(scale.ceilingSeconds),
                firstMutationID: nextCeilingMutationID)
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
            if measured.failures > 0 { throughput.note = "\(measured.failures) failed pushes" }
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
    }

    /// Every device pushes batch after batch until `seconds` have passed; the batch is built before its clock starts.
    private func closedLoop(devices: [DeviceState], seconds: Double) async throws -> Measured {
        let clock = ContinuousClock()
        let cpuBefore = context.cpu.read()
        let start = clock.now
        let end = start + .seconds(seconds)
        let results = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for (index, device) in devices.enumerated() {
                group.addTask {
                    var latencies: [Double] = []
                    var failures = 0
                    var batch = 0
                    while clock.now < end {
                        batch += 1
                        let ok = try await push(device, seed: index * 1_000_000 + batch * Self.batchSize) { latencies.append($0) }
                        if !ok { failures += 1 }
                    }
                    return (latencies, failures)
                }
            }
            var latencies: [Double] = []
            var failures = 0
            for try await (some, failed) in group {
                latencies += some
                failures += failed
            }
            return (latencies, failures)
        }
        let elapsed = (clock.now - start).seconds
        return Measured(
            mutationsPerSecond: Double(results.0.count * Self.batchSize) / elapsed,
            latency: LatencySummary(milliseconds: results.0), failures: results.1,
            mutations: (results.0.count + results.1) * Self.batchSize, cpu: context.cpu.read() - cpuBefore)
    }

    /// Pushes one new batch for `device`; true when every mutation was applied.
    @discardableResult
    private func push(_ device: DeviceState, seed: Int, latency record: (Double) -> Void = { _ in }) async throws -> Bool {
        let records = DiaryRecordFactory.mixedBatch(count: Self.batchSize, seed: seed)
        let body = PushBody.make(
            records, firstMutationID: device.takeMutationIDs(records.count), device: device.session.deviceID)
        let started = ContinuousClock.now
        let reply = try await context.api.post("/v1/sync/push", json: body, token: device.session.token)
        let elapsed = (ContinuousClock.now - started).milliseconds
        guard reply.isSuccess else { return false }
        record(elapsed)
        return !reply.rejectsAny
    }
}
