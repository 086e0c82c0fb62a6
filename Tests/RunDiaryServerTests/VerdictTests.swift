import Foundation
import HTTPTypes
import Postgres
import RunDiaryModels
import Testing

@Suite("Every verdict is true: duplicate only for a mutation the server can show it has seen")
struct VerdictTests {
    private static func push(_ server: TestServer, _ token: String, _ text: String) async throws -> TestServer.Reply {
        try await server.send(.post, "/v1/sync/push", token: token, raw: Data(text.utf8))
    }

    private static func issue(_ reply: TestServer.Reply) -> (field: String?, code: String?) {
        let first = (reply.json["errors"] as? [[String: Any]])?.first
        return (first?["field"] as? String, first?["code"] as? String)
    }

    private static func storedRecords(_ server: TestServer, _ userID: UUID) async throws -> Int64 {
        try await server.database.query("SELECT count(*) FROM gear WHERE user_id = \(userID)").single().decode(Int64.self, at: 0)
    }

    @Test("mutation id 0 or negative from a new device is refused whole; nothing is stored or acknowledged")
    func idsStartAtOne() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "zero@example.org"))
            for id in [0, -1, Int64.min] {
                var mutation = device.upsert(.gear, UUID(), ["name": "Trainers"])
                mutation.mutationID = id
                let reply = try await server.send(
                    .post, "/v1/sync/push", token: device.session.token, json: PushRequest(mutations: [mutation]))
                #expect(reply.status == .unprocessableContent, "\(reply.text)")
                #expect(Self.issue(reply).field == "mutations[0].mutation_id")
                #expect(Self.issue(reply).code == "out_of_range")
            }
            #expect(try await Self.storedRecords(server, device.session.userID) == 0)
            let acknowledged = try await server.database.query(
                "SELECT last_mutation_id FROM devices WHERE id = \(device.session.deviceID)"
            ).single().decode(Int64.self, at: 0)
            #expect(acknowledged == 0)
        }
    }

    @Test("ids that go down inside a batch refuse the batch, naming the mutation; nothing of it is stored")
    func idsGrowWithinABatch() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "down@example.org"))
            let first = device.upsert(.gear, UUID(), ["name": "A"])
            let second = device.upsert(.gear, UUID(), ["name": "B"])
            let reply = try await server.send(
                .post, "/v1/sync/push", token: device.session.token, json: PushRequest(mutations: [second, first]))
            #expect(reply.status == .unprocessableContent)
            #expect(Self.issue(reply).field == "mutations[1].mutation_id")
            let repeated = try await server.send(
                .post, "/v1/sync/push", token: device.session.token, json: PushRequest(mutations: [first, first]))
            #expect(repeated.status == .unprocessableContent)
            #expect(try await Self.storedRecords(server, device.session.userID) == 0)
        }
    }

    @Test("a retried push is all duplicates; an id reused for other content, or from before the window, is a kept rejection")
    func reusedIDsAreRejectedNotDuplicates() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "reuse@example.org"))
            let batch = (0..<3).map { _ in device.upsert(.gear, UUID(), ["name": "Original"]) }
            #expect(try await device.push(batch).results.allSatisfy { $0.status == .applied })
            // The answer was lost and the device sends the same batch again: nothing changes.
            let retry = try await device.push(batch)
            #expect(retry.results.map(\.status) == [.duplicate, .duplicate, .duplicate])
            #expect(retry.lastMutationID == 3)

            // The device's numbering went backwards (a restored backup of the app): id 2 again, for new content.
            var reused = device.upsert(.gear, UUID(), ["name": "New content"])
            reused.mutationID = 2
            let answer = try await device.push([reused])
            #expect(answer.results.first?.status == .rejected)
            #expect(answer.results.first?.code == .mutationIDReused)
            #expect(answer.results.first?.field == "mutation_id")
            #expect(try await Self.storedRecords(server, device.session.userID) == 3, "the new content was not applied")
            let kept = try await server.send(.get, "/v1/sync/rejections", token: device.session.token)
            let rows = kept.json["rejections"] as? [[String: Any]] ?? []
            #expect(rows.first?["code"] as? String == "mutation_id_reused")
            #expect(((rows.first?["mutation"] as? [String: Any])?["fields"] as? [String: Any])?["name"] as? String == "New content")

            // A device row from before the window existed (or a mutation older than it) cannot be shown: rejected.
            try await server.database.execute("UPDATE devices SET acknowledged = '' WHERE id = \(device.session.deviceID)")
            try await server.database.execute("DELETE FROM device_acknowledgements WHERE device_id = \(device.session.deviceID)")
            let old = try await device.push([batch[0]])
            #expect(old.results.first?.code == .mutationIDReused)

            // The queue carries on.
            let next = device.upsert(.gear, UUID(), ["name": "Later"])
            #expect(try await device.push([next]).results.first?.status == .applied)
        }
    }

    @Test("a batch that repeats acknowledged mutations before new ones gets duplicates, then verdicts for the new")
    func retryWithMore() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "more@example.org"))
            let first = (0..<2).map { _ in device.upsert(.gear, UUID(), ["name": "One"]) }
            _ = try await device.push(first)
            let more = first + (0..<2).map { _ in device.upsert(.gear, UUID(), ["name": "Two"]) }
            let answer = try await device.push(more)
            #expect(answer.results.map(\.status) == [.duplicate, .duplicate, .applied, .applied])
            // Sent a third time, concurrently with itself: every copy is all duplicates.
            let sender = device
            async let a = sender.push(more)
            async let b = sender.push(more)
            let (ra, rb) = try await (a, b)
            #expect((ra.results + rb.results).allSatisfy { $0.status == .duplicate })
        }
    }

    @Test("a mutation_id that is not an integer is 422 with its path; a key twice in an object is 422 duplicate_key")
    func malformedBatches() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "shape@example.org")
            let id = UUID().uuidString
            for value in [#""1""#, "1.5", "true", "{}", "1e2"] {
                let reply = try await Self.push(
                    server, session.token,
                    #"{"schema_version": 1, "mutations": [{"mutation_id": \#(value), "entity": "gear", "id": "\#(id)", "op": "delete", "hlc": "x"}]}"#
                )
                #expect(reply.status == .unprocessableContent, "\(value)")
                #expect(Self.issue(reply).field == "mutations[0].mutation_id", "\(value)")
                #expect(Self.issue(reply).code == "invalid_type", "\(value)")
            }
            let twice = try await Self.push(
                server, session.token,
                #"{"schema_version": 1, "mutations": [{"mutation_id": 1, "entity": "gear", "id": "\#(id)", "op": "upsert", "hlc": "x", "fields": {"name": "a", "name": "b"}}]}"#
            )
            #expect(twice.status == .unprocessableContent)
            #expect(twice.json["code"] as? String == "duplicate_key")
            #expect(Self.issue(twice).field == "mutations[0].fields.name")
            for route in ["/v1/shares", "/v1/auth/login", "/v1/auth/register"] {
                let reply = try await server.send(
                    .post, route, token: session.token, raw: Data(#"{"label": "a", "label": "b", "email": "x"}"#.utf8))
                #expect(reply.status == .unprocessableContent, "\(route)")
                #expect(reply.json["code"] as? String == "duplicate_key", "\(route)")
            }
        }
    }
}
