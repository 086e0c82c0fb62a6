import Foundation
import RunDiaryTestSupport
import Testing

@testable import Postgres

/// A server warms its pool before it serves: every open connection runs the given statements once, so that no
/// request is the first a backend runs.
@Suite("Warming the pool's connections")
struct WarmConnectionsTests {
    /// The backends of `client`'s pool whose last statement mentions `marker` (pg_stat_activity keeps each idle
    /// backend's last statement).
    static func backends(mentioning marker: String, admin: PostgresClient) async throws -> Int {
        let pattern = "%" + marker + "%"
        return Int(
            try await admin.query(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE \(pattern) AND pid <> pg_backend_pid()"
            ).single().decode(Int64.self, at: 0))
    }

    @Test("every open connection runs each pipeline once, its statements prepared; a failing pipeline is skipped")
    func everyConnectionRunsThePipelines() async throws {
        let marker = "warm_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let label = try PostgresIdentifier(validating: marker)
        try await TestDatabase.withClient(maxConnections: 3) { client in
            try await client.openConnections()
            #expect(client.poolUsage.idle == 3)
            let warmed = await client.warmConnections([
                ["SELECT 1 / 0 AS fails"],
                ["SELECT 1 AS first", "SELECT 2 AS \(label)"],
            ])
            #expect(warmed == 3)
            // Each connection's backend ran the second pipeline after the failing one.
            let ran = try await TestDatabase.withClient(maxConnections: 1) { admin in
                try await Self.backends(mentioning: marker, admin: admin)
            }
            #expect(ran == 3)
            // And each connection prepared it: the next run of it is by name.
            let prepared = try await client.withConnection { connection in connection.preparedStatementCount }
            #expect(prepared >= 2)
            #expect(client.poolUsage.idle == 3, "every connection is back in the pool")
        }
    }

    @Test("connections lent out are left alone; none open, none warmed")
    func onlyIdleConnections() async throws {
        try await TestDatabase.withClient(maxConnections: 2) { client in
            #expect(await client.warmConnections([["SELECT 1"]]) == 0)
            try await client.withConnection { _ in
                #expect(await client.warmConnections([["SELECT 1"]]) == 0, "the one open connection is lent out")
            }
            #expect(await client.warmConnections([["SELECT 1"]]) == 1)
        }
    }
}
