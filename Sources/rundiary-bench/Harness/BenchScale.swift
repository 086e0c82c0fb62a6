import ArgumentParser

/// How big and how long a bench run is: `quick` fits in about a minute, `full` in a few; `huge` is `full` with a
/// growth step at 10M other records (opt-in: seeding them by SQL takes several minutes and ~6 GB of disk).
enum BenchScale: String, CaseIterable, ExpressibleByArgument, Sendable, Codable {
    case quick
    case full
    case huge

    /// Seconds each push concurrency level runs (the server, then pgbench).
    var pushSeconds: Int { self == .quick ? 3 : 15 }
    /// Seconds each pgbench ceiling runs.
    var ceilingSeconds: Int { self == .quick ? 3 : 12 }
    /// Timed initial pulls of the 10,000-record diary; the median is reported.
    var initialPullRepeats: Int { self == .quick ? 3 : 7 }
    /// Seconds each sync-tick rate is held.
    var tickSeconds: Double { self == .quick ? 2.5 : 10 }
    /// Devices (one user each) the sync ticks are spread over.
    var tickDevices: Int { self == .quick ? 32 : 128 }
    /// Records of other users the growth scenario measures at.
    var growthSizes: [Int] {
        switch self {
        case .quick: [10_000, 100_000]
        case .full: [10_000, 100_000, 1_000_000]
        case .huge: [10_000, 100_000, 1_000_000, 10_000_000]
        }
    }
    /// Seconds the live scenario pushes at 100/s while streams listen.
    var liveSeconds: Double { self == .quick ? 10 : 30 }
    /// Timed pulls per growth size.
    var growthPulls: Int { self == .quick ? 200 : 1500 }
}
