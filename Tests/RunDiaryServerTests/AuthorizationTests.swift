import Foundation
import HTTPTypes
import RunDiaryModels
import Testing

@Suite("One user can never reach another's records")
struct AuthorizationTests {
    @Test func userBCannotReadOverwriteDeleteOrLearnOfUserAsRecords() async throws {
        try await TestServer.run { server in
            var alice = SyncDevice(server: server, session: try await server.signIn(email: "alice@example.org"))
            var bob = SyncDevice(server: server, session: try await server.signIn(email: "bob@example.org"))
            let run = UUID()
            let pain = UUID()
            _ = try await alice.push([
                alice.upsert(.run, run, ["started_at": "2026-11-20T07:30:00Z", "elapsed_s": 1800, "title": "Alice's run"]),
                alice.upsert(
                    .painEntry, pain,
                    [
                        "recorded_at": "2026-11-21T07:00:00Z", "body_site": "knee", "side": "left", "severity": 6,
                        "timing": "next_morning", "run_id": .string(run.uuidString),
                    ]),
            ])

            // Read: Bob's pull, conflicts and rejections show nothing of Alice.
            try await bob.pullAll()
            #expect(bob.records.isEmpty)
            for path in ["/v1/sync/conflicts", "/v1/sync/rejections", "/v1/devices"] {
                let reply = try await server.send(.get, path, token: bob.session.token)
                #expect(reply.status == .ok)
                #expect(!reply.text.contains(run.uuidString.lowercased()))
                #expect(!reply.text.contains(alice.session.deviceID.uuidString.lowercased()))
                #expect(!reply.text.contains("Alice"))
            }

            // Overwrite, delete, reference: pushing Alice's ids only ever touches Bob's own diary.
            let pushed = try await bob.push([
                bob.upsert(.run, run, ["title": "Bob was here"]),
                bob.delete(.painEntry, pain),
                bob.upsert(
                    .painEntry, UUID(),
                    [
                        "recorded_at": "2026-11-21T07:00:00Z", "body_site": "hip", "side": "left", "severity": 2,
                        "timing": "after_run", "run_id": .string(run.uuidString),
                    ]),
            ])
            // A patch of a record Bob does not have is an incomplete create; a reference to Alice's run is no
            // reference to a record of Bob's. Neither answer differs from the one for an id nobody has.
            #expect(pushed.results[0].status == .rejected)
            #expect(pushed.results[0].code?.rawValue == "missing_field")
            #expect(pushed.results[2].code?.rawValue == "invalid_reference")
            var stranger = SyncDevice(server: server, session: try await server.signIn(email: "carol@example.org"))
            let control = try await stranger.push([
                stranger.upsert(.run, UUID(), ["title": "Bob was here"]),
                stranger.delete(.painEntry, UUID()),
                stranger.upsert(
                    .painEntry, UUID(),
                    [
                        "recorded_at": "2026-11-21T07:00:00Z", "body_site": "hip", "side": "left", "severity": 2,
                        "timing": "after_run", "run_id": .string(UUID().uuidString),
                    ]),
            ])
            #expect(control.results.map(\.status) == pushed.results.map(\.status))
            #expect(control.results.map(\.code) == pushed.results.map(\.code))

            // Alice's records are untouched.
            var aliceAgain = SyncDevice(server: server, session: alice.session)
            try await aliceAgain.pullAll()
            #expect(aliceAgain.records[run]?.fields["title"] == "Alice's run")
            #expect(aliceAgain.records[pain]?.deleted == false)

            // Devices: Bob cannot revoke Alice's device.
            let revoke = try await server.send(.delete, "/v1/devices/\(alice.session.deviceID)", token: bob.session.token)
            #expect(revoke.status == .notFound)
            let alicePull = try await server.send(.get, "/v1/sync/pull", token: alice.session.token)
            #expect(alicePull.status == .ok)
        }
    }

    @Test func everyV1RouteNeedsAValidToken() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "tok@example.org")
            let routes: [(HTTPRequest.Method, String)] = [
                (.get, "/v1/sync/pull"), (.post, "/v1/sync/push"), (.get, "/v1/sync/conflicts"),
                (.get, "/v1/sync/rejections"), (.get, "/v1/devices"), (.post, "/v1/auth/logout"),
            ]
            for (method, path) in routes {
                for token in [nil, "rdt_unknown", "Bearer", session.token + "x"] as [String?] {
                    let reply = try await server.send(method, path, token: token)
                    #expect(reply.status == .unauthorized, "\(path) with \(token ?? "no token")")
                    #expect(reply.json["code"] as? String == "unauthorized")
                    #expect(reply.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }
}
