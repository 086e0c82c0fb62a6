import Foundation
import RunDiaryImport
import RunDiaryModels
import RunDiaryTestSupport
import Testing

/// `rundiary-client import`: files made by independent tools (Tests/RunDiaryImportTests/Fixtures), read with
/// RunDiaryImport and queued as the computer's own edits. Part of the terminal diary's suite, so that its server
/// processes, too, run one at a time.
extension TerminalDiaryTests {
    @Test("A dry run changes nothing; an import queues and syncs the runs; a second import is unchanged; shoes match by name")
    func importIsLocalFirstAndIdempotent() async throws {
        let fixtures = try await ImportFixtures.get()
        let files = ["strava.zip", "outdoor.fit", "run.gpx"].map { fixtures.folder.appendingPathComponent($0).path }
        try await Office.run { office in
            let laptop = try office.computer()
            let email = newEmail()
            try await laptop.register(email)
            let shoe = try await laptop.json(["add", "gear", "--set", "name=  PEGASUS 40"])
            let shoeID = try #require(shoe["id"] as? String)
            _ = try await laptop.json(["sync"])

            let dry = try await laptop.json(["import", "--dry-run"] + files)
            let dryResults = try #require(dry["results"] as? [[String: Any]])
            #expect(dryResults.filter { $0["status"] as? String == "imported" }.count == 6, "\(dryResults)")
            #expect(dry["dry_run"] as? Bool == true)
            #expect(try await laptop.json(["status"])["pending"] as? Int == 0, "a dry run queues nothing")

            let imported = try await laptop.json(["import"] + files)
            let results = try #require(imported["results"] as? [[String: Any]])
            let statuses = Dictionary(results.map { ($0["file"] as! String, $0["status"] as! String) }, uniquingKeysWith: { a, _ in a })
            #expect(statuses.values.filter { $0 == "imported" }.count == 6, "\(statuses)")
            #expect(statuses["strava.zip/activities/10000000003.fit.gz"] == "skipped", "a ride is not a run")
            #expect(imported["synced"] as? Bool == true)
            #expect(try await laptop.json(["status"])["pending"] as? Int == 0)

            // Another computer pulls exactly the runs the importer proposes, the Strava shoes matched by name.
            let desktop = try office.computer()
            try await desktop.login(email)
            _ = try await desktop.json(["sync"])
            let history = try await desktop.jsonArray(["history", "--days", "36500"])
            let pulled = Dictionary(
                history.compactMap { $0["run"] as? [String: Any] }.map { ($0["id"] as! String, $0["fields"] as! [String: Any]) },
                uniquingKeysWith: { a, _ in a })
            let proposed = RunImporter.read(contentsOf: files.map(URL.init(fileURLWithPath:))).compactMap(\.run)
            #expect(proposed.count == 6)
            #expect(Set(pulled.keys) == Set(proposed.map { $0.id.uuidString.lowercased() }))
            let shoes = try await desktop.jsonArray(["shoes"])
            #expect(shoes.count == 2, "the diary's Pegasus and a new Ghost 15: \(shoes)")
            for run in proposed {
                let fields = try #require(pulled[run.id.uuidString.lowercased()])
                for (name, value) in run.fields where name != "gear_id" {
                    #expect(Self.same(fields[name], value), "\(run.id) \(name): \(fields[name] ?? "nil") ≠ \(value)")
                }
            }
            let tempo = ImportIdentity.stravaRun(activityID: "10000000001").uuidString.lowercased()
            #expect(pulled[tempo]?["gear_id"] as? String == shoeID, "the diary's own shoes, not a second pair")

            // Again, on the computer that imported and on the one that only pulled: nothing to do.
            for computer in [laptop, desktop] {
                let again = try await computer.json(["import"] + files)
                let statuses = (again["results"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
                #expect(Set(statuses) == ["unchanged", "skipped"], "\(statuses)")
                #expect(again["synced"] as? Bool == false)
                #expect(try await computer.json(["status"])["pending"] as? Int == 0)
            }
        }
    }

    @Test("A refused file is reported per file with exit 1, nothing of it is queued; a run deleted in the diary stays deleted")
    func refusedAndDeleted() async throws {
        let fixtures = try await ImportFixtures.get()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-import-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var truncated = try fixtures.data("treadmill.fit")
        truncated.removeLast(truncated.count / 3)
        try truncated.write(to: folder.appendingPathComponent("cut.fit"))
        try fixtures.data("run.gpx").write(to: folder.appendingPathComponent("run.gpx"))

        try await Office.run { office in
            let laptop = try office.computer()
            try await laptop.register(newEmail())
            let outcome = try await laptop.run(["import", folder.path, "--no-sync", "--json"])
            #expect(outcome.status == 1)
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
            let results = try #require(try outcome.jsonObject()["results"] as? [[String: Any]])
            let cut = try #require(results.first { $0["file"] as? String == "cut.fit" })
            #expect(cut["status"] as? String == "refused")
            #expect(cut["code"] as? String == "truncated")
            let gpx = try #require(results.first { $0["file"] as? String == "run.gpx" })
            #expect(gpx["status"] as? String == "imported")
            #expect(try await laptop.json(["status"])["pending"] as? Int == 1, "the readable file, alone")

            let runID = try #require(gpx["run_id"] as? String)
            _ = try await laptop.json(["delete", runID])
            let again = try await laptop.json(["import", folder.appendingPathComponent("run.gpx").path, "--no-sync"])
            let result = try #require((again["results"] as? [[String: Any]])?.first)
            #expect(result["status"] as? String == "skipped")
            #expect(result["code"] as? String == "deleted_in_diary")
            _ = try await laptop.json(["sync"])
            #expect(try await laptop.json(["status"])["pending"] as? Int == 0)
        }
    }

    /// Equal as the diary stores values: numbers by value, references and codes as text.
    private static func same(_ pulled: Any?, _ proposed: JSONValue) -> Bool {
        switch proposed {
        case .integer(let value): (pulled as? NSNumber)?.doubleValue == Double(value)
        case .number(let value): (pulled as? NSNumber)?.doubleValue == value
        case .bool(let value): (pulled as? Bool) == value
        case .string(let value):
            if let timestamp = Timestamp(value), let text = pulled as? String, let other = Timestamp(text) {
                timestamp.date == other.date && timestamp.utcOffsetSeconds == other.utcOffsetSeconds
            } else {
                (pulled as? String) == value
            }
        default: false
        }
    }
}
