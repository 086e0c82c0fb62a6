import Foundation
import RunDiarySimulation
import RunDiaryTestSupport
import Testing

extension LiveServerSuites {
    @Suite("Many devices, faulty networks, a killed server and a restarted database: everything converges")
    struct SimulationTests {
        /// The seed CI uses; another can be set with RUNDIARY_SIMULATION_SEED to replay a failure.
        static var seed: UInt64 {
            ProcessInfo.processInfo.environment["RUNDIARY_SIMULATION_SEED"].flatMap(UInt64.init) ?? 20_261_129
        }

        @Test(
            "Every device ends with exactly the server's state, and the server with exactly the devices' accepted mutations",
            .timeLimit(.minutes(5)))
        func boundedSimulation() async throws {
            let parameters = SimulationParameters(
                seed: Self.seed, users: 3, devicesPerUser: 3, steps: 400, serverKills: 2, databaseRestarts: 1)
            let result = try await Simulation.run(parameters)
            print(result.summary)
            #expect(result.passed, "\(result.failures.prefix(20).joined(separator: "\n"))\nreplay: \(parameters.replayCommand)")
            // The run must have exercised what it claims to: faults, rejections and both outages happened.
            #expect((result.statistics["faults.dropped_responses"] ?? 0) > 0)
            #expect((result.statistics["faults.duplicated_requests"] ?? 0) > 0)
            #expect((result.statistics["mutations"] ?? 0) > 150)
            #expect((result.statistics["server.rejections"] ?? 0) > 0)
            #expect((result.statistics["server.conflicts"] ?? 0) > 0)
            #expect((result.statistics["failed_syncs"] ?? 0) > 0)
        }

        @Test("The same seed gives the same schedule; another seed another")
        func schedulesReplay() {
            let parameters = SimulationParameters(seed: 7, users: 3, devicesPerUser: 3, steps: 300)
            #expect(Schedule(parameters) == Schedule(parameters))
            var other = parameters
            other.seed = 8
            #expect(Schedule(parameters) != Schedule(other))
            #expect(Schedule(parameters).steps.contains { if case .killServer = $0 { true } else { false } })
            #expect(Schedule(parameters).steps.contains { if case .restartDatabase = $0 { true } else { false } })
        }
    }
}
