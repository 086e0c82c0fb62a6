import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@Suite("Backups and the restore drill: a restore loses nothing a device still holds")
struct RestoreDrillTests {
    /// The server's diary as a pull from no cursor returns it: per record, deleted or its fields with their clocks.
    struct Held: Equatable {
        let deleted: Bool
        let fields: [String: JSONValue]
        let clocks: [String: HLC]
    }

    static func serverState(_ web: WebClient, token: String) async throws -> [UUID: Held] {
        var state: [UUID: Held] = [:]
        var cursor: String?
        while true {
            let reply = try await web.send(.GET, "/v1/sync/pull?limit=500" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            guard reply.status == 200 else { throw TestSetupError("pull answered \(reply.status): \(reply.text)") }
            let page = try reply.decode(PullResponse.self)
            for change in page.changes {
                state[change.id] = Held(deleted: change.deleted, fields: change.fields, clocks: change.clocks)
            }
            cursor = page.cursor
            if !page.hasMore { return state }
        }
    }

    static func held(_ device: DiaryDevice) -> [UUID: Held] {
        device.records.mapValues {
            $0.deleted ? Held(deleted: true, fields: [:], clocks: [:]) : Held(deleted: false, fields: $0.fields, clocks: $0.clocks)
        }
    }

    @Test(
        "back up, change more on three devices, restore, restore-finish, one sync of each device: the server holds every change any device had, and the devices converge",
        .timeLimit(.minutes(5)))
    func restoreDrill() async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-backups-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            var server = try await ServeProcess.start(databaseURL: url)
            let port = server.port
            let web = WebClient(baseURL: "http://127.0.0.1:\(port)")
            do {
                #expect(try await server.wait(for: "HTTP/1.1 200", at: "/ready").hasPrefix("HTTP/1.1 200"))
                let email = "drill@example.org"
                var phone = try await DiaryDevice(web: web, email: email)
                var tablet = try await DiaryDevice(web: web, email: email)
                var watch = try await DiaryDevice(web: web, email: email)

                // Before the backup.
                let (shoes, firstRun, painAfterIt, oldPain) = (UUID(), UUID(), UUID(), UUID())
                phone.upsert(.gear, shoes, ["name": "Pegasus"])
                phone.upsert(
                    .run, firstRun, ["started_at": "2026-11-20T07:30:00+01:00", "elapsed_s": 1800, "gear_id": .string(shoes.uuidString)])
                phone.upsert(
                    .painEntry, painAfterIt,
                    [
                        "recorded_at": "2026-11-20T09:00:00+01:00", "body_site": "hip", "side": "right", "severity": 3,
                        "timing": "after_run",
                        "run_id": .string(firstRun.uuidString),
                    ])
                phone.upsert(
                    .painEntry, oldPain,
                    ["recorded_at": "2026-11-18T09:00:00+01:00", "body_site": "knee", "side": "left", "severity": 2, "timing": "at_rest"])
                try await phone.sync()
                try await tablet.sync()
                try await watch.sync()

                let dump = try await Self.backup(url, into: folder)

                // After the backup: every device changes something, and every change reaches every device.
                let secondRun = UUID()
                phone.upsert(.run, firstRun, ["notes": "felt the hip at 5 km"])
                phone.upsert(.run, secondRun, ["started_at": "2026-11-22T07:30:00+01:00", "elapsed_s": 2400, "surface": "treadmill"])
                try await phone.sync()
                try await tablet.sync()
                tablet.upsert(.painEntry, painAfterIt, ["severity": 5])
                tablet.delete(.painEntry, oldPain)
                try await tablet.sync()
                try await watch.sync()
                watch.upsert(.run, firstRun, ["title": "Easy run", "avg_cadence_spm": 172])
                try await watch.sync()
                try await phone.sync()
                try await tablet.sync()
                // The watch is lost from here on: only the phone and the tablet still hold its edit.
                let before = try await Self.serverState(web, token: phone.token)
                #expect(before.count == 5)

                // Restore the backup, with the service stopped, as docs/operations.md says.
                try await server.stop()
                let restore = try await Self.backupScript(["restore", dump], database: url)
                try restore.requireSuccess("rundiary-backup restore")
                #expect(restore.stdout.contains("sync epoch"), "\(restore.stdout)")
                server = try await ServeProcess.start(databaseURL: url, port: port)
                #expect(try await server.wait(for: "HTTP/1.1 200", at: "/ready").hasPrefix("HTTP/1.1 200"))
                let restored = try await Self.serverState(web, token: phone.token)
                #expect(restored[secondRun] == nil, "the restored database lacks what came after the backup")
                #expect(restored[oldPain]?.deleted == false)

                // The tablet writes first after the restore: the versions it takes are ones the phone has seen.
                tablet.upsert(.run, firstRun, ["form_notes": "overstriding on the treadmill"])
                try await tablet.sync()
                try await phone.sync()
                #expect(tablet.resets == 1 && phone.resets == 1, "a cursor of the epoch before the restore resets")

                let after = try await Self.serverState(web, token: phone.token)
                for (id, held) in before {
                    let now = try #require(after[id], "record \(id) is back")
                    #expect(now.deleted == held.deleted, "\(id)")
                    for (field, clock) in held.clocks {
                        #expect(now.clocks[field] == clock, "\(id) \(field) has its original clock")
                        #expect(now.fields[field] == held.fields[field], "\(id) \(field)")
                    }
                }
                #expect(after[firstRun]?.clocks["title"]?.node == watch.deviceID, "the lost watch's edit, with its clock")
                #expect(after[firstRun]?.fields["form_notes"] == "overstriding on the treadmill")

                // One more ordinary sync of the device that went first, and every copy is the same.
                try await tablet.sync()
                #expect(Self.held(tablet) == after)
                #expect(Self.held(phone) == after)
            } catch {
                Issue.record(error)
            }
            try await server.stop()
            try await web.shutdown()
        }
    }

    @Test("a backup is a custom-format dump only its owner can read, and old ones are removed")
    func backupFiles() async throws {
        try await TestDatabase.withMigratedDatabase { url, _ in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-backups-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            var files: [String] = []
            for _ in 0..<3 {
                let outcome = try await Self.backupScript(["dump", "--dir", folder.path, "--keep", "2"], database: url)
                try outcome.requireSuccess("rundiary-backup dump")
                files.append(outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
                // Names carry the time to the second.
                try await Task.sleep(for: .milliseconds(1100))
            }
            let kept = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(kept == files.suffix(2).map { URL(fileURLWithPath: $0).lastPathComponent })
            let attributes = try FileManager.default.attributesOfItem(atPath: files[2])
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: files[2]))
            #expect(bytes.prefix(5) == Data("PGDMP".utf8), "pg_dump's custom format")
            let list = try await Subprocess.run(
                try TestDatabase.environment("RUNDIARY_TEST_PG_BINDIR") + "/pg_restore", ["--list", files[2]])
            #expect(list.stdout.contains("TABLE DATA public sync_epoch"))
            #expect(!list.stdout.contains("TABLE DATA public request_allowances"), "rate-limit state is not kept")
        }
    }

    /// `rundiary-backup dump` into `folder`; the dump's path.
    static func backup(_ url: String, into folder: URL) async throws -> String {
        let outcome = try await backupScript(["dump", "--dir", folder.path], database: url)
        try outcome.requireSuccess("rundiary-backup dump")
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// deploy/backup/rundiary-backup, with the test cluster's tools and the debug `rundiary`.
    static func backupScript(_ arguments: [String], database url: String) async throws -> Subprocess.Outcome {
        try await Subprocess.run(
            Rundiary.repositoryRoot.appendingPathComponent("deploy/backup/rundiary-backup").path, arguments,
            environment: [
                "DATABASE_URL": url, "PG_BINDIR": try TestDatabase.environment("RUNDIARY_TEST_PG_BINDIR"),
                "RUNDIARY_BIN": Rundiary.executable.path,
                "RUNDIARY_MIGRATIONS": Rundiary.repositoryRoot.appendingPathComponent("Migrations").path,
            ])
    }
}
