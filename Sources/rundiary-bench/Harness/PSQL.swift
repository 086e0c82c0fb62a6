import Foundation

/// psql on one database: seeding by direct SQL and small admin statements (each statement its own transaction).
struct PSQL: Sendable {
    let binary: String
    let url: String

    /// Runs `sql` (one or more statements) and returns the unaligned, tuples-only output.
    @discardableResult
    func run(_ sql: String) async throws -> String {
        let file = try ChildProcess.temporaryFile(sql, suffix: ".sql")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let output = try await ChildProcess.run(binary, ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file])
        guard output.status == 0 else {
            throw BenchError("psql failed (\(output.status)): \(output.standardError.prefix(2000))")
        }
        return output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
