import Foundation

/// Runs a custom pgbench script against the bench database and reads back its throughput.
struct Pgbench: Sendable {
    let binary: String
    let url: String

    /// What pgbench reported.
    struct Outcome: Sendable {
        let transactionsPerSecond: Double
        let averageLatencyMilliseconds: Double
        let failedTransactions: Int
    }

    /// `pgbench -n -c clients -j min(clients, 2) -T seconds -f script` (simple protocol: the script's literals
    /// contain `:` characters that the extended protocol would take for variables).
    func run(script: String, clients: Int, seconds: Int) async throws -> Outcome {
        let file = try ChildProcess.temporaryFile(script, suffix: ".pgbench")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let output = try await ChildProcess.run(
            binary,
            ["-n", "-c", String(clients), "-j", String(min(clients, 2)), "-T", String(seconds), "-f", file, url])
        guard output.status == 0, let tps = Self.number(after: "tps = ", in: output.standardOutput) else {
            throw BenchError(
                "pgbench failed (\(output.status)): \(output.standardError.suffix(1500)) \(output.standardOutput.suffix(500))")
        }
        return Outcome(
            transactionsPerSecond: tps,
            averageLatencyMilliseconds: Self.number(after: "latency average = ", in: output.standardOutput) ?? 0,
            failedTransactions: Int(Self.number(after: "number of failed transactions: ", in: output.standardOutput) ?? 0))
    }

    private static func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber || $0 == "." }
        return Double(digits)
    }
}
