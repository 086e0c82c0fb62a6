import Foundation
import HTTPTypes
import Postgres
import RunDiaryModels
import RunDiaryStore
import RunDiaryTestSupport
import Testing

/// `POST /v1/sync/exchange`: a push and then a pull from the request's cursor, in one request and one transaction.
@Suite("The exchange: a push and a pull in one request")
struct SyncExchangeTests {
    /// The version a cursor the server issued names.
    static func version(of cursor: String?) throws -> Int64 {
        try #require(cursor.flatMap { SyncCursor(text: $0) }).version
    }

    /// The cursor the server recorded for a device (what it last confirmed holding).
    static func recordedCursor(_ server: TestServer, _ device: SyncDevice) async throws -> Int64 {
        try await server.database.query(
            """
            SELECT last_pulled_version FROM devices
            WHERE user_id = \(device.session.userID) AND id = \(device.session.deviceID)
            """
        ).single().decode(Int64.self, at: 0)
    }

    @Test func anExchangeStoresThePushAndAnswersThePageAPullWouldGiveAfterIt() async throws {
        try await TestServer.run { server in
            var phone = SyncDevice(server: server, session: try await server.signIn(email: "ana@example.org"))
            var tablet = SyncDevice(
                server: server, session: try await server.signIn(email: "ana@example.org", deviceName: "tablet"))
            tablet.clockForm = .shared
            var bob = SyncDevice(server: server, session: try await server.signIn(email: "bob@example.org"))
            _ = try await bob.push([bob.upsert(.gear, UUID(), ["name": "Bob's shoes"])])
            _ = try await phone.push([phone.upsert(.gear, UUID(), ["name": "Pegasus"])])
            try await tablet.pullAll()
            let start = try #require(tablet.cursor)

            let fromPhone = UUID()
            _ = try await phone.push([phone.upsert(.gear, fromPhone, ["name": "Vaporfly"])])
            let fromTablet = UUID()
            let reply = try await tablet.exchange(
                [tablet.upsert(.gear, fromTablet, ["name": "Cloudmonster"])], cursor: start)
            #expect(reply.status == .ok, "\(reply.text)")
            let answer = try reply.decode(ExchangeResponse.self)
            #expect(answer.push.results.map(\.status) == [.applied])
            #expect(answer.push.lastMutationID == 1)
            let page = answer.pull
            // The phone's change and the tablet's own, in version order; nothing of Bob's.
            #expect(page.changes.map(\.id) == [fromPhone, fromTablet])
            #expect(!page.hasMore)
            #expect(try Self.version(of: page.cursor) == page.changes.last?.version)
            // The exchange recorded the cursor the tablet sent, as a pull does.
            #expect(try await Self.recordedCursor(server, tablet) == (try Self.version(of: start)))

            // The same page a pull from the same cursor gives now, and nothing after the exchange's cursor.
            let pulled = try await server.send(.get, "/v1/sync/pull?clocks=shared&cursor=\(start)", token: tablet.session.token)
            let again = try pulled.decode(PullResponse.self)
            #expect(again.changes == page.changes)
            let after = try await server.send(.get, "/v1/sync/pull?cursor=\(page.cursor)", token: tablet.session.token)
            #expect(try after.decode(PullResponse.self).changes.isEmpty)
        }
    }

    @Test func aPageLimitLeavesTheRestToTheNextPull() async throws {
        try await TestServer.run { server in
            var phone = SyncDevice(server: server, session: try await server.signIn(email: "ana@example.org"))
            var ids: [UUID] = []
            for name in ["one", "two", "three"] {
                ids.append(UUID())
                _ = try await phone.push([phone.upsert(.gear, ids.last!, ["name": .string(name)])])
            }
            ids.append(UUID())
            let reply = try await phone.exchange([phone.upsert(.gear, ids.last!, ["name": "four"])], cursor: nil, limit: 2)
            let page = try reply.decode(ExchangeResponse.self).pull
            #expect(page.changes.map(\.id) == Array(ids.prefix(2)))
            #expect(page.hasMore)
            var rest = SyncDevice(server: server, session: phone.session)
            rest.cursor = page.cursor
            try await rest.pullAll(limit: 1)
            #expect(Set(rest.records.keys) == Set(ids.suffix(2)))
        }
    }

    @Test func aCursorThatCallsForAResetIsRefusedBeforeThePushIsStored() async throws {
        try await TestServer.run { server in
            var phone = SyncDevice(server: server, session: try await server.signIn(email: "ana@example.org"))
            _ = try await phone.push([phone.upsert(.gear, UUID(), ["name": "Pegasus"])])
            try await phone.pullAll()
            let issued = try #require(phone.cursor.flatMap { SyncCursor(text: $0) })
            let epoch = try #require(issued.epoch)
            let before = try await FoldedTokenCheckTests.footprint(server, phone.session.userID)
            // Past the account's counter (what a server restored from an older backup sees), of another epoch (a
            // database restored since), an epoch-less c1 cursor, and below the pruning mark.
            try await server.database.execute("UPDATE users SET pruned_through = 1 WHERE id = \(phone.session.userID)")
            let stale = [
                SyncCursor(epoch: epoch, version: issued.version + 100).text,
                SyncCursor(epoch: UUID(), version: issued.version).text,
                "c1." + Base64URL.encode(Array("v:\(issued.version)".utf8)),
                SyncCursor(epoch: epoch, version: 0).text,
            ]
            for cursor in stale {
                #expect(try await server.send(.get, "/v1/sync/pull?cursor=\(cursor)", token: phone.session.token).status == .gone)
                let reply = try await phone.exchange([phone.upsert(.gear, UUID(), ["name": "Vaporfly"])], cursor: cursor)
                #expect(reply.status == .gone, "\(reply.text)")
                #expect(reply.json["code"] as? String == "reset_required")
            }
            // Nothing stored, nothing acknowledged, no cursor recorded.
            #expect(try await FoldedTokenCheckTests.footprint(server, phone.session.userID) == before)
            // The cursor it was issued still continues.
            let good = try await phone.exchange([phone.upsert(.gear, UUID(), ["name": "Vaporfly"])], cursor: phone.cursor)
            #expect(good.status == .ok, "\(good.text)")
        }
    }

    /// 501 well-formed mutations: one more than a push may carry.
    static var tooManyMutations: String {
        let mutations = (1...501).map { id in
            #"{"mutation_id":\#(id),"entity":"gear","id":"\#(UUID().uuidString.lowercased())","op":"upsert","#
                + #""hlc":"2026-12-01T07:00:00.000Z-0000-0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d","fields":{"name":"x"}}"#
        }
        return #"{"schema_version":1,"mutations":["# + mutations.joined(separator: ",") + "]}"
    }

    @Test func aRequestRefusedAsAWholeStoresNothing() async throws {
        try await TestServer.run { server in
            var phone = SyncDevice(server: server, session: try await server.signIn(email: "ana@example.org"))
            _ = try await phone.push([phone.upsert(.gear, UUID(), ["name": "Pegasus"])])
            let user = phone.session.userID
            let before = try await FoldedTokenCheckTests.footprint(server, user)
            let mutation = phone.upsert(.gear, UUID(), ["name": "never"])
            let token = phone.session.token
            let cases: [(String, Data?, HTTPResponse.Status, String)] = [
                ("/v1/sync/exchange?cursor=garbage", nil, .badRequest, "invalid_cursor"),
                ("/v1/sync/exchange?limit=0", nil, .unprocessableContent, "out_of_range"),
                ("/v1/sync/exchange?limit=5001", nil, .unprocessableContent, "out_of_range"),
                ("/v1/sync/exchange?clocks=compact", nil, .unprocessableContent, "invalid_value"),
                ("/v1/sync/exchange", Data("{".utf8), .badRequest, "malformed_json"),
                ("/v1/sync/exchange", Data(Self.tooManyMutations.utf8), .contentTooLarge, "too_many_mutations"),
                (
                    "/v1/sync/exchange", Data(("{\"pad\":\"" + String(repeating: "x", count: 1_100_000) + "\"}").utf8),
                    .contentTooLarge, "payload_too_large"
                ),
                (
                    "/v1/sync/exchange", Data(#"{"schema_version":2,"mutations":[]}"#.utf8), .unprocessableContent,
                    "unsupported_schema_version"
                ),
            ]
            for (uri, raw, status, code) in cases {
                let reply =
                    if let raw {
                        try await server.send(.post, uri, token: token, raw: raw)
                    } else {
                        try await server.send(.post, uri, token: token, json: PushRequest(mutations: [mutation]))
                    }
                #expect(reply.status == status, "\(uri): \(reply.text)")
                #expect(reply.json["code"] as? String == code, "\(uri): \(reply.text)")
                #expect(reply.headers[.contentType] == "application/problem+json")
            }
            #expect(try await FoldedTokenCheckTests.footprint(server, user) == before)
        }
    }

    @Test func anOwnerOverTheRateIsToldToWaitAndNothingIsStored() async throws {
        // One request, then one per 1,000 s: the test does not depend on how fast it runs.
        try await TestServer.run(configure: {
            $0.requestsPerSecondPerUser = 0.001; $0.requestBurstPerUser = 1
        }) { server in
            var phone = SyncDevice(server: server, session: try await server.signIn(email: "busy@example.org"))
            let first = try await phone.exchange([phone.upsert(.gear, UUID(), ["name": "one"])], cursor: nil)
            #expect(first.status == .ok, "\(first.text)")
            let before = try await FoldedTokenCheckTests.footprint(server, phone.session.userID)
            let refused = try await phone.exchange([phone.upsert(.gear, UUID(), ["name": "two"])], cursor: nil)
            #expect(refused.status == .tooManyRequests, "\(refused.text)")
            #expect(refused.json["code"] as? String == "rate_limited")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 > 990)
            #expect(try await FoldedTokenCheckTests.footprint(server, phone.session.userID) == before)
        }
    }
}
