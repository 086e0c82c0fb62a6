import Foundation
import Postgres
import RunDiaryModels
import RunDiarySync
import RunDiaryTestSupport
import Testing

extension LiveServerSuites {
    /// The client half of issue 13's restore drill: the server's database is restored from a `pg_dump` taken earlier,
    /// and the device that made the changes since pushes them back (docs/sync-protocol.md §9.5).
    @Suite("After a restore the device pushes back what the server lost")
    struct RestorePushBackTests {
        @Test("Edits, records and deletes acknowledged after the backup come back with their clocks; an offline edit follows them")
        func restoredServerGetsBackWhatTheDeviceHeld() async throws {
            try await LiveServer.run { server in
                let email = try await server.account()
                let phone = try await server.device(of: email, named: "phone")
                let tablet = try await server.device(of: email, named: "tablet")
                let edited = sampleRun(minutes: 30)
                let deleted = sampleRun(minutes: 35)
                try await phone.save(edited)
                try await phone.save(deleted)
                try await phone.sync()
                try await tablet.sync()
                let backup = server.folder.appendingPathComponent("backup.dump")
                try await Self.postgresTool("pg_dump", ["--format=custom", "--file", backup.path, server.process.databaseURL])

                // Acknowledged after the backup, so lost by the restore: an edit, a new run and shoe, a delete.
                try await phone.update(.run, id: edited.id, fields: ["notes": "after the backup", "rpe": .number(6)])
                let shoe = Gear(name: "Pegasus 40")
                try await phone.save(shoe)
                var created = sampleRun(minutes: 45)
                created.gearID = shoe.id
                try await phone.save(created)
                try await phone.delete(.run, id: deleted.id)
                try await phone.sync()
                let held = try await phone.serverSnapshot()

                await server.process.stop()
                try await Self.postgresTool(
                    "pg_restore", ["--clean", "--if-exists", "--single-transaction", "--dbname", server.process.databaseURL, backup.path])
                try await server.process.launch()
                let restored = try await server.database.query("SELECT count(*) FROM runs WHERE notes IS NOT NULL").single()
                #expect(try restored.decode(Int.self, at: 0) == 0, "the restore lost the edit")

                // Made offline before the phone hears of the restore: it must arrive after the run is created again.
                try await phone.update(.run, id: created.id, fields: ["title": "after the restore"])
                let report = try await phone.sync()
                #expect(report.reset)
                #expect(report.pushedBack == 4, "the edit (one clock), the shoe, the run, the delete")
                #expect(try await phone.rejections().isEmpty)
                #expect(try await phone.outbox().isEmpty)

                // The server holds everything the phone held, field by field with the same clocks, and the new title.
                let laptop = try await server.device(of: email, named: "laptop")
                try await laptop.sync()
                let now = Dictionary(uniqueKeysWithValues: try await laptop.serverSnapshot().map { ($0.id, $0) })
                for record in held {
                    let back = try #require(now[record.id], "\(record.entity) \(record.id) is back")
                    #expect(back.deleted == record.deleted)
                    #expect(back.fields.filter { $0.key != "title" } == record.fields.filter { $0.key != "title" })
                    #expect(back.clocks.filter { $0.key != "title" } == record.clocks.filter { $0.key != "title" })
                }
                #expect(now[created.id]?.fields["title"] == .string("after the restore"))
                #expect(now[deleted.id]?.deleted == true)

                // The tablet, which pulled nothing after the backup, gets it all by an ordinary pull; all three agree.
                try await tablet.sync()
                try await phone.sync()
                let expected = try await laptop.serverSnapshot().map(Self.content).sorted()
                #expect(try await phone.serverSnapshot().map(Self.content).sorted() == expected)
                #expect(try await tablet.serverSnapshot().map(Self.content).sorted() == expected)
            }
        }

        /// A record without its version, which differs between devices that pulled it at different times.
        private static func content(_ change: Change) -> String {
            "\(change.id.uuidString) \(change.deleted) \(change.fields.sorted { $0.key < $1.key }) \(change.clocks.sorted { $0.key < $1.key })"
        }

        /// Runs a PostgreSQL client program of the test cluster's version.
        private static func postgresTool(_ name: String, _ arguments: [String]) async throws {
            let program = URL(fileURLWithPath: try TestDatabase.environment("RUNDIARY_TEST_PG_BINDIR")).appendingPathComponent(name)
            let outcome = try await Subprocess.run(program, arguments, environment: ProcessInfo.processInfo.environment)
            guard outcome.status == 0 else { throw TestSetupError("\(name) exited \(outcome.status): \(outcome.stderr.suffix(2000))") }
        }
    }
}
