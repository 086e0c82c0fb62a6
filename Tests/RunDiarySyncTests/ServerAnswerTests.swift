import Foundation
import Postgres
import RunDiaryModels
import RunDiarySync
import RunDiaryTestSupport
import Testing

extension LiveServerSuites {
    /// Every answer a live server gives, and what the engine does with it.
    @Suite("The engine handles every server answer: limits, sign-out, reset, rate limits, outages, refusals")
    struct ServerAnswerTests {
        @Test("Over the server's mutation limit (413) the engine splits the batch and delivers everything")
        func splitsOn413() async throws {
            try await LiveServer.run(arguments: ["--max-mutations", "3"]) { server in
                let email = try await server.account()
                let wire = ScriptedTransport()
                let phone = try await server.device(of: email, named: "phone", transport: wire)
                for minutes in 1...10 { try await phone.save(sampleRun(minutes: minutes)) }
                let report = try await phone.sync()
                #expect(report.acknowledged == 10)
                #expect(try await phone.outbox().isEmpty)
                let pushes = wire.exchanges.filter { $0.path == "/v1/sync/push" }
                #expect(pushes.first?.status == 413)
                #expect(pushes.filter { $0.status == 200 }.count >= 4)
                let tablet = try await server.device(of: email, named: "tablet")
                try await tablet.sync()
                #expect(try await tablet.records(.run).count == 10)
            }
        }

        @Test("A revoked device (401) is signed out with its edits kept; after signing in again they are delivered")
        func signedOutKeepsOutbox() async throws {
            try await LiveServer.run { server in
                let email = try await server.account()
                let phone = try await server.device(of: email, named: "phone")
                let laptop = try await server.device(of: email, named: "laptop")
                let phoneID = try await phone.deviceID
                let revoked = try await laptop.send("DELETE", "v1/devices/\(phoneID.uuidString.lowercased())")
                #expect(revoked.status == 204)

                let run = sampleRun()
                try await phone.save(run)
                await #expect(throws: SyncError.self) { try await phone.sync() }
                #expect(try await phone.status().phase == .signedOut)
                #expect(try await phone.account()?.isSignedIn == false)
                #expect(try await phone.outbox().count == 1)

                try await phone.signIn(server: server.url, email: email, password: LiveServer.password, deviceName: "phone")
                #expect(try await phone.deviceID == phoneID)
                #expect(try await phone.sync().acknowledged == 1)
                try await laptop.sync()
                #expect(try await laptop.record(Run.self, id: run.id) == run)
            }
        }

        @Test("A device away longer than the tombstone retention resets on 410: pruned deletes leave its diary, its outbox stays")
        func resetRequired() async throws {
            try await LiveServer.run { server in
                let email = try await server.account()
                // Away longer than the server's retention (zero here): a record the server lacks may be a delete whose
                // tombstone was pruned, so it must not come back.
                var away = SyncEngine.Configuration.testing
                away.tombstoneRetention = .zero
                let phone = try await server.device(of: email, named: "phone", configuration: away)
                let tablet = try await server.device(of: email, named: "tablet")
                let kept = sampleRun(minutes: 30)
                let pruned = sampleRun(minutes: 40)
                try await phone.save(kept)
                try await phone.save(pruned)
                try await phone.sync()
                try await tablet.sync()
                try await tablet.delete(.run, id: pruned.id)
                try await tablet.sync()

                // The phone stays away past the retention: the server prunes the tombstone it never pulled, as
                // `rundiary prune` does once the phone no longer counts as an active device.
                try await server.database.execute("DELETE FROM runs WHERE id = \(pruned.id)")
                try await server.database.execute("UPDATE users SET pruned_through = version WHERE lower(email) = lower(\(email))")
                try await phone.update(.run, id: kept.id, fields: ["notes": "edited before the reset"])
                #expect(try await phone.record(id: pruned.id)?.isDeleted == false)

                let report = try await phone.sync()
                #expect(report.reset)
                #expect(report.acknowledged == 1)
                #expect(report.pushedBack == 0)
                #expect(try await phone.record(id: pruned.id) == nil)
                #expect(try await phone.record(Run.self, id: kept.id)?.notes == "edited before the reset")
                #expect(try await phone.outbox().isEmpty)
                try await tablet.sync()
                #expect(try await phone.serverSnapshot().filter { $0.id == kept.id } == tablet.serverSnapshot().filter { $0.id == kept.id })
            }
        }

        /// The 429s come from the network script (a gateway's limit) so that the test does not depend on how fast
        /// the machine runs; the server's own limit answers the same way (RateLimitTests).
        @Test("On 429 the engine waits Retry-After and carries on; a wait longer than it accepts ends the sync as rate limited")
        func rateLimited() async throws {
            try await LiveServer.run { server in
                let email = try await server.account()
                // Each sync's edits fit one push: it is one exchange.
                let syncs = RequestCounter()
                let wire = ScriptedTransport { _, request in
                    guard request.url.path == "/v1/sync/exchange" else { return .deliver }
                    switch syncs.next() {
                    case 1, 2: return .answer(status: 429, headers: ["Retry-After": "1"])
                    case 4: return .answer(status: 429, headers: ["Retry-After": "3600"])
                    default: return .deliver
                    }
                }
                let phone = try await server.device(of: email, named: "phone", transport: wire)
                for minutes in 1...3 { try await phone.save(sampleRun(minutes: minutes)) }
                let report = try await phone.sync()
                #expect(report.acknowledged == 3)
                #expect(wire.exchanges.filter { $0.path == "/v1/sync/exchange" }.map(\.status) == [429, 429, 200])

                try await phone.update(.run, id: try #require(try await phone.records(.run).first?.id), fields: ["rpe": 5])
                do {
                    try await phone.sync()
                    Issue.record("a wait of an hour was accepted")
                } catch let error as SyncError {
                    #expect(error.code == .rateLimited)
                }
                #expect(try await phone.outbox().count == 1)
            }
        }

        @Test("Lost answers and proxy 503s are retried with the same mutation ids; a lost rejection is found in the server's journal")
        func outagesAndLostAnswers() async throws {
            try await LiveServer.run { server in
                let email = try await server.account()
                let tablet = try await server.device(of: email, named: "tablet")
                let run = sampleRun()
                try await tablet.save(run)
                try await tablet.sync()
                // The phone's first push (an exchange: its edits fit one) is lost after the server applied it; the
                // resend meets a proxy's 503 twice.
                let pushes = RequestCounter()
                let phoneWire = ScriptedTransport { _, request in
                    guard request.url.path == "/v1/sync/exchange" else { return .deliver }
                    switch pushes.next() {
                    case 1: return .dropResponse
                    case 2, 3: return .answer(status: 503, headers: [:])
                    default: return .deliver
                    }
                }
                let phone = try await server.device(of: email, named: "phone", transport: phoneWire)
                try await phone.sync()
                try await tablet.delete(.run, id: run.id)
                try await tablet.sync()
                // Made before the phone hears of the delete: the server rejects it (record_deleted), and that answer is lost.
                try await phone.update(.run, id: run.id, fields: ["notes": "sore"])
                let created = sampleRun(minutes: 50)
                try await phone.save(created)

                try await phone.sync()
                #expect(phoneWire.exchanges.filter { $0.path == "/v1/sync/exchange" }.map(\.status) == [200, 503, 503, 200])
                let rejections = try await phone.rejections()
                #expect(rejections.map(\.code) == [.recordDeleted])
                #expect(rejections.first?.mutation.mutationID == 1)
                #expect(try await phone.outbox().isEmpty)
                #expect(try await phone.record(id: run.id)?.isDeleted == true)
                let serverRejections = try await server.database.query("SELECT count(*) FROM sync_rejections").single().decode(
                    Int.self, at: 0)
                #expect(serverRejections == 1)
                try await tablet.sync()
                #expect(try await tablet.record(Run.self, id: created.id) == created)
            }
        }

        @Test("A server that is down and comes back gets the same mutations once")
        func serverRestart() async throws {
            try await LiveServer.run { server in
                let email = try await server.account()
                let phone = try await server.device(of: email, named: "phone")
                try await phone.save(sampleRun())
                await server.process.kill()
                await #expect(throws: SyncError.self) { try await phone.sync() }
                #expect(try await phone.status().phase == .offline)
                #expect(try await phone.outbox().count == 1)
                try await server.process.launch()
                #expect(try await phone.sync().acknowledged == 1)
                let last = try await server.database.query("SELECT max(last_mutation_id) FROM devices").single().decode(Int64.self, at: 0)
                #expect(last == 1)
            }
        }

        @Test("A push refused as a whole (422) is reported once, not retried in a loop, and the outbox is kept")
        func wholePushRefused() async throws {
            try await LiveServer.run { server in
                let email = try await server.account()
                // A client speaking a schema version this server does not.
                let wire = ScriptedTransport { _, request in
                    guard request.url.path == "/v1/sync/exchange", let body = request.body else { return .deliver }
                    let changed = String(decoding: body, as: UTF8.self).replacingOccurrences(
                        of: #""schema_version":1"#, with: #""schema_version":99"#)
                    return .rewrite { request in
                        var request = request
                        request.body = Data(changed.utf8)
                        return request
                    }
                }
                let phone = try await server.device(of: email, named: "phone", transport: wire)
                try await phone.save(sampleRun())
                do {
                    try await phone.sync()
                    Issue.record("the sync succeeded")
                } catch let error as SyncError {
                    #expect(error.code == .refused)
                    #expect(error.status == 422)
                    #expect(error.problem?.code == "unsupported_schema_version")
                }
                #expect(wire.count("POST", "/v1/sync/exchange") == 1)
                #expect(try await phone.outbox().count == 1)
                if case .failed(let error) = try await phone.status().phase {
                    #expect(error.problem?.code == "unsupported_schema_version")
                } else {
                    Issue.record("the status does not show the refusal")
                }
            }
        }
    }
}

/// Numbers the requests of one kind a script sees.
final class RequestCounter: @unchecked Sendable {
    // @unchecked Sendable: `count` is only touched under `lock`.
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
