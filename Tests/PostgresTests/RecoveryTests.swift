import Foundation
import Postgres
import RunDiaryTestSupport
import Testing

@Suite("The pool recovers from lost connections without an application restart")
struct RecoveryTests {
    @Test func terminatedBackendsAreReplaced() async throws {
        let application = "recovery-\(UUID().uuidString.prefix(8))"
        var url = URLComponents(string: try TestDatabase.adminURL)!
        url.queryItems = (url.queryItems ?? []) + [URLQueryItem(name: "application_name", value: application)]
        try await TestDatabase.withClient(url: url.string!, maxConnections: 4) { client in
            try await fillPool(client, connections: 4)
            let killed = try await TestDatabase.withClient { admin in
                try await admin.query(
                    """
                    SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))
                    FROM pg_stat_activity WHERE application_name = \(application)
                    """
                ).single().decode(Int.self, at: 0)
            }
            #expect(killed == 4)
            for _ in 0..<20 {
                #expect(try await client.query("SELECT 1::int4").single().decode(Int32.self, at: 0) == 1)
            }
            try await fillPool(client, connections: 4)
        }
    }

    /// A throwaway cluster of its own, restarted while the client holds connections to it.
    @Test(.timeLimit(.minutes(5)))
    func serverRestartIsSurvived() async throws {
        let cluster = try await ThrowawayCluster.start()
        do {
            try await TestDatabase.withClient(url: cluster.url, maxConnections: 3) { client in
                try await fillPool(client, connections: 3)
                try await cluster.stop()
                let down = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
                #expect(down?.code == .connectionFailed || down?.code == .connectionClosed)
                try await cluster.start()
                #expect(try await client.query("SELECT 2::int4").single().decode(Int32.self, at: 0) == 2)
                try await fillPool(client, connections: 3)
            }
            try await cluster.destroy()
        } catch {
            try? await cluster.destroy()
            throw error
        }
    }

    /// Uses every connection of the pool at once, so that each is checked to work.
    private func fillPool(_ client: PostgresClient, connections: Int) async throws {
        let barrier = AsyncBarrier(count: connections)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    try await client.withConnection { connection in
                        try await barrier.arriveAndWait()
                        _ = try await connection.query("SELECT 1")
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
