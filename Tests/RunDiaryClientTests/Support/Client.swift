import Foundation
import RunDiaryTestSupport

/// The `rundiary-client` executable with a data folder of its own: one computer of a runner.
struct Client: Sendable {
    let dataDir: URL
    /// The server it signs in to, if any.
    let server: String

    static let executable = Subprocess.product("rundiary-client")
    static let password = "correct horse battery"

    init(in folder: URL = FileManager.default.temporaryDirectory, server: String = "http://127.0.0.1:9") throws {
        dataDir = folder.appendingPathComponent("rundiary-client-\(UUID().uuidString)")
        self.server = server
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
    }

    /// Creates the account `email` from this computer and signs in.
    func register(_ email: String) async throws {
        _ = try await json(["register", "--server", server, "--email", email, "--password-stdin"], stdin: Self.password + "\n")
    }

    /// Signs this computer in to the account `email`.
    func login(_ email: String) async throws {
        _ = try await json(["login", "--server", server, "--email", email, "--password-stdin"], stdin: Self.password + "\n")
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

}

/// A live server on a database of its own, and the computers of one test, whose folders go when it ends.
struct Office: Sendable {
    let server: ServerProcess
    let folder: URL

    /// A new computer, not yet signed in.
    func computer() throws -> Client {
        try Client(in: folder, server: server.baseURL.absoluteString)
    }

    /// Runs `body` with a server started for it.
    static func run(_ body: @Sendable (Office) async throws -> Void) async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            let server = try await ServerProcess.start(databaseURL: url)
            let office = Office(
                server: server,
                folder: FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-office-\(UUID().uuidString)"))
            defer { try? FileManager.default.removeItem(at: office.folder) }
            do {
                try await body(office)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }
}

/// A new email for an account of one test.
func newEmail() -> String {
    "cli-\(UUID().uuidString.prefix(8).lowercased())@example.org"
}
