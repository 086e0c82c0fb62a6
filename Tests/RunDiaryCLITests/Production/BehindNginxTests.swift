import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Two instances behind nginx with TLS, on one database, with least-privilege roles")
struct BehindNginxTests {
    /// Two `rundiary serve` instances as the service role, trusting nginx's address, and nginx in front of them.
    private static func withDeployment(
        _ body: (_ nginx: Nginx, _ instances: [ServeProcess], _ roles: LeastPrivilegeDatabase.Roles) async throws -> Void
    ) async throws {
        try await LeastPrivilegeDatabase.with { roles in
            var instances: [ServeProcess] = []
            for _ in 0..<2 {
                instances.append(
                    try await ServeProcess.start(databaseURL: roles.appURL, arguments: ["--trusted-proxies", "127.0.0.2"]))
            }
            var nginx: Nginx?
            do {
                for instance in instances {
                    let ready = try await instance.wait(for: "HTTP/1.1 200", at: "/ready")
                    guard ready.hasPrefix("HTTP/1.1 200") else { throw TestSetupError("an instance is not ready: \(ready)") }
                }
                nginx = try await Nginx.start(upstreams: instances.map(\.port))
                try await body(nginx!, instances, roles)
            } catch {
                Issue.record(error)
            }
            await nginx?.stop()
            for instance in instances { try await instance.stop() }
        }
    }

    @Test(
        "devices sync over HTTPS and HTTP/2 through nginx and converge; one instance is killed mid-run and nothing is lost",
        .timeLimit(.minutes(5)))
    func convergeWhileAnInstanceDies() async throws {
        try await Self.withDeployment { nginx, instances, _ in
            let web = WebClient(baseURL: nginx.url, trusting: nginx.certificateAuthority)
            do {
                try await Self.syncThroughTheKill(web: web, instances: instances)
            } catch {
                Issue.record(error)
            }
            try await web.shutdown()
        }
    }

    private static func syncThroughTheKill(web: WebClient, instances: [ServeProcess]) async throws {
        do {
            let health = try await web.send(.GET, "/health")
            #expect(health.status == 200)
            #expect(health.version.major == 2, "HTTP/2 over TLS (ALPN)")

            var phone = try await DiaryDevice(web: web, email: "two@example.org")
            var tablet = try await DiaryDevice(web: web, email: "two@example.org")
            let shoes = UUID()
            phone.upsert(.gear, shoes, ["name": "Pegasus", "limit_distance_m": 800_000])
            try await phone.sync()
            var written: [UUID: Int] = [:]
            for round in 1...12 {
                if round == 6 {
                    // SIGKILL: no graceful shutdown, requests in flight are cut.
                    kill(instances[0].processIdentifier, SIGKILL)
                }
                let (run, pain) = (UUID(), UUID())
                phone.upsert(
                    .run, run,
                    [
                        "started_at": .string("2026-11-\(10 + round)T07:30:00+01:00"), "elapsed_s": .integer(Int64(1500 + round)),
                        "gear_id": .string(shoes.uuidString),
                    ])
                tablet.upsert(
                    .painEntry, pain,
                    [
                        "recorded_at": .string("2026-11-\(10 + round)T20:00:00+01:00"), "body_site": "hip", "side": "right",
                        "severity": .integer(Int64(round % 11)), "timing": "later_same_day",
                    ])
                written[run] = round
                written[pain] = round
                try await phone.sync()
                try await tablet.sync()
                // Both edit the gear's limit: last writer wins, on both devices alike.
                tablet.upsert(.gear, shoes, ["limit_distance_m": .integer(Int64(800_000 + round))])
            }
            try await tablet.sync()
            try await phone.sync()
            #expect(!instances[0].isRunning)
            #expect(RestoreDrillTests.held(phone) == RestoreDrillTests.held(tablet), "the devices converged")
            let server = try await RestoreDrillTests.serverState(web, token: phone.token)
            #expect(server == RestoreDrillTests.held(phone), "and hold what the server holds")
            #expect(written.keys.allSatisfy { server[$0] != nil }, "every record either device made is on the server")
            #expect(server[shoes]?.fields["limit_distance_m"] == .integer(800_012))
        }
    }

    @Test(
        "nginx refuses a body over the server's limit in the server's words, and the instances learn the client's address from it alone, for share access logs and login throttling"
    )
    func limitsAndClientAddress() async throws {
        try await Self.withDeployment { nginx, instances, roles in
            let web = WebClient(baseURL: nginx.url, trusting: nginx.certificateAuthority)
            let direct = WebClient(baseURL: "http://127.0.0.1:\(instances[1].port)")
            do {
                let token = try await web.signIn(email: "address@example.org", deviceID: UUID())
                let tooLarge = try await web.send(.POST, "/v1/sync/push", token: token, raw: Data(repeating: 0x20, count: (1 << 20) + 1))
                #expect(tooLarge.status == 413)
                #expect(tooLarge.headers.first(name: "content-type") == "application/problem+json")
                #expect(tooLarge.json["code"] as? String == "payload_too_large")
                let justFits = try await web.send(
                    .POST, "/v1/sync/push", token: token,
                    raw: Data((#"{"schema_version":1,"mutations":[]}"# + String(repeating: " ", count: (1 << 20) - 35)).utf8))
                #expect(justFits.status == 200, "a body of exactly the limit passes nginx: \(justFits.text)")

                let created = try await web.send(.POST, "/v1/shares", token: token, json: ["label": "PT"])
                let shareURL = try #require(created.json["url"] as? String)
                let shareID = try #require(created.json["id"] as? String)
                let path = "/share/" + shareURL.components(separatedBy: "/share/")[1]
                // Through nginx (which connects from 127.0.0.2): the client's 127.0.0.1, not the proxy, not what the
                // client claims.
                _ = try await web.send(.GET, path, headers: [("X-Forwarded-For", "203.0.113.9")])
                // Straight to an instance (from 127.0.0.1, not a trusted proxy): the header is ignored.
                _ = try await direct.send(.GET, path, headers: [("X-Forwarded-For", "203.0.113.9")])
                let accesses = try await web.send(.GET, "/v1/shares/\(shareID)/accesses", token: token)
                let addresses = (accesses.json["accesses"] as? [[String: Any]] ?? []).compactMap { $0["client_address"] as? String }
                #expect(addresses == ["127.0.0.1", "127.0.0.1"], "\(accesses.text)")

                // Login throttling counts by the address nginx saw: five guesses, each claiming another address, are
                // five failures of one (account, address) and one address — three streaks, not one per claim.
                for guess in 1...5 {
                    let reply = try await web.send(
                        .POST, "/v1/auth/login",
                        json: LoginRequest(
                            email: "guessed@example.org", password: "guess \(guess)", device: .init(id: UUID(), name: "x", platform: "")),
                        headers: [("X-Forwarded-For", "198.51.100.\(guess)")])
                    #expect(reply.status == 401)
                }
                let streaks = try await TestDatabase.withClient(url: roles.ownerURL, maxConnections: 1) { database in
                    try await database.query("SELECT failures FROM login_failures").map { try $0.decode(Int.self, at: 0) }
                }
                #expect(streaks == [5, 5, 5], "the account, the account with the client's address, the address")
            } catch {
                Issue.record(error)
            }
            try await web.shutdown()
            try await direct.shutdown()
        }
    }
}
