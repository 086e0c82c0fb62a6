/// The knobs of a simulation run; with the seed they determine the whole schedule.
public struct SimulationParameters: Hashable, Sendable {
    public var seed: UInt64
    public var users: Int
    public var devicesPerUser: Int
    public var steps: Int
    public var faults: FaultInjectingTransport.Rates
    /// How many times the server is killed with SIGKILL mid-run.
    public var serverKills: Int
    /// How many times PostgreSQL is restarted mid-run.
    public var databaseRestarts: Int

    public init(
        seed: UInt64, users: Int = 2, devicesPerUser: Int = 3, steps: Int = 200, faults: FaultInjectingTransport.Rates = .standard,
        serverKills: Int = 1, databaseRestarts: Int = 1
    ) {
        self.seed = seed
        self.users = max(1, users)
        self.devicesPerUser = max(1, devicesPerUser)
        self.steps = max(0, steps)
        self.faults = faults
        self.serverKills = max(0, serverKills)
        self.databaseRestarts = max(0, databaseRestarts)
    }

    /// The command that replays this run.
    public var replayCommand: String {
        "deploy/dev simulate --seed \(seed) --users \(users) --devices \(devicesPerUser) --steps \(steps)"
    }
}
