import Foundation
import RunDiaryTestSupport
import Testing

/// One test at a time: each starts a server process and runs the client many times.
@Suite("rundiary-client keeps a diary offline and syncs it with a live server", .serialized)
struct TerminalDiaryTests {
    @Test("A run and its pain logged on one computer appear in the history of another after sync")
    func logSyncAndHistory() async throws {
        try await Office.run { office in
            let laptop = try office.computer()
            let desktop = try office.computer()
            let email = newEmail()
            try await laptop.register(email)

            let run = try await laptop.json(["log", "run", "--distance", "5k", "--time", "28:30", "--surface", "treadmill", "--rpe", "6"])
            let fields = try #require(run["fields"] as? [String: Any])
            #expect(fields["distance_m"] as? Double == 5000)
            #expect(fields["elapsed_s"] as? Int == 1710)
            #expect(fields["surface"] as? String == "treadmill")
            #expect(fields["is_indoor"] as? Bool == true)
            #expect(run["pending"] as? Bool == true)
            let pain = try await laptop.json([
                "log", "pain", "--site", "hip", "--side", "left", "--severity", "4", "--timing", "after-run", "--run", "last",
                "--quality", "aching,stabbing",
            ])
            #expect((pain["fields"] as? [String: Any])?["run_id"] as? String == run["id"] as? String)
            #expect((pain["fields"] as? [String: Any])?["qualities"] as? [String] == ["aching", "stabbing"])

            let sent = try await laptop.json(["sync"])
            #expect(sent["acknowledged"] as? Int == 2)
            #expect(sent["pending"] as? Int == 0)

            try await desktop.login(email)
            let received = try await desktop.json(["sync"])
            #expect(received["pulled"] as? Int == 2)
            let history = try await desktop.jsonArray(["history", "--days", "3650"])
            #expect(history.count == 1)
            #expect((history.first?["run"] as? [String: Any])?["id"] as? String == run["id"] as? String)
            #expect((history.first?["pain"] as? [[String: Any]])?.count == 1)

            let table = try await desktop.run(["history", "--days", "3650"])
            #expect(table.status == 0)
            #expect(table.stdout.contains("5.00 km"))
            #expect(table.stdout.contains("5:42 /km"))
            #expect(table.stdout.contains("hip L 4 after run"))
        }
    }

    @Test("Logging works with the server down; sync then exits 3, keeps the edit, and delivers it later")
    func offline() async throws {
        try await Office.run { office in
            let laptop = try office.computer()
            try await laptop.register(newEmail())
            await office.server.stop()

            let logged = try await laptop.run(["log", "run", "--distance", "10k", "--time", "55:00"])
            #expect(logged.status == 0, "\(logged.stderr)")
            let sync = try await laptop.run(["sync"])
            #expect(sync.status == 3)
            #expect(sync.stderr.hasPrefix("rundiary-client: cannot reach the server"))
            #expect(sync.stderr.split(separator: "\n").count == 1)
            #expect(try await laptop.json(["status"])["pending"] as? Int == 1)

            try await office.server.launch()
            #expect(try await laptop.json(["sync"])["acknowledged"] as? Int == 1)
            #expect(try await laptop.json(["status"])["pending"] as? Int == 0)
        }
    }

    @Test("Bad input is one line on stderr with the admin CLI's exit codes, and the server's codes for refused values")
    func badInput() async throws {
        let fresh = try Client()
        defer { try? FileManager.default.removeItem(at: fresh.dataDir) }
        let notSignedIn = try await fresh.run(["log", "run", "--time", "30:00"])
        #expect(notSignedIn.status == 1)
        #expect(notSignedIn.stderr.contains("not signed in"))

        try await Office.run { office in
            let laptop = try office.computer()
            try await laptop.register(newEmail())
            let badTime = try await laptop.run(["log", "run", "--time", "half an hour"])
            #expect(badTime.status == 2)
            #expect(badTime.stderr == "rundiary-client: --time must be a duration such as 28:30\n")
            let severity = try await laptop.run([
                "log", "pain", "--site", "hip", "--side", "left", "--severity", "11", "--timing", "after-run",
            ])
            #expect(severity.status == 1)
            #expect(severity.stderr.hasPrefix("rundiary-client: refused: out_of_range (severity)"))
            let site = try await laptop.run(["log", "pain", "--site", "wrist", "--side", "left", "--severity", "3", "--timing", "at-rest"])
            #expect(site.stderr.hasPrefix("rundiary-client: refused: invalid_value (body_site)"))
            let unknown = try await laptop.run(["edit", "ffffffff", "--set", "notes=x"])
            #expect(unknown.status == 1)
            #expect(unknown.stderr == "rundiary-client: no record matches ffffffff\n")
            let option = try await laptop.run(["history", "--days", "many"])
            #expect(option.status == 2)
            #expect(try await laptop.json(["status"])["pending"] as? Int == 0)
        }
    }

    @Test("Plans, today's exercises, shoes, edits and deletes")
    func plansShoesEdits() async throws {
        try await Office.run { office in
            let laptop = try office.computer()
            try await laptop.register(newEmail())
            let shoe = try await laptop.json(["add", "gear", "--set", "name=Pegasus 40", "--set", "initial_distance_m=100000"])
            _ = try await laptop.json(["log", "run", "--distance", "8k", "--time", "45:00", "--shoe", "pegasus"])
            let shoes = try await laptop.jsonArray(["shoes"])
            #expect(shoes.first?["distance_m"] as? Double == 108_000)
            #expect(shoes.first?["id"] as? String == shoe["id"] as? String)

            let plan = try await laptop.json(["add", "plan", "--set", "kind=rehab", "--set", "title=Hip rehab", "--set", "status=active"])
            let planID = try #require(plan["id"] as? String)
            _ = try await laptop.json([
                "add", "plan-item", "--set", "plan_id=\(planID.prefix(8))", "--set", "kind=strength", "--set", "exercise=Clamshell",
                "--set", "sets=3", "--set", "reps=15", "--set", "days_of_week=mon,tue,wed,thu,fri,sat,sun",
            ])
            var today = try await laptop.jsonArray(["today"])
            #expect(today.map { $0["exercise"] as? String } == ["Clamshell"])
            #expect((today.first?["done_today"] as? [String])?.isEmpty == true)
            _ = try await laptop.json([
                "log", "exercise", "--plan-item", "clam", "--status", "done", "--sets", "3", "--reps", "45", "--pain", "2",
            ])
            today = try await laptop.jsonArray(["today"])
            #expect(today.first?["done_today"] as? [String] == ["done"])

            let history = try await laptop.jsonArray(["history"])
            let runID = try #require((history.first?["run"] as? [String: Any])?["id"] as? String)
            let edited = try await laptop.json(["edit", String(runID.prefix(6)), "--set", "notes=Hip tight after 3 km", "--set", "rpe=7"])
            #expect((edited["fields"] as? [String: Any])?["notes"] as? String == "Hip tight after 3 km")
            _ = try await laptop.json(["delete", String(runID.prefix(6))])
            #expect(try await laptop.jsonArray(["history"]).isEmpty)
            #expect(try await laptop.json(["sync"])["acknowledged"] as? Int == 7)
            #expect(try await laptop.run(["plans"]).stdout.contains("Clamshell"))
        }
    }

    @Test("export and share create use the server's routes")
    func exportAndShare() async throws {
        try await Office.run { office in
            let laptop = try office.computer()
            try await laptop.register(newEmail())
            _ = try await laptop.json(["log", "run", "--distance", "5k", "--time", "30:00"])
            _ = try await laptop.json(["sync"])
            let report = laptop.dataDir.appendingPathComponent("report.html")
            let export = try await laptop.run(["export", "--format", "html", "--out", report.path])
            #expect(export.status == 0, "\(export.stderr)")
            #expect(try String(contentsOf: report, encoding: .utf8).contains("<html"))
            let file = laptop.dataDir.appendingPathComponent("diary.zip")
            #expect(try await laptop.run(["export", "--format", "csv", "--out", file.path]).status == 0)
            #expect(try Data(contentsOf: file).prefix(2) == Data("PK".utf8))
            let share = try await laptop.run(["share", "create", "--days", "7", "--label", "PT visit"])
            #expect(share.status == 0, "\(share.stderr)")
            #expect(share.stdout.hasPrefix(office.server.baseURL.absoluteString + "/share/"))
            // Without --label the link is named after the days it shares (the server requires a label).
            let unlabelled = try await laptop.run(["share", "create", "--days", "3"])
            #expect(unlabelled.status == 0, "\(unlabelled.stderr)")
            let format = try await laptop.run(["export", "--format", "pdf", "--out", file.path])
            #expect(format.status == 2)
        }
    }

    @Test("status names an edit the server refused and how to fix it, until cleared")
    func refusedEdit() async throws {
        try await Office.run { office in
            let phone = try office.computer()
            let laptop = try office.computer()
            let email = newEmail()
            try await phone.register(email)
            try await laptop.login(email)
            let run = try await phone.json(["log", "run", "--distance", "5k", "--time", "30:00"])
            let id = try #require(run["id"] as? String)
            _ = try await phone.json(["sync"])
            _ = try await laptop.json(["sync"])
            _ = try await laptop.json(["delete", id])
            _ = try await laptop.json(["sync"])
            _ = try await phone.json(["edit", id, "--set", "notes=still sore"])
            let sync = try await phone.json(["sync"])
            #expect(sync["rejected"] as? Int == 1)

            let status = try await phone.json(["status"])
            let rejections = try #require(status["rejections"] as? [[String: Any]])
            #expect(rejections.first?["code"] as? String == "record_deleted")
            #expect((rejections.first?["fix"] as? String)?.contains("deleted on another device") == true)
            _ = try await phone.run(["status", "--clear"])
            #expect((try await phone.json(["status"])["rejections"] as? [[String: Any]])?.isEmpty == true)
        }
    }
}
