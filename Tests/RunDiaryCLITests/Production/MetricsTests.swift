import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@Suite("GET /metrics: Prometheus text on a listener of its own")
struct MetricsTests {
    /// A server with its metrics listener on a port found free; another port is tried if another process took that
    /// one first (the server then exits before it listens).
    static func startWithMetrics(databaseURL: String) async throws -> (server: ServeProcess, metricsPort: Int) {
        try await Subprocess.onFreePorts {
            let metricsPort = try Subprocess.freePort()
            return (try await ServeProcess.start(databaseURL: databaseURL, arguments: ["--metrics-port", "\(metricsPort)"]), metricsPort)
        }
    }

    /// The value of the sample `name{labels}` (labels as Prometheus writes them, sorted), or nil.
    static func sample(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let seriesName = series.prefix { $0 != "{" }
            guard seriesName == name else { continue }
            let wanted = labels.allSatisfy { key, value in series.contains("\(key)=\"\(value)\"") }
            if wanted { return Double(line[line.index(after: space)...]) }
        }
        return nil
    }

    /// The first scrape: the metrics listener may start listening a moment after the API answers, so a refused
    /// connection is tried again for up to 30 s (then its error is the test's).
    static func firstScrape(_ metrics: WebClient) async throws -> WebClient.Reply {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let reply = try? await metrics.send(.GET, "/metrics") { return reply }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await metrics.send(.GET, "/metrics")
    }

    /// Scrapes until the sample `name` reads `value` (at most 30 s); returns the last value read. The metrics listener
    /// may start listening a moment after the API answers: a refused connection is tried again.
    static func waitForSample(_ metrics: WebClient, _ name: String, _ value: Double) async throws -> Double? {
        let deadline = ContinuousClock.now + .seconds(30)
        var last: Double?
        while ContinuousClock.now < deadline {
            if let scraped = try? await metrics.send(.GET, "/metrics") { last = sample(scraped.text, name) }
            if last == value { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    @Test(
        "the live streams and long-polls open on the instance are read at every scrape, however they end",
        .timeLimit(.minutes(5)))
    func liveStreamsGauge() async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            let (server, metricsPort) = try await Self.startWithMetrics(databaseURL: url)
            let api = WebClient(baseURL: "http://127.0.0.1:\(server.port)")
            let metrics = WebClient(baseURL: "http://127.0.0.1:\(metricsPort)")
            var streams: [EventStreamReader] = []
            var poll: RawConnection?
            do {
                _ = try await server.wait(for: "HTTP/1.1 200", at: "/ready")
                #expect(try await Self.waitForSample(metrics, "rundiary_live_streams_open", 0) == 0)
                let staying = try await api.signIn(email: "streams@example.org", deviceID: UUID())
                let leaving = try await api.signIn(email: "streams@example.org", deviceID: UUID())
                for token in [staying, staying, leaving] {
                    streams.append(
                        try await EventStreamReader(
                            port: server.port, path: "/v1/sync/live", headers: ["Authorization": "Bearer \(token)"]))
                }
                #expect(streams.map(\.status) == [200, 200, 200])
                let waiting = try RawConnection(port: server.port)
                poll = waiting
                try waiting.send("GET /v1/sync/pull?wait=30 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(leaving)\r\n\r\n")
                #expect(try await Self.waitForSample(metrics, "rundiary_live_streams_open", 3) == 3)
                #expect(try await Self.waitForSample(metrics, "rundiary_live_long_polls_waiting", 1) == 1)

                // A client goes away without a word.
                streams[0].close()
                #expect(try await Self.waitForSample(metrics, "rundiary_live_streams_open", 2) == 2)
                // A device signs out: its stream ends with signed_out, its long-poll is answered.
                #expect(try await api.send(.POST, "/v1/auth/logout", token: leaving).status == 204)
                #expect(await streams[2].next()?.type == "signed_out")
                #expect(await waiting.read(timeout: .seconds(40), until: "\"has_more\"").text.hasPrefix("HTTP/1.1 200"))
                #expect(try await Self.waitForSample(metrics, "rundiary_live_streams_open", 1) == 1)
                #expect(try await Self.waitForSample(metrics, "rundiary_live_long_polls_waiting", 0) == 0)
                #expect(!streams[1].closed, "the other device's stream stays open")
            } catch {
                Issue.record(error)
            }
            streams.forEach { $0.close() }
            poll?.close()
            try await api.shutdown()
            try await metrics.shutdown()
            try await server.stop()
        }
    }

    @Test("requests, verdicts, pulled records, login failures, the pool and memory are counted, and no label names a person")
    func countersMove() async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            let (server, metricsPort) = try await Self.startWithMetrics(databaseURL: url)
            let api = WebClient(baseURL: "http://127.0.0.1:\(server.port)")
            let metrics = WebClient(baseURL: "http://127.0.0.1:\(metricsPort)")
            do {
                _ = try await server.wait(for: "HTTP/1.1 200", at: "/ready")
                let before = try await Self.firstScrape(metrics)
                #expect(before.status == 200)
                #expect(before.headers.first(name: "content-type")?.hasPrefix("text/plain") == true)

                let email = "counted@example.org"
                let deviceID = UUID()
                let token = try await api.signIn(email: email, deviceID: deviceID)
                let wrong = try await api.send(
                    .POST, "/v1/auth/login",
                    json: LoginRequest(email: email, password: "wrong password", device: .init(id: UUID(), name: "x", platform: "")))
                #expect(wrong.status == 401)
                var clock = HybridLogicalClock(node: deviceID)
                let mutations = (1...3).map { index in
                    Mutation(mutationID: Int64(index), entity: .gear, id: UUID(), op: .upsert, hlc: clock.now(), fields: ["name": "shoe"])
                }
                #expect(try await api.send(.POST, "/v1/sync/push", token: token, json: PushRequest(mutations: mutations)).status == 200)
                // The same batch again: three duplicates.
                #expect(try await api.send(.POST, "/v1/sync/push", token: token, json: PushRequest(mutations: mutations)).status == 200)
                #expect(try await api.send(.GET, "/v1/sync/pull", token: token).status == 200)

                let after = try await metrics.send(.GET, "/metrics").text
                #expect(Self.sample(after, "rundiary_push_mutations_total", ["verdict": "applied"]) == 3)
                #expect(Self.sample(after, "rundiary_push_mutations_total", ["verdict": "duplicate"]) == 3)
                #expect(Self.sample(after, "rundiary_pull_records_total") == 3)
                #expect(Self.sample(after, "rundiary_login_failures_total", ["reason": "invalid_credentials"]) == 1)
                #expect(
                    Self.sample(after, "http_server_requests_total", ["http_route": "/v1/sync/push", "http_response_status_code": "200"])
                        == 2,
                    "requests by route pattern and status")
                #expect(
                    Self.sample(after, "http_server_request_duration_seconds_count", ["http_route": "/v1/sync/pull"]) == 1,
                    "a latency histogram per route")
                #expect(after.contains("http_server_request_duration_seconds_bucket{"))
                #expect(Self.sample(after, "rundiary_db_pool_connections", ["state": "idle"]) ?? 0 >= 1)
                #expect(Self.sample(after, "rundiary_db_pool_waiting") == 0)
                #expect(Self.sample(after, "process_resident_memory_bytes") ?? 0 > 1_000_000)
                for secret in [email, token, deviceID.uuidString.lowercased()] {
                    #expect(!after.contains(secret), "metrics never name a person or a token")
                }
                // The API's own port does not serve it.
                #expect(try await api.send(.GET, "/metrics").status == 404)
            } catch {
                Issue.record(error)
            }
            try await api.shutdown()
            try await metrics.shutdown()
            try await server.stop()
        }
    }

    @Test("database errors are counted by kind while the database is out of reach, and the API answers 503")
    func databaseErrorsCounted() async throws {
        // Nothing listens on a port just found free: every connection attempt fails.
        let deadPort = try Subprocess.freePort()
        let (server, metricsPort) = try await Self.startWithMetrics(
            databaseURL: "postgresql://rundiary@127.0.0.1:\(deadPort)/rundiary?connect_timeout=2")
        let metrics = WebClient(baseURL: "http://127.0.0.1:\(metricsPort)")
        do {
            _ = try await server.wait(for: "HTTP/1.1 503", at: "/ready")
            let login = await server.post(
                "/v1/auth/login",
                json:
                    #"{"email":"a@example.org","password":"long enough pw","device":{"id":"\#(UUID().uuidString)","name":"x","platform":""}}"#
            )
            #expect(login.hasPrefix("HTTP/1.1 503"), "\(login)")
            // The server retries its schema check with a growing delay: poll until the first failure is counted.
            var failures: Double?
            for _ in 0..<300 where failures == nil {
                failures = Self.sample(
                    try await Self.firstScrape(metrics).text, "rundiary_database_errors_total", ["kind": "connection_failed"])
                if failures == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect((failures ?? 0) >= 1)
        } catch {
            Issue.record(error)
        }
        try await metrics.shutdown()
        try await server.stop()
    }
}
