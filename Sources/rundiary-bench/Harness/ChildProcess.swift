import Foundation

/// Runs a short-lived tool (psql, pgbench) to completion without blocking a concurrency thread.
enum ChildProcess {
    /// What a finished tool printed, and how it ended.
    struct Output: Sendable {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Runs `path` with `arguments`; output goes through temporary files, so a chatty tool never blocks on a pipe.
    static func run(_ path: String, _ arguments: [String]) async throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outPath = folder.appendingPathComponent("out").path
        let errPath = folder.appendingPathComponent("err").path
        let pid = try Spawn.start(
            path, arguments, environment: ProcessInfo.processInfo.environment, outputPath: outPath, errorPath: errPath)
        let status = await Spawn.wait(for: pid)
        return Output(
            status: status,
            standardOutput: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Writes `text` to a new temporary file and returns its path; the caller removes it.
    static func temporaryFile(_ text: String, suffix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("rundiary-bench-\(UUID().uuidString)\(suffix)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
