import ArgumentParser

/// The scenarios a run can be limited to with `--only`.
enum Scenario: String, CaseIterable, ExpressibleByArgument, Sendable, Codable {
    case push
    case initialPull = "initial-pull"
    case syncTick = "sync-tick"
    case syncExchange = "sync-exchange"
    case growth
    case export
    case live
    case idleClients = "idle-clients"
}
