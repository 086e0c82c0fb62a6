import Foundation
import RunDiaryModels
import RunDiarySync
import RunDiaryTestSupport
import Testing

extension LiveServerSuites {
    @Suite("Devices of an account converge through a live server, and accounts stay apart")
    struct SyncEngineTests {
        @Test("A run saved on the phone reaches the tablet, field for field and clock for clock")
        func runReachesOtherDevice() async throws {
            try await LiveServer.run { server in
                let email = try await server.account()
                let phone = try await server.device(of: email, named: "phone")
                let tablet = try await server.device(of: email, named: "tablet")
                var run = sampleRun()
                run.notes = "Hip tight after 3 km"
                let queued = try await phone.save(run)
                #expect(queued?.mutation.mutationID == 1)
                #expect(try await phone.record(Run.self, id: run.id) == run)

                let pushed = try await phone.sync()
                #expect(pushed.acknowledged == 1)
                #expect(try await phone.outbox().isEmpty)
                try await tablet.sync()
                #expect(try await tablet.record(Run.self, id: run.id) == run)
                #expect(try await tablet.serverSnapshot() == phone.serverSnapshot())
            }
        }
    }
}

extension LiveServerSuites.SyncEngineTests {
    @Test(
        "The same field edited on two devices: the later clock wins everywhere; the device whose push met the other edit keeps both values")
    func conflictIsKept() async throws {
        try await LiveServer.run { server in
            let email = try await server.account()
            let phone = try await server.device(of: email, named: "phone")
            let tablet = try await server.device(of: email, named: "tablet")
            var run = sampleRun()
            run.rpe = 6
            try await phone.save(run)
            try await phone.sync()
            try await tablet.sync()

            try await phone.update(.run, id: run.id, fields: ["rpe": 7, "notes": "from the phone"])
            try await tablet.update(.run, id: run.id, fields: ["rpe": 8])
            try await phone.sync()
            let report = try await tablet.sync()
            #expect(report.conflicts == 1)
            let conflict = try #require(try await tablet.conflicts().first)
            #expect(conflict.conflict.field == "rpe")
            #expect(conflict.conflict.winner == .mutation)
            #expect(conflict.conflict.losingValue == 7)
            #expect(conflict.conflict.winningValue == 8)
            try await phone.sync()
            #expect(try await phone.record(Run.self, id: run.id)?.rpe == 8)
            #expect(try await phone.record(Run.self, id: run.id)?.notes == "from the phone")
            #expect(try await phone.serverSnapshot() == tablet.serverSnapshot())
            #expect(try await phone.conflicts().isEmpty)
            try await tablet.dismissConflict(id: conflict.id)
            #expect(try await tablet.conflicts().isEmpty)
        }
    }

    @Test("A sync whose edits fit one push is one request; more edits are pushed in batches and then pulled")
    func oneRequestPerSync() async throws {
        try await LiveServer.run { server in
            let email = try await server.account()
            let wire = ScriptedTransport()
            var configuration = SyncEngine.Configuration.testing
            configuration.pushBatchSize = 2
            let phone = try await server.device(of: email, named: "phone", transport: wire, configuration: configuration)
            let tablet = try await server.device(of: email, named: "tablet")
            let first = sampleRun(minutes: 30)
            try await phone.save(first)
            let before = wire.exchanges.count
            #expect(try await phone.sync().acknowledged == 1)
            // One exchange: the edit, and the page after it (the edit itself) back in the same answer.
            #expect(wire.exchanges.dropFirst(before).map { "\($0.method) \($0.path) \($0.status ?? 0)" } == ["POST /v1/sync/exchange 200"])
            #expect(try await phone.outbox().isEmpty)
            #expect(try await phone.record(id: first.id)?.serverVersion != nil)

            let fromTablet = sampleRun(minutes: 40)
            try await tablet.save(fromTablet)
            try await tablet.sync()
            let more = (41...43).map { sampleRun(minutes: $0) }
            for run in more { try await phone.save(run) }
            let middle = wire.exchanges.count
            #expect(try await phone.sync().acknowledged == 3)
            // Three edits, two per push: the cursor checked first, two pushes, then the pull.
            #expect(
                wire.exchanges.dropFirst(middle).map { "\($0.method) \($0.path)" }
                    == ["GET /v1/sync/pull", "POST /v1/sync/push", "POST /v1/sync/push", "GET /v1/sync/pull"])
            #expect(try await phone.record(Run.self, id: fromTablet.id) == fromTablet)
            #expect(try await phone.outbox().isEmpty)
            try await tablet.sync()
            #expect(try await phone.serverSnapshot() == tablet.serverSnapshot())
        }
    }

    /// Against a server without the exchange (it answers 404), so that the push and the pull are requests of their
    /// own: the engine falls back to them.
    @Test("An acknowledged edit stays in the local view while the pull that brings it back fails")
    func acknowledgedEditStaysVisible() async throws {
        try await LiveServer.run { server in
            let email = try await server.account()
            let pullsFail = ScriptedTransport { _, request in
                switch request.url.path {
                case "/v1/sync/exchange": .answer(status: 404, headers: [:])
                case "/v1/sync/pull": .dropRequest
                default: .deliver
                }
            }
            let phone = try await server.device(of: email, named: "phone", transport: pullsFail)
            var run = sampleRun()
            run.notes = "typed offline"
            try await phone.save(run)
            await #expect(throws: SyncError.self) { try await phone.sync() }
            #expect(pullsFail.count("POST", "/v1/sync/exchange") == 1)
            #expect(pullsFail.count("POST", "/v1/sync/push") == 1)
            let outbox = try await phone.outbox()
            #expect(outbox.map(\.isAcknowledged) == [true])
            #expect(try await phone.record(Run.self, id: run.id) == run)
            #expect(try await phone.status().pendingCount == 0)

            let reopened = try server.reopen(phone)
            try await reopened.sync()
            #expect(try await reopened.outbox().isEmpty)
            #expect(try await reopened.record(Run.self, id: run.id) == run)
            #expect(try await reopened.record(id: run.id)?.serverVersion != nil)
        }
    }

    @Test("A device's own later edit wins over what it pulled, even when its wall clock lags the others'")
    func laggingClockStillWins() async throws {
        try await LiveServer.run { server in
            let email = try await server.account()
            let tablet = try await server.device(of: email, named: "tablet")
            let lagging = try SyncEngine(
                databasePath: server.folder.appendingPathComponent("lagging.sqlite").path, configuration: .testing,
                wallClock: { HybridLogicalClock.systemMillis() - 5 * 60_000 })
            try await lagging.signIn(server: server.url, email: email, password: LiveServer.password, deviceName: "lagging")
            let run = sampleRun()
            try await tablet.save(run)
            try await tablet.sync()
            try await lagging.sync()
            try await lagging.update(.run, id: run.id, fields: ["notes": "later, on a slow clock"])
            #expect(try await lagging.record(Run.self, id: run.id)?.notes == "later, on a slow clock")
            try await lagging.sync()
            try await tablet.sync()
            #expect(try await tablet.record(Run.self, id: run.id)?.notes == "later, on a slow clock")
        }
    }

    @Test("Accounts are kept apart: a device never holds another account's records")
    func accountsApart() async throws {
        try await LiveServer.run { server in
            let ana = try await server.device(of: try await server.account("ana"), named: "ana")
            let ben = try await server.device(of: try await server.account("ben"), named: "ben")
            let run = sampleRun()
            try await ana.save(run)
            try await ana.sync()
            try await ben.sync()
            #expect(try await ben.records(.run).isEmpty)
            #expect(try await ben.serverSnapshot().isEmpty)
            // Ben's device names Ana's id for a record of its own: whatever the server answers, Ana's run is untouched.
            var imitation = sampleRun(minutes: 99, id: run.id)
            imitation.notes = "ben's"
            try await ben.save(imitation)
            try await ben.sync()
            try await ana.sync()
            #expect(try await ana.record(Run.self, id: run.id) == run)
            #expect(try await ben.outbox().isEmpty)
        }
    }
}
