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
    @Test("a long-poll answers at once when there are changes")
    func answersAtOnce() async throws {
        try await TestServer.run { server in
            var pair = try await DevicePair(server, email: "poll-now@example.org")
            let id = try await pair.pushRun()
            let started = ContinuousClock.now
            let reply = try await server.send(.get, "/v1/sync/pull?wait=30", token: pair.listener.session.token)
            #expect(ContinuousClock.now - started < .seconds(20), "answered without waiting out `wait`")
            let page = try reply.decode(PullResponse.self)
            #expect(page.changes.map(\.id) == [id])
        }
    }

    @Test("a waiting long-poll answers soon after a push, with the pushed record")
    func answersAfterAPush() async throws {
        try await TestServer.run { server in
            var pair = try await DevicePair(server, email: "poll-wait@example.org")
            try await pair.listener.pullAll()
            let cursor = try #require(pair.listener.cursor)
            let token = pair.listener.session.token
            let started = ContinuousClock.now
            let poll = Task { try await server.sendAlone("GET", "/v1/sync/pull?cursor=\(cursor)&wait=30", token: token) }
            try await server.waitForLive("the long-poll waiting") { _, _, longPolls in longPolls == 1 }
            let id = try await pair.pushRun()
            let reply = try await poll.value
            #expect(ContinuousClock.now - started < .seconds(20), "woken by the push, not by `wait` running out")
            #expect(reply.status == .ok)
            let page = try reply.decode(PullResponse.self)
            #expect(page.changes.map(\.id) == [id])
            #expect(page.cursor != cursor)
            try await server.waitForLive("the long-poll gone") { _, _, longPolls in longPolls == 0 }
        }
    }

    @Test("a long-poll that hears nothing answers an empty page with the same cursor once `wait` passes")
    func emptyAfterWait() async throws {
        try await TestServer.run { server in
            var pair = try await DevicePair(server, email: "poll-empty@example.org")
            try await pair.pushRun()
            try await pair.listener.pullAll()
            let cursor = try #require(pair.listener.cursor)
            let started = ContinuousClock.now
            let reply = try await server.send(.get, "/v1/sync/pull?cursor=\(cursor)&wait=1", token: pair.listener.session.token)
            #expect(ContinuousClock.now - started >= .seconds(1), "it waited")
            let page = try reply.decode(PullResponse.self)
            #expect(page.changes.isEmpty)
            #expect(page.cursor == cursor)
            #expect(!page.hasMore)
        }
    }

    @Test("wait out of range or not a number is refused with problem+json")
    func waitOutOfRange() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "poll-bad@example.org")
            for wait in ["31", "-1", "soon", "1.5"] {
                let reply = try await server.send(.get, "/v1/sync/pull?wait=\(wait)", token: session.token)
                #expect(reply.status == .unprocessableContent, "wait=\(wait)")
                #expect(reply.headers[.contentType] == "application/problem+json")
                #expect(reply.json["code"] as? String == "out_of_range")
            }
        }
    }
}
