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

            // Overwrite, delete, reference: ids are per account, so a mutation naming one of Alice's ids addresses
            // Bob's own record of that id. Alice's gear id is no record of Bob's: a reference to it is refused.
            let aliceGear = UUID()
            _ = try await alice.push([alice.upsert(.gear, aliceGear, ["name": "Alice's shoe"])])
            let pushed = try await bob.push([
                bob.upsert(.run, run, ["started_at": "2026-11-22T18:00:00Z", "elapsed_s": 900, "title": "Bob was here"]),
                bob.delete(.painEntry, pain),
                bob.upsert(
                    .painEntry, UUID(),
                    [
                        "recorded_at": "2026-11-22T19:00:00Z", "body_site": "hip", "side": "left", "severity": 2,
                        "timing": "after_run", "run_id": .string(run.uuidString),
                    ]),
                bob.upsert(.run, UUID(), ["started_at": "2026-11-23T18:00:00Z", "gear_id": .string(aliceGear.uuidString)]),
            ])
            #expect(pushed.results.map(\.status) == [.applied, .applied, .applied, .rejected])
            #expect(pushed.results.map { $0.code?.rawValue } == [nil, nil, nil, "invalid_reference"])

            // Bob's diary holds his own records of those ids and nothing of Alice's.
            try await bob.pullAll()
            #expect(bob.records[run]?.fields["title"] == "Bob was here")
            #expect(bob.records[run]?.fields["elapsed_s"] == 900)
            #expect(bob.records[pain]?.deleted == true)
            #expect(bob.records[aliceGear] == nil)
            let bobPull = try await server.send(.get, "/v1/sync/pull", token: bob.session.token)
            let raw = try await server.send(.get, "/v1/sync/rejections", token: bob.session.token)
            for text in [bobPull.text, raw.text, pushed.results.compactMap(\.message).joined()] {
                #expect(!text.contains("Alice"))
                #expect(!text.contains("knee"))
                #expect(!text.contains("next_morning"))
            }
            // Bob's versions count only his own changes: nothing of Alice's numbering shows through.
            #expect(bob.records.values.map(\.version).sorted() == [1, 2, 3])

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
                (.get, "/v1/sync/pull"), (.post, "/v1/sync/push"), (.post, "/v1/sync/exchange"), (.get, "/v1/sync/conflicts"),
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
