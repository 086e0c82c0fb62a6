import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One of the package's executables run as a child process, to completion.
public enum Subprocess {
    /// What a run printed and how it ended.
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        /// stdout parsed as JSON.
        public func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        }

        /// stdout parsed as a JSON array of objects.
        public func jsonObjects() throws -> [[String: Any]] {
            guard let objects = try json() as? [[String: Any]] else { throw TestSetupError("stdout is not a JSON array") }
            return objects
        }

        /// stdout parsed as a JSON object.
        public func jsonObject() throws -> [String: Any] {
            guard let object = try json() as? [String: Any] else { throw TestSetupError("stdout is not a JSON object") }
            return object
        }
    }

    /// An executable of this package from the build that made the running program: beside it in the same build folder
    /// (debug or release, whatever `--scratch-path`), never a leftover of another build. Test targets that run one
    /// depend on it, so the test build makes it first.
    public static func product(_ name: String) -> URL {
        let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = runner.resolvingSymlinksInPath().deletingLastPathComponent()
        // On macOS the test runner sits inside the .xctest bundle (Contents/MacOS).
        while folder.pathExtension == "xctest" || folder.lastPathComponent == "MacOS" || folder.lastPathComponent == "Contents" {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent(name)
    }

    /// Runs `executable arguments…` in a scratch folder with `environment`, `stdin` as its input; waits for it to exit.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String], stdin: String = "") async throws
        -> Outcome
    {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestSetupError("\(executable.path) is missing; the test build makes it (its test target depends on it)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-run-\(UUID().uuidString)")
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
        process.environment = environment
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
