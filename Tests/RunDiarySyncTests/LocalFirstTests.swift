import Foundation
import RunDiaryModels
import RunDiarySync
import Testing

/// The engine without a server: edits, validation, the outbox, ids and clocks.
@Suite("Edits apply at once, offline, and are queued with ids and clocks that never go back")
struct LocalFirstTests {
    /// An engine over a new file; its wall clock reads `clock` (milliseconds since 1970).
    private func engine(path: String? = nil, clock: @escaping @Sendable () -> Int64 = { HybridLogicalClock.systemMillis() })
        throws -> SyncEngine
    {
        let file = path ?? FileManager.default.temporaryDirectory.appendingPathComponent("local-\(UUID().uuidString).sqlite").path
        return try SyncEngine(databasePath: file, configuration: .testing, wallClock: clock)
    }

    @Test("A saved run is in the local view at once, pending, and queued as mutation 1, 2, 3")
    func saveIsVisibleAndQueued() async throws {
        let diary = try engine()
        var ids: [Int64] = []
        for minutes in [30, 40, 50] {
            let pending = try #require(try await diary.save(sampleRun(minutes: minutes)))
            ids.append(pending.mutation.mutationID)
            #expect(pending.mutation.op == .upsert)
            #expect(pending.mutation.hlc?.node == (try await diary.deviceID))
        }
        #expect(ids == [1, 2, 3])
        let runs = try await diary.records(.run)
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0.hasPendingChanges && $0.serverVersion == nil })
        #expect(try await diary.outbox().map(\.mutation.mutationID) == [1, 2, 3])
        let status = try await diary.status()
        #expect(status.pendingCount == 3)
        #expect(status.phase == .signedOut)
    }

    @Test("Invalid edits are refused locally with the codes the server uses, and use up no mutation id")
    func refusedWithServerCodes() async throws {
        let diary = try engine()
        let run = sampleRun()
        try await diary.save(run)
        func code(_ edit: () async throws -> Void) async -> String? {
            do {
                try await edit()
                return nil
            } catch let rejected as EditRejected {
                return "\(rejected.code):\(rejected.field ?? "-")"
            } catch {
                return "\(error)"
            }
        }
        #expect(await code { try await diary.update(.run, id: run.id, fields: ["rpe": 11]) } == "out_of_range:rpe")
        #expect(await code { try await diary.update(.run, id: run.id, fields: ["elapsed_s": nil]) } == "missing_field:elapsed_s")
        #expect(await code { try await diary.update(.run, id: run.id, fields: ["pace": 5]) } == "unknown_field:pace")
        #expect(await code { try await diary.update(.run, id: run.id, fields: ["version": 5]) } == "read_only_field:version")
        #expect(await code { try await diary.update(.run, id: run.id, fields: ["moving_s": 99_999]) } == "out_of_range:moving_s")
        #expect(
            await code { try await diary.update(.run, id: run.id, fields: ["gear_id": .string(UUID().uuidString)]) }
                == "invalid_reference:gear_id")
        #expect(await code { try await diary.update(.run, id: UUID(), fields: ["notes": "no create"]) } == "missing_field:started_at")
        #expect(await code { try await diary.update(.gear, id: run.id, fields: ["name": "Shoes"]) } == "record_mismatch:-")
        #expect(await code { try await diary.update(.run, id: run.id, fields: ["notes": "nul \u{0} inside"]) } == "invalid_value:notes")
        try await diary.delete(.run, id: run.id)
        #expect(await code { try await diary.update(.run, id: run.id, fields: ["notes": "after delete"]) } == "record_deleted:-")
        #expect(try await diary.outbox().map(\.mutation.mutationID) == [1, 2])
        #expect(try await diary.record(id: run.id)?.isDeleted == true)
    }

    @Test("Saving a typed record sends only what changed; a field set to nil is cleared")
    func saveSendsDifferences() async throws {
        let diary = try engine()
        var run = sampleRun()
        run.rpe = 6
        try await diary.save(run)
        #expect(try await diary.save(run) == nil)
        run.notes = "Hip tight"
        run.rpe = nil
        let pending = try #require(try await diary.save(run))
        #expect(pending.mutation.fields == ["notes": "Hip tight", "rpe": nil])
        #expect(try await diary.record(Run.self, id: run.id) == run)
    }

    @Test("Mutation ids and the clock survive a restart, and the clock does not go back with the wall clock")
    func idsAndClockSurviveRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("restart-\(UUID().uuidString).sqlite").path
        let now = HybridLogicalClock.systemMillis()
        var before = try engine(path: path, clock: { now })
        var last: HLC?
        for _ in 0..<3 { last = try await before.save(sampleRun())?.mutation.hlc }
        before = try engine(path: path, clock: { now - 3_600_000 })  // the wall clock was set back an hour
        let after = try #require(try await before.save(sampleRun())?.mutation)
        #expect(after.mutationID == 4)
        #expect(try #require(after.hlc) > #require(last))
        #expect(try await before.outbox().count == 4)
    }

    @Test("Two processes on one diary (two engines on one file) never issue the same mutation id or clock")
    func twoEnginesOneFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString).sqlite").path
        let first = try engine(path: path)
        let second = try engine(path: path)
        let issued = try await withThrowingTaskGroup(of: [Mutation].self) { group in
            for diary in [first, second] {
                group.addTask {
                    var mutations: [Mutation] = []
                    for minutes in 1...20 { mutations.append(try #require(try await diary.save(sampleRun(minutes: minutes))).mutation) }
                    return mutations
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(issued.map(\.mutationID).sorted() == Array(1...40))
        #expect(Set(issued.compactMap(\.hlc)).count == 40)
        #expect(try await first.outbox().count == 40)
    }

    @Test("A list observed by the app follows the local view", .timeLimit(.minutes(1)))
    func observation() async throws {
        let diary = try engine()
        var changes = diary.observe(Run.self).makeAsyncIterator()
        #expect(try await changes.next() == [])
        let run = sampleRun()
        try await diary.save(run)
        var seen = try await changes.next()
        while seen == [] { seen = try await changes.next() }
        #expect(seen == [run])
        try await diary.delete(.run, id: run.id)
        while seen != [] { seen = try await changes.next() }
        #expect(seen == [])
    }

    @Test("Without an account, sync says signed out and keeps the outbox")
    func syncWithoutAccount() async throws {
        let diary = try engine()
        try await diary.save(sampleRun())
        await #expect(throws: SyncError.self) { try await diary.sync() }
        do {
            try await diary.sync()
        } catch let error as SyncError {
            #expect(error.code == .signedOut)
        }
        #expect(try await diary.outbox().count == 1)
    }

    @Test("Deleting a record the diary does not have is an error; deleting twice queues once")
    func deletes() async throws {
        let diary = try engine()
        await #expect(throws: SyncError.self) { try await diary.delete(.run, id: UUID()) }
        let run = sampleRun()
        try await diary.save(run)
        #expect(try await diary.delete(.run, id: run.id) != nil)
        #expect(try await diary.delete(.run, id: run.id) == nil)
        #expect(try await diary.records(.run).isEmpty)
        #expect(try await diary.records(.run, includingDeleted: true).map(\.id) == [run.id])
    }
}
