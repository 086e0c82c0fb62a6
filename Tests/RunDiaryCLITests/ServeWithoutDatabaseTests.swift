import Foundation
import RunDiaryTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("rundiary serve and a database that is not there")
struct ServeWithoutDatabaseTests {
    @Test(
        "started while PostgreSQL is down, it answers /health, reports /ready and the API 503, and serves once the database is up",
        .timeLimit(.minutes(5)))
    func startsBeforeTheDatabase() async throws {
        let cluster = try await ThrowawayCluster.create()
        let server = try await ServeProcess.start(databaseURL: cluster.url, arguments: ["--migrate"])
        do {
            let register = { (email: String) in
                await server.post("/v1/auth/register", json: #"{"email":"\#(email)","password":"long enough pw"}"#)
            }
            let health = try await server.wait(for: "HTTP/1.1 200", at: "/health")
            #expect(health.hasPrefix("HTTP/1.1 200"), "\(health)")
            let ready = await server.get("/ready")
            #expect(ready.hasPrefix("HTTP/1.1 503"), "\(ready)")
            #expect(ready.contains("database_unavailable"))
            let early = await register("early@example.org")
            #expect(early.hasPrefix("HTTP/1.1 503"), "\(early)")
            #expect(early.contains("database_unavailable"))
            #expect(early.lowercased().contains("retry-after:"))
            #expect(server.isRunning)

            try await cluster.start()
            let readyLater = try await server.wait(for: "HTTP/1.1 200", at: "/ready", timeout: .seconds(60))
            #expect(readyLater.hasPrefix("HTTP/1.1 200"), "the gate migrated once the database came up: \(readyLater)")
            #expect(await register("up@example.org").hasPrefix("HTTP/1.1 201"))

            // An outage while serving: 503, not 500; then service resumes without a restart.
            try await cluster.stop()
            let during = await register("during@example.org")
            #expect(during.hasPrefix("HTTP/1.1 503"), "\(during)")
            #expect(during.contains("database_unavailable"))
            #expect(!(await server.get("/ready")).hasPrefix("HTTP/1.1 200"))
            try await cluster.start()
            var after = ""
            for _ in 0..<100 where !after.hasPrefix("HTTP/1.1 201") {
                after = await register("after@example.org")
                if !after.hasPrefix("HTTP/1.1 201") { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(after.hasPrefix("HTTP/1.1 201"), "\(after)")
        } catch {
            Issue.record(error)
        }
        try await server.stop()
        try await cluster.destroy()
    }

    @Test("SIGTERM while the database is still out of reach ends the server at once, with status 0", .timeLimit(.minutes(1)))
    func stopsWhileWaitingForTheDatabase() async throws {
        // Nothing listens on this port: the gate retries with back-off until the signal.
        let url = "postgresql://rundiary@127.0.0.1:\(try Subprocess.freePort())/rundiary?connect_timeout=2"
        let server = try await ServeProcess.start(databaseURL: url)
        defer { kill(server.processIdentifier, SIGKILL) }
        #expect(try await server.wait(for: "HTTP/1.1 200", at: "/health").hasPrefix("HTTP/1.1 200"))
        #expect(await server.get("/ready").hasPrefix("HTTP/1.1 503"))
        kill(server.processIdentifier, SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(10)), "the gate's retries do not hold up the shutdown")
        #expect(server.terminationStatus == 0, "the server's log:\n\(server.errorOutput)")
    }
}
