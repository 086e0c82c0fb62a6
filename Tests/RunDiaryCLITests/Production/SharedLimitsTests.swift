import Foundation
import Postgres
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@Suite("Limits hold across server instances: spreading requests over them buys nothing")
struct SharedLimitsTests {
    @Test("a user's request allowance and an account's login delays are shared by two instances on one database")
    func limitsAcrossInstances() async throws {
        try await TestDatabase.withMigratedDatabase { url, database in
            // One request per 1000 s after a burst of 5: the test does not depend on how fast it runs.
            var instances: [ServeProcess] = []
            for _ in 0..<2 {
                instances.append(
                    try await ServeProcess.start(
                        databaseURL: url, arguments: ["--user-rate-limit", "0.001", "--user-rate-burst", "5"]))
            }
            let clients = instances.map { WebClient(baseURL: "http://127.0.0.1:\($0.port)") }
            do {
                for instance in instances { _ = try await instance.wait(for: "HTTP/1.1 200", at: "/ready") }
                let token = try await clients[0].signIn(email: "spread@example.org", deviceID: UUID())
                var statuses: [Int] = []
                for attempt in 0..<8 {
                    statuses.append(try await clients[attempt % 2].send(.GET, "/v1/devices", token: token).status)
                }
                #expect(statuses == [200, 200, 200, 200, 200, 429, 429, 429], "five in all, not five per instance")
                let refused = try await clients[1].send(.GET, "/v1/devices", token: token)
                #expect(refused.json["code"] as? String == "rate_limited")
                #expect(Int(refused.headers.first(name: "retry-after") ?? "") ?? 0 >= 1)
                let other = try await clients[1].signIn(email: "other@example.org", deviceID: UUID())
                #expect(try await clients[0].send(.GET, "/v1/devices", token: other).status == 200, "another user is not held")

                // Login guesses alternate between the instances: they count as one streak.
                for attempt in 1...10 {
                    // The guesser waits out each delay (the test moves time on instead of sleeping).
                    try await database.execute("UPDATE login_failures SET blocked_until = now()")
                    let reply = try await clients[attempt % 2].send(
                        .POST, "/v1/auth/login",
                        json: LoginRequest(
                            email: "spread@example.org", password: "guess \(attempt)",
                            device: .init(id: UUID(), name: "x", platform: "")))
                    #expect(reply.status == 401)
                }
                let delay = try await database.query(
                    "SELECT max(extract(epoch FROM blocked_until - last_failed_at))::float8 FROM login_failures"
                ).single().decode(Double.self, at: 0)
                #expect(delay == 16, "ten failures over two instances: five free, then 1, 2, 4, 8, 16 s")
                for client in clients {
                    let held = try await client.send(
                        .POST, "/v1/auth/login",
                        json: LoginRequest(
                            email: "spread@example.org", password: "guess", device: .init(id: UUID(), name: "x", platform: "")))
                    #expect(held.status == 429)
                    #expect(held.json["code"] as? String == "too_many_attempts")
                }
            } catch {
                Issue.record(error)
            }
            for client in clients { try await client.shutdown() }
            for instance in instances { try await instance.stop() }
        }
    }
}
