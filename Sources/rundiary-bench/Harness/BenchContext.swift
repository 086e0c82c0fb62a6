import Foundation

/// What every scenario works with: the API, the bench database, pgbench and the server's memory sampler.
struct BenchContext: Sendable {
    let scale: BenchScale
    let api: APIClient
    let database: BenchDatabase
    let pgbench: Pgbench
    let memory: MemorySampler

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
