import Foundation
import RunDiaryTestSupport

/// The real `rundiary` executable, run as a subprocess against a test database.
enum Rundiary {
    /// What a run printed and how it ended.
    struct Outcome: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String

        /// stdout parsed as JSON.
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        }

        /// stdout parsed as a JSON array of objects.
        func jsonObjects() throws -> [[String: Any]] {
            guard let objects = try json() as? [[String: Any]] else { throw TestSetupError("stdout is not a JSON array") }
            return objects
        }

        /// stdout parsed as a JSON object.
        func jsonObject() throws -> [String: Any] {
            guard let object = try json() as? [String: Any] else { throw TestSetupError("stdout is not a JSON object") }
            return object
        }
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable this test build made: beside the test bundle in the same build folder (debug or release,
    /// whatever `--scratch-path`), never a leftover of another build.
    static let executable: URL = {
        let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = runner.resolvingSymlinksInPath().deletingLastPathComponent()
        // On macOS the runner sits inside the .xctest bundle (Contents/MacOS).
        while folder.pathExtension == "xctest" || folder.lastPathComponent == "MacOS" || folder.lastPathComponent == "Contents" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("rundiary")
    }()

    /// Runs `rundiary arguments…` with `DATABASE_URL` set to `databaseURL` (unless nil), `stdin` as its input, and
    /// `environment` added; waits for it to exit.
    static func run(
        _ arguments: [String], databaseURL: String?, stdin: String = "", environment: [String: String] = [:]
    ) async throws -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestSetupError("\(executable.path) is missing; the test build makes it (RunDiaryCLITests depends on rundiary)")
        }
        var childEnvironment = ProcessInfo.processInfo.environment.filter { key, _ in
            key != "DATABASE_URL" && !key.hasSuffix("_RETENTION") && key != "RUNDIARY_BCRYPT_COST"
        }
        childEnvironment["DATABASE_URL"] = databaseURL
        childEnvironment["RUNDIARY_MIGRATIONS"] = repositoryRoot.appendingPathComponent("Migrations").path
        childEnvironment["RUNDIARY_BCRYPT_COST"] = "10"
        childEnvironment.merge(environment) { _, new in new }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stdoutURL = folder.appendingPathComponent("stdout")
        let stderrURL = folder.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        let input = Pipe()

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = childEnvironment
        process.currentDirectoryURL = folder
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        process.standardInput = input
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            // The child may exit without reading; SIGPIPE is ignored so that the write fails instead of the tests.
            signal(SIGPIPE, SIG_IGN)
            try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        try stdoutHandle.close()
        try stderrHandle.close()
        return Outcome(
            status: status,
            stdout: try String(contentsOf: stdoutURL, encoding: .utf8),
            stderr: try String(contentsOf: stderrURL, encoding: .utf8))
    }
}
