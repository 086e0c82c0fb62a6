import Foundation
import RunDiaryTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("rundiary serve and a database that is not there")
struct ServeWithoutDatabaseTests {
    private static func request(_ port: Int, _ text: String) async -> String {
        guard let connection = try? RawConnection(port: port) else { return "" }
        return (try? await connection.exchange(text, timeout: .seconds(10))) ?? ""
    }

    private static func get(_ port: Int, _ path: String) async -> String {
        await request(port, "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    }

    private static func register(_ port: Int, _ email: String) async -> String {
        let body = #"{"email":"\#(email)","password":"long enough pw"}"#
        return await request(
            port,
            "POST /v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n\(body)")
    }

    /// Polls `path` until its answer starts with `prefix` or `attempts` × 100 ms pass; returns the last answer.
    private static func wait(_ port: Int, _ path: String, for prefix: String, attempts: Int) async throws -> String {
        var reply = ""
        for _ in 0..<attempts {
            reply = await get(port, path)
            if reply.hasPrefix(prefix) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return reply
    }

    @Test(
        "started while PostgreSQL is down, it answers /health, reports /ready and the API 503, and serves once the database is up",
        .timeLimit(.minutes(3)))
    func startsBeforeTheDatabase() async throws {
        let cluster = try ThrowawayCluster.create()
        let port = Int.random(in: 50_000...59_000)
        let process = Process()
        process.executableURL = Rundiary.executable
        process.arguments = ["serve", "--migrate", "--port", "\(port)", "--bcrypt-cost", "10"]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "DATABASE_URL": cluster.url, "RUNDIARY_MIGRATIONS": Rundiary.repositoryRoot.appendingPathComponent("Migrations").path,
        ]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            let health = try await Self.wait(port, "/health", for: "HTTP/1.1 200", attempts: 300)
            #expect(health.hasPrefix("HTTP/1.1 200"), "\(health)")
            let ready = await Self.get(port, "/ready")
            #expect(ready.hasPrefix("HTTP/1.1 503"), "\(ready)")
            #expect(ready.contains("database_unavailable"))
            let early = await Self.register(port, "early@example.org")
            #expect(early.hasPrefix("HTTP/1.1 503"), "\(early)")
            #expect(early.contains("database_unavailable"))
            #expect(early.lowercased().contains("retry-after:"))
            #expect(process.isRunning)

            try await cluster.start()
            let readyLater = try await Self.wait(port, "/ready", for: "HTTP/1.1 200", attempts: 600)
            #expect(readyLater.hasPrefix("HTTP/1.1 200"), "the gate migrated once the database came up: \(readyLater)")
            #expect(await Self.register(port, "up@example.org").hasPrefix("HTTP/1.1 201"))

            // An outage while serving: 503, not 500; then service resumes without a restart.
            try await cluster.stop()
            let during = await Self.register(port, "during@example.org")
            #expect(during.hasPrefix("HTTP/1.1 503"), "\(during)")
            #expect(during.contains("database_unavailable"))
            #expect(!(await Self.get(port, "/ready")).hasPrefix("HTTP/1.1 200"))
            try await cluster.start()
            var after = ""
            for _ in 0..<100 where !after.hasPrefix("HTTP/1.1 201") {
                after = await Self.register(port, "after@example.org")
                if !after.hasPrefix("HTTP/1.1 201") { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(after.hasPrefix("HTTP/1.1 201"), "\(after)")
        } catch {
            Issue.record(error)
        }
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try await cluster.destroy()
    }
}
