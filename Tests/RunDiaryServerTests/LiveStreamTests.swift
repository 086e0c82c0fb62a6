import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import RunDiaryModels
import RunDiaryServer
import RunDiaryStore
import RunDiaryTestSupport
import Testing

/// Two devices of one account, as the live tests use them: A pushes, B listens.
struct DevicePair {
    var pusher: SyncDevice
    var listener: SyncDevice

    init(_ server: TestServer, email: String) async throws {
        pusher = SyncDevice(server: server, session: try await server.signIn(email: email, deviceName: "phone"))
        listener = SyncDevice(server: server, session: try await server.signIn(email: email, deviceName: "tablet"))
    }

    /// A's push of one new run; returns the run's id.
    @discardableResult
    mutating func pushRun() async throws -> UUID {
        let id = UUID()
        _ = try await pusher.push([pusher.upsert(.run, id, ["started_at": "2026-11-20T07:30:00Z", "elapsed_s": 1800])])
        return id
    }
}

extension EventStreamReader.Event {
    /// The version a `changed` event announces.
    var version: Int64? {
        guard type == "changed", let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any]
        else { return nil }
        return (object["version"] as? NSNumber)?.int64Value
    }
}

@Suite("Live sync: a device's stream hears of its account's changes")
struct LiveStreamTests {
    @Test("device B's stream hears of device A's push, and B's pull then returns A's record")
    func streamHearsAPush() async throws {
        try await TestServer.run { server in
            var pair = try await DevicePair(server, email: "stream@example.org")
            try await pair.listener.pullAll()
            let stream = try await server.stream(pair.listener.session, cursor: pair.listener.cursor)
            defer { stream.close() }
            #expect(stream.status == 200, "\(stream.head)")
            #expect(stream.header("Content-Type") == "text/event-stream")
            #expect(stream.header("Cache-Control") == "no-store")
            #expect(stream.header("X-Accel-Buffering") == "no")

            let id = try await pair.pushRun()
            let event = try #require(await stream.next())
            #expect(event.type == "changed")
            #expect(event.data == #"{"version":1}"#)
            #expect(stream.retryMilliseconds == 3000)
            try await pair.listener.pullAll()
            #expect(pair.listener.records[id] != nil, "the pull brings A's record")
            #expect(event.id == pair.listener.cursor, "the event's id is the cursor of the version it announces")

            // The stream stays open for the next change.
            try await pair.pushRun()
            #expect(await stream.next()?.version == 2)
        }
    }

    @Test("with two server instances on one database, a push to one reaches a stream held by the other")
    func fanOutAcrossInstances() async throws {
        try await TestServer.run { first in
            var logger = Logger(label: "rundiary-test-second")
            logger.logLevel = .warning
            let second = buildApplication(
                configuration: TestServer.testConfiguration, client: first.database, migrations: try TestDatabase.migrations(),
                logger: logger)
            try await second.test(.live) { client in
                let other = TestServer(client: client, database: first.database, databaseURL: first.databaseURL)
                var pair = try await DevicePair(first, email: "instances@example.org")
                try await other.waitForLive("the second instance's listener") { listener, _, _ in listener == "listening" }
                let stream = try await other.stream(pair.listener.session)
                defer { stream.close() }
                #expect(stream.status == 200)
                let id = try await pair.pushRun()
                #expect(await stream.next()?.version == 1)
                // The device pulls from the instance it streams from.
                pair.listener = SyncDevice(server: other, session: pair.listener.session)
                try await pair.listener.pullAll()
                #expect(pair.listener.records[id] != nil)
            }
        }
    }

    @Test("a push that yields only duplicates sends nothing, nor does a push transaction that rolls back")
    func onlyAdvancesAreAnnounced() async throws {
        try await TestServer.run { server in
            var pair = try await DevicePair(server, email: "quiet@example.org")
            let notices = ListenerProbe(url: server.databaseURL, channels: [ChangeNotice.channel])
            try await notices.running {
                try await notices.waitUntil("listening") { $0.listening >= 1 }
                try await server.waitForLive("the server's listener") { listener, _, _ in listener == "listening" }
                let stream = try await server.stream(pair.listener.session)
                defer { stream.close() }
                let userID = pair.pusher.session.userID

                let first = pair.pusher.upsert(.gear, UUID(), ["name": "Trail shoe"])
                _ = try await pair.pusher.push([first])
                #expect(await stream.next()?.version == 1)
                // The same push again: every mutation is a duplicate, the version stays, nobody is told.
                let again = try await pair.pusher.push([first])
                #expect(again.results.map(\.status) == [.duplicate])

                // A push whose transaction fails at commit (a deferred check planted for this test) rolls back,
                // and its notice with it.
                try await server.database.execute(
                    """
                    CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS
                    $$ BEGIN RAISE EXCEPTION 'rolled back for the test'; END $$
                    """)
                try await server.database.execute(
                    """
                    CREATE CONSTRAINT TRIGGER fail_at_commit AFTER UPDATE ON users DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION fail_at_commit()
                    """)
                let failed = try await server.send(
                    .post, "/v1/sync/push", token: pair.pusher.session.token,
                    json: PushRequest(mutations: [pair.pusher.upsert(.gear, UUID(), ["name": "Lost shoe"])]))
                #expect(failed.status.code >= 500)
                #expect(await stream.events(for: .seconds(1)).isEmpty, "neither the duplicate nor the rollback is announced")
                try await server.database.execute("DROP TRIGGER fail_at_commit ON users")

                _ = try await pair.pusher.push([pair.pusher.upsert(.gear, UUID(), ["name": "Road shoe"])])
                #expect(await stream.next()?.version == 2)
                try await notices.waitUntil("the second notice") { $0.notifications.count >= 2 }
                #expect(
                    notices.payloads == [
                        ChangeNotice(userID: userID, version: 1).payload, ChangeNotice(userID: userID, version: 2).payload,
                    ])
            }
        }
    }

    @Test("a stream opened behind the account hears at once; one at the account's version hears nothing until a push")
    func openingPosition() async throws {
        try await TestServer.run { server in
            var pair = try await DevicePair(server, email: "position@example.org")
            try await pair.pushRun()
            try await pair.pushRun()
            try await pair.listener.pullAll()
            let atVersion = try #require(pair.listener.cursor)
            let epoch = try #require(SyncCursor(text: atVersion)?.epoch)
            let behind = SyncCursor(epoch: epoch, version: 1).text

            // Reconnecting with a Last-Event-ID behind the account: the account's version at once.
            let reconnected = try await server.stream(pair.listener.session, lastEventID: behind)
            defer { reconnected.close() }
            let first = try #require(await reconnected.next())
            #expect(first.version == 2)
            #expect(first.id == atVersion)
            // A cursor behind, too.
            let fromCursor = try await server.stream(pair.listener.session, cursor: behind)
            defer { fromCursor.close() }
            #expect(await fromCursor.next()?.version == 2)
            // The newer of the two counts.
            let both = try await server.stream(pair.listener.session, cursor: behind, lastEventID: atVersion)
            defer { both.close() }
            // At the account's version: nothing, until the next change.
            let current = try await server.stream(pair.listener.session, lastEventID: atVersion)
            defer { current.close() }
            #expect(await current.events(for: .seconds(1)).isEmpty)
            #expect(await both.events(for: .milliseconds(200)).isEmpty)
            try await pair.pushRun()
            #expect(await current.next()?.version == 3)
            #expect(await both.next()?.version == 3)
        }
    }

    @Test("a stream whose cursor is ahead of the account (a restored database) is told the account's version at once")
    func cursorAheadOfTheAccount() async throws {
        try await TestServer.run { server in
            var pair = try await DevicePair(server, email: "restored@example.org")
            try await pair.pushRun()
            try await pair.listener.pullAll()
            let epoch = try #require(pair.listener.cursor.flatMap { SyncCursor(text: $0)?.epoch })
            let stream = try await server.stream(pair.listener.session, cursor: SyncCursor(epoch: epoch, version: 40).text)
            defer { stream.close() }
            #expect(await stream.next()?.version == 1, "so that the device pulls, and is told to reset")
            // A cursor of another epoch (issued before a restore) is no position in this history: told at once too.
            let otherEpoch = SyncCursor(epoch: UUID(), version: 1).text
            let restored = try await server.stream(pair.listener.session, lastEventID: otherEpoch)
            defer { restored.close() }
            #expect(await restored.next()?.version == 1)
        }
    }

    @Test("a burst of changes becomes a few events, the last carrying the newest version")
    func burstsCoalesce() async throws {
        try await TestServer.run { server in
            let pair = try await DevicePair(server, email: "burst@example.org")
            let stream = try await server.stream(pair.listener.session)
            defer { stream.close() }
            let userID = pair.listener.session.userID
            // 200 versions announced by one commit: they reach the listener together.
            try await server.database.withTransaction { connection in
                try await connection.execute("UPDATE users SET version = 200 WHERE id = \(userID)")
                for version in 1...200 {
                    try await ChangeNotice(userID: userID, version: Int64(version)).announce(on: connection)
                }
            }
            var events = [try #require(await stream.next())]
            while events.last?.version != 200, let event = await stream.next(timeout: .seconds(5)) { events.append(event) }
            #expect(events.last?.version == 200)
            #expect(events.count <= 5, "\(events.count) events for one burst")
        }
    }

    /// The stream is held by a second instance whose timeouts are 1 s and that nothing else talks to; sign-in and
    /// push go to the first, whose timeouts are long, so that no request of the test's own client has to beat 1 s.
    @Test("heartbeats keep a quiet stream open past the connection's header and body timeouts")
    func heartbeats() async throws {
        try await TestServer.run { first in
            var configuration = TestServer.testConfiguration
            configuration.liveHeartbeatSeconds = 1
            configuration.headerTimeoutSeconds = 1
            configuration.bodyTimeoutSeconds = 1
            var logger = Logger(label: "rundiary-test-heartbeat")
            logger.logLevel = .warning
            let streaming = buildApplication(
                configuration: configuration, client: first.database, migrations: try TestDatabase.migrations(),
                logger: logger)
            try await streaming.test(.live) { client in
                var pair = try await DevicePair(first, email: "heartbeat@example.org")
                let second = TestServer(client: client, database: first.database, databaseURL: first.databaseURL)
                let stream = try await second.stream(pair.listener.session)
                defer { stream.close() }
                #expect(stream.status == 200)
                var heartbeats = 0
                let deadline = ContinuousClock.now + .seconds(30)
                while heartbeats < 3, ContinuousClock.now < deadline, let event = await stream.next(comments: true) {
                    if event.isComment, event.data == "heartbeat" { heartbeats += 1 }
                }
                #expect(heartbeats == 3)
                #expect(!stream.closed, "the connection guard's timeouts do not cut a stream")
                try await pair.pushRun()
                #expect(await stream.next()?.version == 1)
            }
        }
    }

    @Test("bad input is refused with problem+json: no token, a malformed cursor or Last-Event-ID")
    func badInput() async throws {
        try await TestServer.run { server in
            let session = try await server.signIn(email: "bad@example.org")
            let cases: [(EventStreamReader, Int, String)] = [
                (try await server.stream(nil), 401, "unauthorized"),
                (try await server.stream(session, cursor: "c1.bogus"), 400, "invalid_cursor"),
                (try await server.stream(session, lastEventID: "42"), 400, "invalid_cursor"),
            ]
            for (stream, status, code) in cases {
                defer { stream.close() }
                #expect(stream.status == status, "\(stream.head)")
                #expect(stream.header("Content-Type") == "application/problem+json")
                let body = await stream.wholeBody()
                let problem = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
                #expect(problem?["code"] as? String == code, "\(body)")
            }
        }
    }
}
