import Foundation

/// What every scenario works with: the API, the bench database, the two ceilings and the server's memory sampler.
struct BenchContext: Sendable {
    let scale: BenchScale
    let api: APIClient
    let database: BenchDatabase
    /// The store's own statements on the bench database.
    let store: StoreCeiling
    /// The least SQL, in a database of its own.
    let leastSQL: LeastSQLCeiling
    let memory: MemorySampler
    /// CPU time of the server, the PostgreSQL cluster and the bench, for CPU per unit of work.
    let cpu: CPUAccount
    /// The server's address, for scenarios that open raw connections.
    let serverHost: String
    let serverPort: Int

    /// Progress on stderr, so that `--json` output stays clean.
    func log(_ message: String) {
        BenchLog.write(message)
    }
}

/// Progress lines on standard error.
enum BenchLog {
    static func write(_ message: String) {
        FileHandle.standardError.write(Data(("rundiary-bench: " + message + "\n").utf8))
    }
}
