import Foundation
import RunDiaryTestSupport

/// The real `rundiary` executable, run as a subprocess against a test database.
enum Rundiary {
    typealias Outcome = Subprocess.Outcome

    static let repositoryRoot = TestDatabase.repositoryRoot

    static let executable = Subprocess.product("rundiary")

    /// Runs `rundiary arguments…` with `DATABASE_URL` set to `databaseURL` (unless nil), `stdin` as its input, and
    /// `environment` added; waits for it to exit.
    static func run(
        _ arguments: [String], databaseURL: String?, stdin: String = "", environment: [String: String] = [:]
    ) async throws -> Outcome {
        var childEnvironment = ProcessInfo.processInfo.environment.filter { key, _ in
            key != "DATABASE_URL" && !key.hasSuffix("_RETENTION") && key != "RUNDIARY_BCRYPT_COST"
        }
        childEnvironment["DATABASE_URL"] = databaseURL
        childEnvironment["RUNDIARY_MIGRATIONS"] = repositoryRoot.appendingPathComponent("Migrations").path
        childEnvironment["RUNDIARY_BCRYPT_COST"] = "10"
        childEnvironment.merge(environment) { _, new in new }
        return try await Subprocess.run(executable, arguments, environment: childEnvironment, stdin: stdin)
    }
}
