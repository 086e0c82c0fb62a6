import Foundation
import Postgres
import RunDiaryModels
import RunDiaryStore
import RunDiarySync
import RunDiaryTestSupport

/// Many ``SyncEngine``s, several per account, against a live `rundiary serve` on a PostgreSQL cluster of its own,
/// through faulty networks, with the server killed and PostgreSQL restarted mid-run; then checks that every device
/// holds exactly the server's state and that the server holds exactly what the devices' mutations say it must.
public enum Simulation {
    /// Runs the schedule of `parameters` and returns what the checks found. `progress` hears a line per phase.
    public static func run(_ parameters: SimulationParameters, progress: @escaping @Sendable (String) -> Void = { _ in })
        async throws -> SimulationResult
    {
        let schedule = Schedule(parameters)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-simulation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        progress("starting a throwaway PostgreSQL cluster")
        let cluster = try await ThrowawayCluster.start()
        do {
            progress("starting rundiary serve")
            let server = try await ServerProcess.start(databaseURL: cluster.url)
            do {
                let world = World(schedule: schedule, cluster: cluster, server: server, folder: folder, progress: progress)
                let result = try await world.run()
                await server.stop()
                try await cluster.destroy()
                return result
            } catch {
                await server.stop()
                throw error
            }
        } catch {
            try? await cluster.destroy()
            throw error
        }
    }
}

/// What a simulation found.
public struct SimulationResult: Sendable {
    public let parameters: SimulationParameters
    /// Every check that failed, one line each; empty when the run passed.
    public let failures: [String]
    /// Counts of what happened: mutations, verdicts, injected faults, failed syncs.
    public let statistics: [String: Int]
    public let duration: Duration

    public var passed: Bool { failures.isEmpty }

    public var summary: String {
        let counts = statistics.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let verdict = passed ? "passed" : "FAILED (\(failures.count) problems)"
        return
            "simulation seed \(parameters.seed) \(verdict) in \(duration.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))): \(counts)"
    }
}
