import Foundation
import Postgres
import RunDiaryModels
import Testing

@Suite("Pull cursors: paging, recorded positions and resets")
struct SyncCursorTests {
    @Test func pagesCoverEveryChangeOnceAndTheLatestStateOnly() async throws {
        try await TestServer.run { server in
            var writer = SyncDevice(server: server, session: try await server.signIn(email: "pages@example.org"))
            let ids = (0..<23).map { _ in UUID() }
            _ = try await writer.push(ids.map { writer.upsert(.gear, $0, ["name": "v1"]) })
            // Change a third of them again: each still appears once, at its latest state.
            _ = try await writer.push(ids.prefix(8).map { writer.upsert(.gear, $0, ["name": "v2"]) })
            var reader = SyncDevice(server: server, session: try await server.signIn(email: "pages@example.org", deviceName: "reader"))
            let pages = try await reader.pullAll(limit: 5)
            #expect(pages == 5)
            #expect(reader.records.count == 23)
            #expect(ids.prefix(8).allSatisfy { reader.records[$0]?.fields["name"] == "v2" })
            #expect(ids.suffix(15).allSatisfy { reader.records[$0]?.fields["name"] == "v1" })
            // Nothing new: the same cursor comes back with no changes.
            let again = try await server.send(.get, "/v1/sync/pull?cursor=\(reader.cursor!)", token: reader.session.token)
            let page = try again.decode(PullResponse.self)
            #expect(page.changes.isEmpty)
            #expect(page.cursor == reader.cursor)
            #expect(!page.hasMore)
        }
    }

    @Test func theDevicesConfirmedCursorIsRecorded() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "cursor@example.org"))
            _ = try await device.push([device.upsert(.gear, UUID(), ["name": "a"])])
            try await device.pullAll()
            // The next pull sends the cursor: the server now knows the device holds everything up to it.
            try await device.pullAll()
            let list = try await server.send(.get, "/v1/devices", token: device.session.token)
            let entry = try #require((list.json["devices"] as? [[String: Any]])?.first)
            #expect(entry["last_pulled_cursor"] as? String == device.cursor)
            #expect(entry["last_pulled_at"] is String)
        }
    }

    @Test func aCursorBehindThePruningHorizonMustReset() async throws {
        try await TestServer.run { server in
            var device = SyncDevice(server: server, session: try await server.signIn(email: "reset@example.org"))
            let gone = UUID()
            _ = try await device.push([device.upsert(.gear, gone, ["name": "old"]), device.upsert(.gear, UUID(), ["name": "kept"])])
            try await device.pullAll()
            let stale = try #require(device.cursor)
            _ = try await device.push([device.delete(.gear, gone)])
            // What `rundiary prune` does: drop the tombstone and raise the horizon past it.
            try await server.database.execute("DELETE FROM gear WHERE deleted_hlc IS NOT NULL")
            try await server.database.execute("UPDATE users SET pruned_through = version")
            let reply = try await server.send(.get, "/v1/sync/pull?cursor=\(stale)", token: device.session.token)
            #expect(reply.status == .gone)
            #expect(reply.json["code"] as? String == "reset_required")
            let fresh = try await server.send(.get, "/v1/sync/pull", token: device.session.token)
            #expect(fresh.status == .ok)
            #expect(try fresh.decode(PullResponse.self).changes.count == 1)
            // A cursor from the future (another database, a restored backup) must reset too.
            let future = "c1." + Data("v:999999".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            #expect(try await server.send(.get, "/v1/sync/pull?cursor=\(future)", token: device.session.token).status == .gone)
        }
    }
}
