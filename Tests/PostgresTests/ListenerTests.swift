import Foundation
import Logging
import Postgres
import RunDiaryTestSupport
import Testing

@Suite("A listener hears committed notifications on one dedicated connection, across connection losses")
struct ListenerTests {
    @Test("a notification arrives once its transaction commits, never from one that rolled back", .timeLimit(.minutes(5)))
    func deliversCommittedNotificationsOnly() async throws {
        try await TestDatabase.withScratchDatabase { url in
            // A channel name that needs quoting: upper case and a space.
            let probe = ListenerProbe(url: url, channels: ["Live Changes"])
            try await probe.running {
                try await TestDatabase.withClient(url: url, maxConnections: 2) { client in
                    try await probe.waitUntil("listening") { $0.listening >= 1 }
                    struct Abandon: Error {}
                    await #expect(throws: Abandon.self) {
                        try await client.withTransaction { connection in
                            try await connection.execute("SELECT pg_notify('Live Changes', 'rolled back')")
                            throw Abandon()
                        }
                    }
                    try await client.withTransaction { connection in
                        try await connection.execute("SELECT pg_notify('Live Changes', 'held')")
                        // Not delivered while the transaction is open.
                        try await Task.sleep(for: .milliseconds(500))
                        #expect(probe.payloads.isEmpty)
                    }
                    try await client.execute("SELECT pg_notify('Live Changes', 'committed')")
                    try await client.execute("SELECT pg_notify('other channel', 'not listened to')")
                    try await client.execute("SELECT pg_notify('Live Changes', 'last')")
                    try await probe.waitUntil("the last notification") { $0.payloads.last == "last" }
                    #expect(probe.payloads == ["held", "committed", "last"])
                    #expect(probe.channels == ["Live Changes"])
                }
            }
        }
    }

    /// Through PgBouncer in transaction mode the `LISTEN` succeeds and nothing ever arrives; the listener cannot tell the
    /// pool mode, but it can tell that a pooler answers, and says so before it says it is listening.
    @Test("a listener says when a pooler stands between it and PostgreSQL, and a direct one does not", .timeLimit(.minutes(5)))
    func noticesAPooler() async throws {
        try await TestDatabase.withScratchDatabase { url in
            let bouncer = try await PgBouncer.start()
            do {
                let direct = ListenerProbe(url: url, channels: ["changes"])
                try await direct.running { try await direct.waitUntil("listening") { $0.listening >= 1 } }
                #expect(direct.throughPooler == 0)
                let pooled = ListenerProbe(url: bouncer.url(for: url), channels: ["changes"])
                try await pooled.running { try await pooled.waitUntil("listening through PgBouncer") { $0.listening >= 1 } }
                #expect(pooled.throughPooler == 1)
            } catch {
                await bouncer.stop()
                throw error
            }
            await bouncer.stop()
        }
    }

    @Test("a terminated connection is reopened with back-off, and later notifications arrive", .timeLimit(.minutes(5)))
    func reconnectsAfterTermination() async throws {
        try await TestDatabase.withScratchDatabase { url in
            let probe = ListenerProbe(url: url, channels: ["changes"])
            try await probe.running {
                try await TestDatabase.withClient(url: url, maxConnections: 2) { client in
                    try await probe.waitUntil("listening") { $0.listening >= 1 }
                    let terminated = try await client.query(
                        """
                        SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity
                        WHERE application_name = \(probe.applicationName)
                        """
                    ).single().decode(Int.self, at: 0)
                    #expect(terminated == 1)
                    try await probe.waitUntil("listening again") { $0.listening >= 2 }
                    #expect(probe.unavailable >= 1)
                    try await client.execute("SELECT pg_notify('changes', 'after')")
                    try await probe.waitUntil("the notification after the loss") { $0.payloads == ["after"] }
                }
            }
        }
    }

    @Test("a listener started while PostgreSQL is down listens once it is up, and again after a restart", .timeLimit(.minutes(5)))
    func survivesServerRestarts() async throws {
        let cluster = try await ThrowawayCluster.create()
        do {
            let probe = ListenerProbe(url: cluster.url, channels: ["changes"])
            try await probe.running {
                try await probe.waitUntil("failures while the server is down") { $0.unavailable >= 2 }
                #expect(probe.listening == 0)
                try await cluster.start()
                try await probe.waitUntil("listening", timeout: .seconds(30)) { $0.listening >= 1 }
                try await TestDatabase.withClient(url: cluster.url, maxConnections: 1) { client in
                    try await client.execute("SELECT pg_notify('changes', 'first')")
                }
                try await probe.waitUntil("the first notification") { $0.payloads == ["first"] }

                try await cluster.stop()
                try await probe.waitUntil("the loss") { $0.unavailable >= 3 }
                try await cluster.start()
                try await probe.waitUntil("listening again", timeout: .seconds(30)) { $0.listening >= 2 }
                try await TestDatabase.withClient(url: cluster.url, maxConnections: 1) { client in
                    try await client.execute("SELECT pg_notify('changes', 'second')")
                }
                try await probe.waitUntil("the second notification") { $0.payloads == ["first", "second"] }
            }
            try await cluster.destroy()
        } catch {
            try? await cluster.destroy()
            throw error
        }
    }

    @Test("a connection string libpq cannot parse stops the listener with a configuration error")
    func badConfigurationThrows() async throws {
        let listener = PostgresListener(
            configuration: .init(connectionString: "host='unterminated", channels: ["changes"]), logger: TestDatabase.logger
        ) { _ in }
        let error = await #expect(throws: PostgresError.self) { try await listener.run() }
        #expect(error?.code == .invalidConfiguration)
    }
}
