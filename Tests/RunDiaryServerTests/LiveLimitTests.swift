import Foundation
import HTTPTypes
import Postgres
import RunDiaryModels
import RunDiaryServer
import RunDiaryStore
import RunDiaryTestSupport
import Testing

@Suite("Live sync: streams end when their device may no longer sync, and the limits hold")
struct LiveLimitTests {
    @Test("revoking the device, logging out or disabling the account ends its streams with signed_out")
    func signedOutStreamsEnd() async throws {
        try await TestServer.run(configure: { $0.liveTokenCheckSeconds = 1 }) { server in
            let phone = try await server.signIn(email: "owner@example.org", deviceName: "phone")
            let tablet = try await server.signIn(email: "owner@example.org", deviceName: "tablet")
            let watch = try await server.signIn(email: "owner@example.org", deviceName: "watch")
            let other = try await server.signIn(email: "other@example.org", deviceName: "phone")
            let tabletStream = try await server.stream(tablet)
            let watchStream = try await server.stream(watch)
            let phoneStream = try await server.stream(phone)
            let otherStream = try await server.stream(other)
            defer { [tabletStream, watchStream, phoneStream, otherStream].forEach { $0.close() } }

            // The phone revokes the tablet.
            #expect(try await server.send(.delete, "/v1/devices/\(tablet.deviceID)", token: phone.token).status == .noContent)
            #expect(await tabletStream.next()?.type == "signed_out")
            #expect(await tabletStream.waitUntilClosed())
            // The watch signs out.
            #expect(try await server.send(.post, "/v1/auth/logout", token: watch.token).status == .noContent)
            #expect(await watchStream.next()?.type == "signed_out")
            #expect(await watchStream.waitUntilClosed())
            // An administrator disables the account.
            try await AdminStore(client: server.database).setDisabled(email: "owner@example.org", true)
            #expect(await phoneStream.next()?.type == "signed_out")
            #expect(await phoneStream.waitUntilClosed())
            // Another account's stream is untouched.
            #expect(!otherStream.closed)
            try await server.waitForLive("one stream left") { _, streams, _ in streams == 1 }
        }
    }

    @Test("an account holding more streams than its limit has its oldest closed")
    func perAccountLimit() async throws {
        try await TestServer.run(configure: { $0.maxStreamsPerAccount = 2 }) { server in
            var pair = try await DevicePair(server, email: "many@example.org")
            let oldest = try await server.stream(pair.listener.session)
            let middle = try await server.stream(pair.listener.session)
            let newest = try await server.stream(pair.pusher.session)
            defer { [oldest, middle, newest].forEach { $0.close() } }
            let closing = try #require(await oldest.next())
            #expect(closing.type == "closed")
            #expect(closing.data == #"{"reason":"too_many_streams"}"#)
            #expect(await oldest.waitUntilClosed())
            try await pair.pushRun()
            #expect(await middle.next()?.version == 1)
            #expect(await newest.next()?.version == 1)
            try await server.waitForLive("two streams") { _, streams, _ in streams == 2 }
        }
    }

    @Test("open streams hold no database connection: twelve streams on a pool of two, and every one hears a push")
    func streamsHoldNoConnection() async throws {
        try await TestServer.run(configure: {
            $0.databasePoolSize = 2
            $0.maxStreamsPerAccount = 12
        }) { server in
            var pair = try await DevicePair(server, email: "pool@example.org")
            try await server.waitForLive("listening") { listener, _, _ in listener == "listening" }
            var streams: [EventStreamReader] = []
            defer { streams.forEach { $0.close() } }
            for index in 0..<12 {
                streams.append(try await server.stream(index.isMultiple(of: 2) ? pair.listener.session : pair.pusher.session))
            }
            #expect(streams.map(\.status) == Array(repeating: 200, count: 12))
            try await server.waitForLive("twelve streams") { _, streams, _ in streams == 12 }
            // The pool's two connections and the instance's one LISTEN connection: nothing per stream.
            let connections = try await server.database.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'"
            ).single().decode(Int.self, at: 0)
            #expect(connections <= 3, "\(connections) connections for 12 streams")
            try await pair.pushRun()
            for stream in streams { #expect(await stream.next()?.version == 1) }
        }
    }

    @Test("an instance holding its most streams and long-polls answers 503 with Retry-After")
    func perInstanceLimit() async throws {
        try await TestServer.run(configure: { $0.maxStreams = 1 }) { server in
            let session = try await server.signIn(email: "full@example.org")
            let held = try await server.stream(session)
            defer { held.close() }
            #expect(held.status == 200)

            let refused = try await server.stream(session)
            defer { refused.close() }
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "10")
            #expect(await refused.wholeBody().contains(#""code":"too_many_streams""#))
            let poll = try await server.send(.get, "/v1/sync/pull?wait=5", token: session.token)
            #expect(poll.status == .serviceUnavailable)
            #expect(poll.json["code"] as? String == "too_many_streams")
            // A plain pull is never refused for it.
            #expect(try await server.send(.get, "/v1/sync/pull", token: session.token).status == .ok)

            held.close()
            try await server.waitForLive("the stream's departure noticed") { _, streams, _ in streams == 0 }
            let again = try await server.stream(session)
            defer { again.close() }
            #expect(again.status == 200)
        }
    }
}

@Suite("Live sync: the long-poll")
struct LongPollTests {
    @Test("a long-poll answers at once with the changes there are")
    func answersAtOnce() async throws {
        try await TestServer.run { server in
            var pair = try await DevicePair(server, email: "poll-now@example.org")
            let id = try await pair.pushRun()
            let reply = try await server.send(.get, "/v1/sync/pull?wait=30", token: pair.listener.session.token)
            let page = try reply.decode(PullResponse.self)
            #expect(page.changes.map(\.id) == [id])
            #expect(!page.hasMore)
        }
    }

    /// The long-poll reads again only when woken by a notice; once `wait` runs out it answers the (empty) page of its
    /// first read. So a reply carrying the record pushed while it waited shows it was woken by that push.
    @Test("a waiting long-poll is woken by a push and answers with the pushed record")
    func answersAfterAPush() async throws {
        try await TestServer.run { server in
            var pair = try await DevicePair(server, email: "poll-wait@example.org")
            try await pair.listener.pullAll()
            let cursor = try #require(pair.listener.cursor)
            let token = pair.listener.session.token
            let poll = Task { try await server.sendAlone("GET", "/v1/sync/pull?cursor=\(cursor)&wait=30", token: token) }
            try await server.waitForLive("the long-poll waiting") { _, _, longPolls in longPolls == 1 }
            let id = try await pair.pushRun()
            let reply = try await poll.value
            #expect(reply.status == .ok)
            let page = try reply.decode(PullResponse.self)
            #expect(page.changes.map(\.id) == [id])
            #expect(page.cursor != cursor)
            try await server.waitForLive("the long-poll gone") { _, _, longPolls in longPolls == 0 }
        }
    }

    @Test("a long-poll that hears nothing waits, then answers an empty page with the same cursor")
    func emptyAfterWait() async throws {
        try await TestServer.run { server in
            var pair = try await DevicePair(server, email: "poll-empty@example.org")
            try await pair.pushRun()
            try await pair.listener.pullAll()
            let cursor = try #require(pair.listener.cursor)
            let token = pair.listener.session.token
            let poll = Task { try await server.sendAlone("GET", "/v1/sync/pull?cursor=\(cursor)&wait=3", token: token) }
            // It waits (rather than answering at once), and is counted while it does.
            try await server.waitForLive("the long-poll waiting") { _, _, longPolls in longPolls == 1 }
            let reply = try await poll.value
            #expect(reply.status == .ok)
            let page = try reply.decode(PullResponse.self)
            #expect(page.changes.isEmpty)
            #expect(page.cursor == cursor)
            #expect(!page.hasMore)
            try await server.waitForLive("the long-poll gone") { _, _, longPolls in longPolls == 0 }
        }
    }

    @Test("wait out of range or not a whole number is refused with problem+json")
    func waitOutOfRange() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "poll-bad@example.org")
            for (wait, code) in [("31", "out_of_range"), ("-1", "out_of_range"), ("soon", "invalid_type"), ("1.5", "invalid_type")] {
                let reply = try await server.send(.get, "/v1/sync/pull?wait=\(wait)", token: session.token)
                #expect(reply.status == .unprocessableContent, "wait=\(wait)")
                #expect(reply.headers[.contentType] == "application/problem+json")
                #expect(reply.json["code"] as? String == code, "wait=\(wait)")
            }
        }
    }
}
