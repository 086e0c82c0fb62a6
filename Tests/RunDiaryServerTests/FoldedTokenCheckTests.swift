import Foundation
import HTTPTypes
import Postgres
import RunDiaryModels
import Testing

/// The sync push and pull check a known token inside their own first statement: over HTTP, a token that stopped being
/// valid, or an owner over the rate, gets the same answers as on every other route, and nothing is written.
@Suite("Token checks of the sync push and pull, over HTTP")
struct FoldedTokenCheckTests {
    /// A record count and the device rows' bookkeeping of one user, to show that refused requests wrote nothing.
    static func footprint(_ server: TestServer, _ user: UUID) async throws -> String {
        try await server.database.query(
            """
            SELECT concat_ws(' ', u.version, (SELECT count(*) FROM gear g WHERE g.user_id = u.id),
                             (SELECT string_agg(concat_ws('/', d.last_mutation_id, d.last_pulled_version, d.last_pulled_at), ','
                                                ORDER BY d.id)
                              FROM devices d WHERE d.user_id = u.id))
            FROM users u WHERE u.id = \(user)
            """
        ).single().decode(String.self, at: 0)
    }

    @Test(arguments: ["tokens revoked", "user disabled"])
    func aKnownTokenThatIsNoLongerValidIsRefusedOnPushPullAndExchangeAndWritesNothing(_ how: String) async throws {
        try await TestServer.run { server in
            // Four devices of one user, each known to the server (each has pushed and pulled).
            var devices: [SyncDevice] = []
            for name in ["phone", "tablet", "watch", "laptop"] {
                var device = SyncDevice(
                    server: server, session: try await server.signIn(email: "ana@example.org", deviceName: name))
                _ = try await device.push([device.upsert(.gear, UUID(), ["name": .string(name)])])
                try await device.pullAll()
                devices.append(device)
            }
            let user = devices[0].session.userID
            if how == "tokens revoked" {
                try await server.database.execute("UPDATE tokens SET revoked_at = now() WHERE user_id = \(user)")
            } else {
                try await server.database.execute("UPDATE users SET disabled_at = now() WHERE id = \(user)")
            }
            let before = try await Self.footprint(server, user)

            // A push the route would refuse before its statement (a body that is not JSON): the token is checked
            // first, and a caller whose token is not valid learns nothing else.
            let malformed = try await server.send(.post, "/v1/sync/push", token: devices[0].session.token, raw: Data("{".utf8))
            #expect(malformed.status == .unauthorized, "\(malformed.text)")
            #expect(malformed.json["code"] as? String == "unauthorized")
            // A well-formed push and a pull: refused by their own statements.
            let push = try await server.send(
                .post, "/v1/sync/push", token: devices[1].session.token,
                json: PushRequest(mutations: [devices[1].upsert(.gear, UUID(), ["name": "after"])]))
            #expect(push.status == .unauthorized, "\(push.text)")
            let pull = try await server.send(.get, "/v1/sync/pull?limit=10", token: devices[2].session.token)
            #expect(pull.status == .unauthorized, "\(pull.text)")
            // An exchange: refused by its push's opening statement.
            let exchange = try await devices[3].exchange([devices[3].upsert(.gear, UUID(), ["name": "after"])], cursor: nil)
            #expect(exchange.status == .unauthorized, "\(exchange.text)")
            // A long-poll too, at once.
            let poll = try await server.send(.get, "/v1/sync/pull?wait=20", token: devices[2].session.token)
            #expect(poll.status == .unauthorized, "\(poll.text)")
            #expect(try await Self.footprint(server, user) == before)
            // Every later request too.
            for device in devices {
                #expect(try await server.send(.get, "/v1/sync/pull", token: device.session.token).status == .unauthorized)
            }
        }
    }

    @Test func anOwnerOverTheRateIsToldToWaitOnPushAndPullAndTheRefusedPushWritesNothing() async throws {
        // Three requests, then one per 1,000 s: the test does not depend on how fast it runs.
        try await TestServer.run(configure: {
            $0.requestsPerSecondPerUser = 0.001; $0.requestBurstPerUser = 3
        }) { server in
            var phone = SyncDevice(server: server, session: try await server.signIn(email: "busy@example.org"))
            _ = try await phone.push([phone.upsert(.gear, UUID(), ["name": "one"])])
            try await phone.pullAll()
            _ = try await phone.push([phone.upsert(.gear, UUID(), ["name": "two"])])
            let before = try await Self.footprint(server, phone.session.userID)

            let push = try await server.send(
                .post, "/v1/sync/push", token: phone.session.token,
                json: PushRequest(mutations: [phone.upsert(.gear, UUID(), ["name": "three"])]))
            #expect(push.status == .tooManyRequests, "\(push.text)")
            #expect(push.json["code"] as? String == "rate_limited")
            let wait = Int(push.headers[.retryAfter] ?? "") ?? 0
            #expect(wait > 990 && wait <= 1_000, "Retry-After: \(wait)")
            let pull = try await server.send(.get, "/v1/sync/pull", token: phone.session.token)
            #expect(pull.status == .tooManyRequests, "\(pull.text)")
            #expect(Int(pull.headers[.retryAfter] ?? "") ?? 0 > 990)
            #expect(try await Self.footprint(server, phone.session.userID) == before)
            #expect(before.hasPrefix("2 2 "), "two records: \(before)")
            // Another user is not affected.
            var calm = SyncDevice(server: server, session: try await server.signIn(email: "calm@example.org"))
            _ = try await calm.push([calm.upsert(.gear, UUID(), ["name": "calm"])])
            #expect(try await calm.pullAll() == 1)
        }
    }
}
