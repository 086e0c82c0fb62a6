import Foundation
import RunDiaryModels
import RunDiarySync
import RunDiaryTestSupport
import Testing

@Suite("Two devices of one account converge through a live server")
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
