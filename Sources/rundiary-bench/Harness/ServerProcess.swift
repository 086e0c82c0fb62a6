import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `rundiary serve` under test: a release binary on a free loopback port, started and stopped by the bench.
struct ServerProcess: Sendable {
    let port: Int
    let pid: pid_t
    let logPath: String

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts `rundiary serve --migrate` on the bench database with bcrypt cost 10, and waits until `/ready` answers.
    static func start(
        binary: String, databaseURL: String, logLevel: String, logPath: String, http: HTTPClient
    ) async throws -> ServerProcess {
        let port = try FreePort.find()
        try? FileManager.default.removeItem(atPath: logPath)
        var environment = ProcessInfo.processInfo.environment
        environment["RUNDIARY_BCRYPT_COST"] = "10"
        // The per-user request limit guards a deployment; the bench measures throughput, so it is lifted.
        environment["RUNDIARY_USER_RATE_LIMIT"] = "100000"
        let pid = try Spawn.start(
            binary,
            [
                "serve", "--migrate", "--host", "127.0.0.1", "--port", String(port), "--database-url", databaseURL,
                "--log-level", logLevel,
            ],
            environment: environment, outputPath: logPath, errorPath: logPath)
        let server = ServerProcess(port: port, pid: pid, logPath: logPath)
        try await server.waitUntilReady(http: http)
        return server
    }

    private func waitUntilReady(http: HTTPClient) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let status = Spawn.exitStatus(of: pid) {
                throw BenchError("rundiary serve exited with status \(status); log: \(logPath)")
            }
            if let response = try? await http.execute(HTTPClientRequest(url: baseURL + "/ready"), timeout: .seconds(2)),
                response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("rundiary serve was not ready after 60 s; log: \(logPath)")
    }

    /// Sends SIGTERM and waits up to 20 s for a graceful exit (then SIGKILL); returns the exit status.
    @discardableResult
    func stop() async -> Int32 {
        if let status = Spawn.exitStatus(of: pid) { return status }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let status = Spawn.exitStatus(of: pid) { return status }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                break  // cancelled: stop waiting politely and kill it
            }
        }
        kill(pid, SIGKILL)
        return await Spawn.wait(for: pid)
    }
}
