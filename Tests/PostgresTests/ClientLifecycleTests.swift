import Foundation
import Postgres
import RunDiaryTestSupport
import ServiceLifecycle
import Testing

@Suite("A client's threads and connections belong to its run()")
struct ClientLifecycleTests {
    /// The admin URL with an application name of its own, so that the test can count its connections.
    static func tagged(_ tag: String) throws -> (url: String, name: String) {
        let name = "\(tag)-\(UUID().uuidString.prefix(8))"
        var url = URLComponents(string: try TestDatabase.adminURL)!
        url.queryItems = (url.queryItems ?? []) + [URLQueryItem(name: "application_name", value: name)]
        return (url.string!, name)
    }

    /// Connections with this application name, as the server counts them.
    static func connections(named name: String) async throws -> Int {
        try await TestDatabase.withClient(maxConnections: 1) { admin in
            try await admin.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = \(name)").single()
                .decode(Int.self, at: 0)
        }
    }

    /// Waits (boundedly) until the server has seen the last of those connections leave; their backends exit after
    /// the client has closed its side.
    static func expectNoConnections(named name: String) async throws {
        for _ in 0..<200 where try await connections(named: name) > 0 {
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(try await connections(named: name) == 0)
    }

    @Test func workSentBeforeRunWaitsAndNothingConnectsUntilThen() async throws {
        let (url, name) = try Self.tagged("early")
        let client = PostgresClient(
            configuration: PostgresConfiguration(connectionString: url, maxConnections: 2), logger: TestDatabase.logger)
        let early = Task { try await client.query("SELECT 41 + 1").single().decode(Int.self, at: 0) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await Self.connections(named: name) == 0)

        let group = ServiceGroup(services: [client], logger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await early.value == 42)
            #expect(try await Self.connections(named: name) >= 1)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await Self.expectNoConnections(named: name)
        let late = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
        #expect(late?.code == .poolClosed)
    }

    @Test func gracefulShutdownWaitsForConnectionsLentOut() async throws {
        let (url, name) = try Self.tagged("drain")
        let client = PostgresClient(
            configuration: PostgresConfiguration(connectionString: url, maxConnections: 2), logger: TestDatabase.logger)
        let group = ServiceGroup(services: [client], logger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let holding = AsyncBarrier(count: 2)
            let holder = Task {
                try await client.withConnection { connection in
                    try await holding.arriveAndWait()
                    // The client is stopping meanwhile; this connection still works until it is given back.
                    try await Task.sleep(for: .milliseconds(200))
                    return try await connection.query("SELECT 7::int4").single().decode(Int32.self, at: 0)
                }
            }
            try await holding.arriveAndWait()
            await group.triggerGracefulShutdown()
            #expect(try await holder.value == 7)
            try await tasks.waitForAll()
        }
        try await Self.expectNoConnections(named: name)
    }

    /// A connection given back mid-transaction by a cancelled task is closed, not left open: the thread pool skips a
    /// cancelled task's work, so the close must not run as that task's work.
    @Test func aConnectionGivenBackByACancelledTaskIsClosed() async throws {
        let (url, name) = try Self.tagged("cancelled")
        try await TestDatabase.withClient(url: url, maxConnections: 2) { client in
            let task = Task {
                try await client.withConnection { connection in
                    try await connection.execute("BEGIN")
                    withUnsafeCurrentTask { $0?.cancel() }
                }
            }
            try await task.value
            try await Self.expectNoConnections(named: name)
            #expect(try await client.query("SELECT 1::int4").single().decode(Int32.self, at: 0) == 1)
        }
    }
}
