import ArgumentParser
import Foundation
import RunDiarySimulation

@main
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rundiary-simulate",
        abstract: "Many devices of several accounts against a live server, through faulty networks, then checks convergence.",
        discussion: """
            Starts a throwaway PostgreSQL cluster and `rundiary serve` on it, plays a schedule drawn from the seed \
            (edits, deletes, references, offline periods, syncs, app crashes, kill -9 of the server, a PostgreSQL \
            restart), then checks that every device holds exactly the server's state and the server exactly what the \
            devices' accepted mutations make it. Run through `deploy/dev simulate`, which provides the cluster tools.

            Exit codes: 0 passed, 1 a check failed (the seed is printed to replay it), 2 usage error.
            """)

    @Option(help: "The seed (default: a random one, printed).") var seed: UInt64?
    @Option(help: "Accounts.") var users: Int = 3
    @Option(help: "Devices per account.") var devices: Int = 3
    @Option(help: "Schedule steps.") var steps: Int = 400
    @Option(help: "Times the server is killed with SIGKILL.") var serverKills: Int = 2
    @Option(help: "Times PostgreSQL is restarted.") var databaseRestarts: Int = 1
    @Flag(help: "No network faults (kills and restarts still happen).") var noFaults = false

    func validate() throws {
        guard users >= 1, devices >= 1, steps >= 0 else { throw ValidationError("--users and --devices must be at least 1") }
    }

    func run() async throws {
        let parameters = SimulationParameters(
            seed: seed ?? UInt64.random(in: 1...UInt64(UInt32.max)), users: users, devicesPerUser: devices, steps: steps,
            faults: noFaults ? .none : .standard, serverKills: serverKills, databaseRestarts: databaseRestarts)
        print("seed \(parameters.seed): \(parameters.replayCommand)")
        let result = try await Simulation.run(parameters) { line in
            FileHandle.standardError.write(Data("  \(line)\n".utf8))
        }
        print(result.summary)
        guard result.passed else {
            for failure in result.failures.prefix(40) { print("  \(failure)") }
            print("replay: \(parameters.replayCommand)")
            throw ExitCode(1)
        }
    }
}
