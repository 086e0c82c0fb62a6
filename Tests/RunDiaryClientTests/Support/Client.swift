import Foundation
import RunDiaryTestSupport

/// The `rundiary-client` executable with a data folder of its own: one computer of a runner.
struct Client: Sendable {
    let dataDir: URL

    static let executable = Subprocess.product("rundiary-client")
    static let password = "correct horse battery"

    init() throws {
        dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
    }

    /// Runs `rundiary-client arguments… --data-dir <its folder>`.
    func run(_ arguments: [String], stdin: String = "") async throws -> Subprocess.Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = nil
        return try await Subprocess.run(Self.executable, arguments + ["--data-dir", dataDir.path], environment: environment, stdin: stdin)
    }

    /// Runs a command that must succeed and returns its JSON object.
    func json(_ arguments: [String], stdin: String = "") async throws -> [String: Any] {
        let outcome = try await run(arguments + ["--json"], stdin: stdin)
        guard outcome.status == 0 else {
            throw TestSetupError("rundiary-client \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stderr)")
        }
        return try outcome.jsonObject()
    }

    func jsonArray(_ arguments: [String]) async throws -> [[String: Any]] {
        let outcome = try await run(arguments + ["--json"])
        guard outcome.status == 0 else {
            throw TestSetupError("rundiary-client \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stderr)")
        }
        return try outcome.jsonObjects()
    }

    func remove() {
        try? FileManager.default.removeItem(at: dataDir)
    }
}

/// A live server on a database of its own for the duration of `body`.
func withServer(_ body: @Sendable (ServerProcess) async throws -> Void) async throws {
    try await TestDatabase.withMigratedDatabase { url, _ in
        let server = try await ServerProcess.start(databaseURL: url)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

/// A new email for an account of one test.
func newEmail() -> String {
    "cli-\(UUID().uuidString.prefix(8).lowercased())@example.org"
}
