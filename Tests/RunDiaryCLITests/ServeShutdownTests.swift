import Foundation
import Postgres
import RunDiaryTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("rundiary serve")
struct ServeShutdownTests {
    @Test("refuses a database with pending migrations unless told to migrate")
    func refusesPendingMigrations() async throws {
        try await TestDatabase.withEmptyDatabase { url in
            let refused = try await Rundiary.run(["serve", "--port", "0"], databaseURL: url)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("pending migrations"), "\(refused.stderr)")
        }
    }

    @Test("refuses a pool of no connections and a wait queue out of range with one line, before connecting")
    func refusesPoolSettingsOutOfRange() async throws {
        // Nothing listens at this address: a refusal that came from connecting would name the database instead.
        let nowhere = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"
        for (arguments, message) in [
            (["--pool-size", "0"], "the pool size must be 1…500"),
            (["--db-max-waiting=-1"], "must be 0…1000000"),
            (["--db-max-waiting", "many"], "db-max-waiting"),
        ] {
            let refused = try await Rundiary.run(["serve", "--port", "0"] + arguments, databaseURL: nowhere)
            #expect(refused.status != 0, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
            #expect(!refused.stderr.contains("atal error"), "\(arguments): \(refused.stderr)")
        }
        let environment = try await Rundiary.run(
            ["serve", "--port", "0"], databaseURL: nowhere, environment: ["RUNDIARY_DB_MAX_WAITING": "abc"])
        #expect(environment.status != 0)
        #expect(environment.stderr.contains("RUNDIARY_DB_MAX_WAITING must be a whole number in 0…1000000, not abc"))
    }

    @Test("an address another process listens on ends the server with one line naming the listener and the address")
    func addressInUse() async throws {
        // Nothing listens at this database address: the refusal must come from the listener, before any connection.
        let nowhere = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"
        let held = try HeldPort()
        defer { held.close() }
        for (arguments, message) in [
            (["--port", "\(held.port)"], "the API cannot listen on 127.0.0.1:\(held.port): another process listens there"),
            (
                ["--port", "0", "--metrics-port", "\(held.port)"],
                "the metrics endpoint cannot listen on 127.0.0.1:\(held.port): another process listens there"
            ),
        ] {
            let refused = try await Rundiary.run(["serve"] + arguments, databaseURL: nowhere)
            #expect(refused.status == 1, "\(arguments): \(refused.stderr)")
            let lines = refused.stderr.split(separator: "\n").filter { $0.hasPrefix("rundiary: ") }
            #expect(lines == ["rundiary: \(message)"], "\(arguments): \(refused.stderr)")
        }
    }

    @Test("RUNDIARY_MIGRATE=1 migrates first, then /ready answers 200", .timeLimit(.minutes(5)))
    func migratesWhenAsked() async throws {
        try await TestDatabase.withEmptyDatabase { url in
            let server = try await ServeProcess.start(databaseURL: url, environment: ["RUNDIARY_MIGRATE": "1"])
            let reply = try await server.wait(for: "HTTP/1.1 200", at: "/ready")
            try await server.stop()
            #expect(reply.hasPrefix("HTTP/1.1 200"), "\(reply)\nthe server's log:\n\(server.errorOutput)")
            #expect(reply.contains(#""status":"ready""#), "\(reply)")
        }
    }

    @Test("the pool's connections are open before /ready answers 200", .timeLimit(.minutes(5)))
    func poolOpenBeforeReady() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let count: PostgresQuery = """
                SELECT count(*)::int FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'rundiary' AND pid <> pg_backend_pid()
                """
            // This test's own client: one connection at most besides the one counting.
            let before = try await client.query(count).single().decode(Int.self, at: 0)
            let server = try await ServeProcess.start(databaseURL: url, arguments: ["--pool-size", "5"])
            #expect(try await server.wait(for: "HTTP/1.1 200", at: "/ready").hasPrefix("HTTP/1.1 200"))
            let after = try await client.query(count).single().decode(Int.self, at: 0)
            try await server.stop()
            #expect(after - before == 5, "the server's connections when ready: \(after - before)")
        }
    }

    /// A request in flight when SIGTERM arrives is answered in full; then the process exits 0.
    @Test("SIGTERM lets an in-flight request finish", .timeLimit(.minutes(5)))
    func gracefulShutdown() async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            let server = try await ServeProcess.start(databaseURL: url)
            #expect(try await server.wait(for: "HTTP/1.1 200", at: "/ready").hasPrefix("HTTP/1.1 200"))

            // Send the headers and half of the body, then ask the server to stop.
            let body = #"{"email":"late@example.org","password":"long enough pw","display_name":"Late"}"#
            let connection = try RawConnection(port: server.port)
            let head =
                "POST /v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            try connection.send(head + String(body.prefix(20)))
            try await Task.sleep(for: .milliseconds(300))
            kill(server.processIdentifier, SIGTERM)
            try await Task.sleep(for: .milliseconds(300))
            #expect(server.isRunning, "the server quit with a request in flight")
            let reply = try await connection.exchange(String(body.dropFirst(20)))
            #expect(reply.hasPrefix("HTTP/1.1 201"), "\(reply)")

            #expect(try await server.waitForExit())
            #expect(server.terminationStatus == 0, "the server's log:\n\(server.errorOutput)")
            // New connections are refused once it has stopped.
            #expect((try? RawConnection(port: server.port)) == nil)
        }
    }

    @Test("beyond --max-connections a new connection waits until one closes", .timeLimit(.minutes(5)))
    func connectionCap() async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            let server = try await ServeProcess.start(databaseURL: url, arguments: ["--max-connections", "3"])
            #expect(try await server.wait(for: "HTTP/1.1 200", at: "/health").hasPrefix("HTTP/1.1 200"))
            try await Task.sleep(for: .milliseconds(200))  // the polling connections have closed
            let held = try (0..<3).map { _ in try RawConnection(port: server.port) }
            for connection in held {
                try connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(await connection.read(timeout: .seconds(5), until: "\"ok\"").text.hasPrefix("HTTP/1.1 200"))
            }
            let waiting = try RawConnection(port: server.port)
            try waiting.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let early = await waiting.read(timeout: .seconds(2), until: "\"ok\"")
            #expect(early.text.isEmpty, "not served while the cap is reached: \(early.text)")
            held[0].close()
            let served = await waiting.read(timeout: .seconds(10), until: "\"ok\"")
            #expect(served.text.hasPrefix("HTTP/1.1 200"), "served once a connection closed")
            try await server.stop()
        }
    }
}
