import Foundation
import Postgres
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@testable import RunDiaryStore

/// What a server's new connections run before it serves (``SyncStore/connectionWarmUp(rate:)``): the sync path's
/// statements for a token and an account that do not exist. They must run on a real schema and leave it as it was.
@Suite("The statements that warm a server's connections")
struct ConnectionWarmUpTests {
    /// What the statements could change: allowances, accounts' counters, devices' cursors, kept rejections and conflicts.
    static func footprint(_ client: PostgresClient) async throws -> String {
        try await client.query(
            """
            SELECT concat_ws(' ', (SELECT count(*) FROM request_allowances), (SELECT count(*) FROM users),
                             (SELECT string_agg(concat_ws(':', version, pruned_through), ',') FROM users),
                             (SELECT string_agg(concat_ws(':', last_mutation_id, last_pulled_version, last_pulled_at,
                                                          last_seen_at), ',') FROM devices),
                             (SELECT count(*) FROM sync_rejections), (SELECT count(*) FROM sync_conflicts))
            """
        ).single().decode(String.self, at: 0)
    }

    @Test("each pipeline runs, with and without a request rate, and nothing is locked, metered, counted or written")
    func runsAndChangesNothing() async throws {
        try await TestDatabase.withMigratedDatabase { _, client in
            let (user, _) = try await PulledChangeTests.newAccount(client)
            try await client.execute("INSERT INTO request_allowances (user_id, next_at) VALUES (\(user), now())")
            let before = try await Self.footprint(client)
            for rate in [nil, RequestRate(perSecond: 50, burst: 200)] {
                let pipelines = SyncStore.connectionWarmUp(rate: rate)
                #expect(pipelines.count == 4, "a pull and a push's opening, without and with the token check")
                try await client.withConnection { connection in
                    for pipeline in pipelines {
                        let results = try await connection.pipeline(pipeline)
                        #expect(results.count == pipeline.count)
                        let found = results.dropFirst().map(\.count)
                        #expect(found.allSatisfy { $0 == 0 }, "rows found: \(found)")
                    }
                }
            }
            #expect(try await Self.footprint(client) == before)
        }
    }
}
