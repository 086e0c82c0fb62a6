import Foundation
import RunDiaryTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("rundiary serve and its live channel")
struct LiveServeTests {
    /// Registers an account and signs a device in over HTTP; returns its bearer token.
    private static func token(_ server: ServeProcess, email: String) async throws -> String {
        let password = "long enough pw"
        _ = await server.post("/v1/auth/register", json: #"{"email":"\#(email)","password":"\#(password)"}"#)
        let login = await server.post(
            "/v1/auth/login",
            json: #"{"email":"\#(email)","password":"\#(password)","device":{"id":"\#(UUID())","name":"phone","platform":"ios"}}"#)
        guard let body = login.range(of: "\r\n\r\n").map({ login[$0.upperBound...] }),
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let token = object["token"] as? String
        else { throw TestSetupError("login answered \(login)") }
        return token
    }

    /// Waits until `/ready` mentions `text` (at most 30 s).
    private static func waitForReady(_ server: ServeProcess, containing text: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if await server.get("/ready").contains(text) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("/ready never mentioned \(text): \(await server.get("/ready"))")
    }

    @Test(
        "SIGTERM ends every live stream with reconnect, answers waiting long-polls, and the server exits promptly", .timeLimit(.minutes(5)))
    func sigtermEndsStreams() async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            let server = try await ServeProcess.start(databaseURL: url)
            defer { kill(server.processIdentifier, SIGKILL) }
            #expect(try await server.wait(for: "HTTP/1.1 200", at: "/ready").hasPrefix("HTTP/1.1 200"))
            let token = try await Self.token(server, email: "leaving@example.org")
            let streams = [
                try await EventStreamReader(port: server.port, path: "/v1/sync/live", headers: ["Authorization": "Bearer \(token)"]),
                try await EventStreamReader(port: server.port, path: "/v1/sync/live", headers: ["Authorization": "Bearer \(token)"]),
            ]
            defer { streams.forEach { $0.close() } }
            #expect(streams.map(\.status) == [200, 200])
            let poll = try RawConnection(port: server.port)
            try poll.send("GET /v1/sync/pull?wait=30 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n\r\n")
            try await Self.waitForReady(server, containing: #""long_polls":1"#)

            kill(server.processIdentifier, SIGTERM)
            for stream in streams {
                let last = await stream.next(timeout: .seconds(10))
                #expect(last?.type == "reconnect")
                #expect(last?.data == #"{"reason":"shutdown"}"#)
                #expect(await stream.waitUntilClosed())
            }
            let answered = await poll.read(timeout: .seconds(10), until: "\"has_more\"")
            #expect(answered.text.hasPrefix("HTTP/1.1 200"), "\(answered.text)")
            #expect(try await server.waitForExit(timeout: .seconds(10)), "open streams do not hold up the shutdown")
            #expect(server.terminationStatus == 0, "the server's log:\n\(server.errorOutput)")
        }
    }

    @Test("rundiary stats counts the server instances listening for changes", .timeLimit(.minutes(5)))
    func statsCountsListeners() async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            let idle = try await Rundiary.run(["stats", "--json"], databaseURL: url)
            #expect(try idle.jsonObject()["live_listeners"] as? Int == 0)

            let server = try await ServeProcess.start(databaseURL: url)
            defer { kill(server.processIdentifier, SIGKILL) }
            try await Self.waitForReady(server, containing: #""listener":"listening""#)
            let serving = try await Rundiary.run(["stats", "--json"], databaseURL: url)
            #expect(try serving.jsonObject()["live_listeners"] as? Int == 1, "\(serving.stdout)")
            let text = try await Rundiary.run(["stats"], databaseURL: url)
            #expect(text.stdout.contains("live listeners  1"), "\(text.stdout)")
            try await server.stop()
        }
    }
}
