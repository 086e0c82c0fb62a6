import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import RunDiaryModels
import RunDiaryServer
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("Live sync survives losing PostgreSQL")
struct LiveRecoveryTests {
    @Test(
        "PostgreSQL restarted under open streams: they stay open, the listener comes back, a later push reaches them",
        .timeLimit(.minutes(5)))
    func restartUnderOpenStreams() async throws {
        let cluster = try await ThrowawayCluster.start()
        do {
            try await TestDatabase.withClient(url: cluster.url, maxConnections: 4) { database in
                try await Migrator(client: database, migrations: try TestDatabase.migrations(), logger: TestDatabase.logger).migrate()
                var configuration = TestServer.testConfiguration
                configuration.databasePoolSize = 4
                configuration.liveHeartbeatSeconds = 1
                configuration.liveTokenCheckSeconds = 1
                var logger = Logger(label: "rundiary-test-restart")
                logger.logLevel = .critical
                let app = buildApplication(
                    configuration: configuration, client: database, migrations: try TestDatabase.migrations(), logger: logger)
                try await app.test(.live) { client in
                    let server = TestServer(client: client, database: database, databaseURL: cluster.url)
                    var pair = try await DevicePair(server, email: "restart@example.org")
                    try await server.waitForLive("listening") { listener, _, _ in listener == "listening" }
                    let stream = try await server.stream(pair.listener.session)
                    defer { stream.close() }

                    try await cluster.stop()
                    // Heartbeats go on; the token check fails quietly and ends nothing.
                    let during = await stream.events(for: .seconds(3))
                    #expect(during.isEmpty, "\(during)")
                    #expect(!stream.closed)

                    try await cluster.start()
                    // The restarted server has a listening connection only if the listener reconnected.
                    let listening = ContinuousClock.now + .seconds(60)
                    var listeners = 0
                    while listeners == 0, ContinuousClock.now < listening {
                        listeners =
                            (try? await database.query(
                                "SELECT count(*) FROM pg_stat_activity WHERE application_name = \(ChangeNotice.listenerApplicationName)"
                            ).single().decode(Int.self, at: 0)) ?? 0
                        if listeners == 0 { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    #expect(listeners == 1, "the listener is back")
                    // The pool replaces its broken connections; a push may meet one 503 on the way.
                    let deadline = ContinuousClock.now + .seconds(30)
                    var pushed = false
                    while !pushed, ContinuousClock.now < deadline {
                        pushed = (try? await pair.pushRun()) != nil
                        if !pushed { try await Task.sleep(for: .milliseconds(200)) }
                    }
                    #expect(pushed)
                    #expect(await stream.next(timeout: .seconds(15))?.version == 1)
                    #expect(!stream.closed)
                }
            }
            try await cluster.destroy()
        } catch {
            try? await cluster.destroy()
            throw error
        }
    }

    // Its own waits (30 s each at most, failing with what they waited for) bound it well under the limit; the limit
    // also covers waiting for a database slot while the whole suite runs (it ran out at 2 minutes in CI; DatabaseSlots).
    @Test("changes announced while the listener could not connect reach the streams once it listens again", .timeLimit(.minutes(5)))
    func missedNoticesAreMadeUpFor() async throws {
        // The listener connects as a role of its own (through --listen-database-url), which the test then bars from
        // connecting: pushes keep working meanwhile, and their notices reach nobody. One database slot for all of it:
        // the role, the database and the clean-up wait for a slot once, not three times.
        try await DatabaseSlots.withSlot {
            let role = try PostgresIdentifier(validating: "rdlisten_" + UUID().uuidString.prefix(8).lowercased())
            try await TestDatabase.withClient { admin in
                try await admin.execute("CREATE ROLE \(role) LOGIN")
            }
            var failure: (any Error)?
            do {
                try await Self.withListenerBarred(role: role)
            } catch {
                failure = error
            }
            try? await TestDatabase.withClient { admin in
                try await admin.execute(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE usename = \(role.name)")
                try await admin.execute("DROP ROLE IF EXISTS \(role)")
            }
            if let failure { throw failure }
        }
    }

    private static func withListenerBarred(role: PostgresIdentifier) async throws {
        try await TestDatabase.withMigratedDatabase { url, database in
            var components = URLComponents(string: url)!
            components.queryItems =
                (components.queryItems ?? []).filter { $0.name != "user" } + [URLQueryItem(name: "user", value: role.name)]
            let listenURL = components.string!
            var configuration = TestServer.testConfiguration
            configuration.listenDatabaseURL = listenURL
            var logger = Logger(label: "rundiary-test-missed")
            logger.logLevel = .critical
            let app = buildApplication(
                configuration: configuration, client: database, migrations: try TestDatabase.migrations(), logger: logger)
            try await app.test(.live) { client in
                let server = TestServer(client: client, database: database, databaseURL: url)
                var pair = try await DevicePair(server, email: "missed@example.org")
                try await server.waitForLive("listening as \(role)") { listener, _, _ in listener == "listening" }
                let stream = try await server.stream(pair.listener.session)
                defer { stream.close() }

                try await TestDatabase.withClient { admin in
                    try await admin.execute("ALTER ROLE \(role) NOLOGIN")
                    try await admin.execute(
                        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE usename = \(role.name)")
                }
                try await server.waitForLive("the listener shut out") { listener, _, _ in listener == "unavailable" }
                try await pair.pushRun()
                try await pair.pushRun()
                #expect(await stream.events(for: .seconds(1)).isEmpty, "nobody heard the notices")

                try await TestDatabase.withClient { admin in
                    try await admin.execute("ALTER ROLE \(role) LOGIN")
                }
                let event = await stream.next(timeout: .seconds(30))
                #expect(event?.version == 2, "the recheck after reconnecting tells the stream the account's version")
            }
        }
    }
}
