import Foundation
import RunDiaryModels
import RunDiarySync
import RunDiaryTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One simulation run: the accounts, their devices, and the schedule played against the server.
struct World {
    let schedule: Schedule
    let cluster: ThrowawayCluster
    let server: ServerProcess
    let folder: URL
    let progress: @Sendable (String) -> Void

    static let password = "simulated runner pw"

    /// Quick back-off: the simulation's outages last a second or two, not a phone's minutes.
    static let configuration = SyncEngine.Configuration(
        pushBatchSize: 40, pullPageSize: 25,
        retry: RetryPolicy(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(400), attemptsPerSync: 5))

    func run() async throws -> SimulationResult {
        let started = ContinuousClock.now
        let parameters = schedule.parameters
        progress("signing in \(parameters.users) accounts × \(parameters.devicesPerUser) devices")
        var devices: [SimulatedDevice] = []
        var emails: [String] = []
        var random = SeededRandom(seed: parameters.seed).fork(1)
        for account in 0..<parameters.users {
            let email = "sim-\(parameters.seed)-\(account)-\(UUID().uuidString.prefix(6))@example.org"
            emails.append(email)
            for slot in 0..<parameters.devicesPerUser {
                let index = devices.count
                let transport = FaultInjectingTransport(wrapping: URLSessionTransport(), seed: random.next(), rates: .none)
                let device = try SimulatedDevice(
                    index: index, account: account, path: folder.appendingPathComponent("device-\(index).sqlite").path,
                    transport: transport, configuration: Self.configuration, skew: schedule.clockSkews[index])
                let engine = await device.engine
                if slot == 0 { try await engine.register(server: server.baseURL, email: email, password: Self.password) }
                try await engine.signIn(server: server.baseURL, email: email, password: Self.password, deviceName: "sim-\(index)")
                transport.setRates(parameters.faults)
                devices.append(device)
            }
        }

        progress("playing \(schedule.steps.count) steps")
        for (number, step) in schedule.steps.enumerated() {
            if number > 0, number % 50 == 0 { progress("step \(number) of \(schedule.steps.count)") }
            try await play(step, devices: devices)
        }

        progress("final sync without faults")
        for device in devices {
            device.transport.setRates(.none)
            device.transport.setOffline(false)
        }
        for round in 0..<2 {
            for device in devices {
                var synced = false
                for _ in 0..<30 where !synced {
                    synced = await device.sync()
                    if !synced { try await Task.sleep(for: .milliseconds(200)) }
                }
                if !synced { throw SimulationSetupError("device \(device.index) could not sync in final round \(round)") }
            }
        }

        progress("checking")
        let audit = Audit(devices: devices, emails: emails, server: server, cluster: cluster, folder: folder)
        let failures = try await audit.check()
        var statistics = try await audit.statistics()
        for device in devices {
            let counts = device.transport.counts
            statistics["faults.dropped_requests", default: 0] += counts.droppedRequests
            statistics["faults.dropped_responses", default: 0] += counts.droppedResponses
            statistics["faults.duplicated_requests", default: 0] += counts.duplicates
            statistics["faults.delayed_requests", default: 0] += counts.delays
            statistics["faults.offline_refusals", default: 0] += counts.offlineRefusals
            statistics["requests", default: 0] += counts.requests
            statistics["failed_syncs", default: 0] += await device.failedSyncs
            statistics["edits_refused_locally", default: 0] += await device.refusedLocally
        }
        return SimulationResult(
            parameters: parameters, failures: failures, statistics: statistics, duration: ContinuousClock.now - started)
    }

    private func play(_ step: Schedule.Step, devices: [SimulatedDevice]) async throws {
        switch step {
        case .edit(let index, let edit):
            try await devices[index].apply(edit, foreign: try await foreignIDs(for: devices[index], among: devices))
        case .sync(let indices):
            await syncConcurrently(indices.map { devices[$0] })
        case .syncWhileEditing(let index, let edits):
            let device = devices[index]
            let foreign = try await foreignIDs(for: device, among: devices)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await device.sync() }
                group.addTask { for edit in edits { try await device.apply(edit, foreign: foreign) } }
                try await group.waitForAll()
            }
        case .goOffline(let index):
            devices[index].transport.setOffline(true)
        case .goOnline(let index):
            devices[index].transport.setOffline(false)
        case .restartApp(let index, let crashAfter):
            if let crashAfter {
                try await devices[index].crash(after: crashAfter)
            } else {
                try await devices[index].restart()
            }
        case .killServer(let indices, let after):
            progress("kill -9 of the server during \(indices.count) syncs")
            try await during(indices.map { devices[$0] }, after: after) {
                await server.kill()
                try await server.launch()
            }
        case .restartDatabase(let indices, let after):
            progress("PostgreSQL restart during \(indices.count) syncs")
            try await during(indices.map { devices[$0] }, after: after) {
                try await cluster.stop()
                try await Task.sleep(for: .milliseconds(300))
                try await cluster.start()
            }
        }
    }

    private func syncConcurrently(_ devices: [SimulatedDevice]) async {
        await withTaskGroup(of: Void.self) { group in
            for device in devices { group.addTask { await device.sync() } }
        }
    }

    /// Runs `disruption` `after` into the devices' concurrent syncs.
    private func during(_ devices: [SimulatedDevice], after: Duration, _ disruption: @escaping @Sendable () async throws -> Void)
        async throws
    {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for device in devices { group.addTask { await device.sync() } }
            group.addTask {
                try await Task.sleep(for: after)
                try await disruption()
            }
            try await group.waitForAll()
        }
    }

    /// Ids of records other accounts' devices created, for a device to try to reuse.
    private func foreignIDs(for device: SimulatedDevice, among devices: [SimulatedDevice]) async throws -> [UUID] {
        var ids: [UUID] = []
        for other in devices where other.account != device.account {
            ids += await other.issued.filter { $0.op == .upsert }.map(\.id)
        }
        return Array(Set(ids)).sorted { $0.uuidString < $1.uuidString }
    }
}

/// The simulation could not be set up or finished (as opposed to a check that failed).
public struct SimulationSetupError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
