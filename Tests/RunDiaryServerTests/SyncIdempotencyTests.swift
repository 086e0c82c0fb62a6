import Foundation
import RunDiaryModels
import Testing

@Suite("Pushes are idempotent and one bad mutation never wedges a queue")
struct SyncIdempotencyTests {
    @Test func aReplayedPushChangesNothing() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "replay@example.org"))
            let id = UUID()
            let batch = [
                device.upsert(.gear, id, ["name": "Clifton"]),
                device.upsert(.gear, id, ["brand": "Hoka"]),
            ]
            let first = try await device.push(batch)
            #expect(first.results.map(\.status) == [.applied, .applied])
            #expect(first.lastMutationID == 2)
            let snapshot = try await Self.snapshot(server)
            for _ in 0..<3 {
                let again = try await device.push(batch)
                #expect(again.results.map(\.status) == [.duplicate, .duplicate])
                #expect(again.lastMutationID == 2)
                #expect(try await Self.snapshot(server) == snapshot)
            }
        }
    }

    @Test func oneInvalidMutationIsRejectedAndTheOthersApply() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "batch@example.org"))
            let good1 = UUID(), bad = UUID(), good2 = UUID()
            let response = try await device.push([
                device.upsert(.gear, good1, ["name": "Shoe A"]),
                device.upsert(
                    .painEntry, bad,
                    ["recorded_at": "2026-11-21T07:00:00Z", "body_site": "hip", "side": "left", "severity": 11, "timing": "during_run"]),
                device.upsert(.gear, good2, ["name": "Shoe B"]),
            ])
            #expect(response.results.map(\.status) == [.applied, .rejected, .applied])
            #expect(response.results[1].code?.rawValue == "out_of_range")
            #expect(response.results[1].field == "severity")
            #expect(response.lastMutationID == 3)
            try await device.pullAll()
            #expect(Set(device.records.keys) == [good1, good2])
            let rejections = try await server.send(.get, "/v1/sync/rejections", token: device.session.token)
            #expect((rejections.json["rejections"] as? [[String: Any]])?.count == 1)
            // The queue moves on: the next mutation id is accepted.
            let next = try await device.push([device.upsert(.gear, good1, ["brand": "Acme"])])
            #expect(next.results.map(\.status) == [.applied])
        }
    }

    /// Every stored row of the user's records with its version, for before/after comparisons.
    static func snapshot(_ server: TestServer) async throws -> [String] {
        let rows = try await server.database.query(
            "SELECT id::text || ':' || version || ':' || clocks::text FROM gear ORDER BY id")
        let users = try await server.database.query("SELECT version::text FROM users")
        return try rows.map { try $0.decode(String.self, at: 0) } + users.map { try $0.decode(String.self, at: 0) }
    }
}
