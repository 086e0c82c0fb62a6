import Foundation
import RunDiaryTestSupport
import Testing

@Suite("rundiary user export")
struct UserExportTests {
    @Test("writes the whole diary as a ZIP with the report, the FHIR bundle and the CSVs")
    func writesTheArchive() async throws {
        try await TestDatabase.withMigratedDatabase { url, client in
            let diary = Diary(client: client)
            let ana = try await diary.user("ana@example.org", version: 3)
            let run = try await diary.run(of: ana, version: 1)
            _ = try await diary.painEntry(of: ana, version: 2, runID: run)
            let other = try await diary.user("bo@example.org", version: 1)
            _ = try await diary.run(of: other, version: 1)

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("ana.zip")

            let outcome = try await Rundiary.run(["user", "export", "ana@example.org", "--out", file.path], databaseURL: url)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.hasPrefix("wrote "))
            // Listed by Python on a thread of its own (TestPython.run), never waited for on a cooperative thread.
            let listing = try await TestPython.run([
                "-c",
                "import sys, zipfile, csv, io; z = zipfile.ZipFile(sys.argv[1]); print('\\n'.join(z.namelist())); "
                    + "print('RUNS', sum(1 for _ in csv.reader(io.TextIOWrapper(z.open('csv/runs.csv')))) - 1)",
                file.path,
            ])
            let names = String(decoding: listing.output, as: UTF8.self)
            #expect(listing.status == 0, "\(listing.errors)")
            for entry in ["README.txt", "report.html", "fhir-bundle.json", "csv/runs.csv", "csv/pain_entries.csv"] {
                #expect(names.contains(entry), "\(entry) missing from \(names)")
            }
            // Only Ana's one run, not Bo's.
            #expect(names.contains("RUNS 1"), "\(names)")
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)

            let again = try await Rundiary.run(["user", "export", "ana@example.org", "--out", file.path], databaseURL: url)
            #expect(again.status == 1)
            #expect(again.stderr.contains("already exists"))
            let unknown = try await Rundiary.run(
                ["user", "export", "nobody@example.org", "--out", folder.appendingPathComponent("x.zip").path], databaseURL: url)
            #expect(unknown.status == 1)
            #expect(unknown.stderr.split(separator: "\n").count == 1)
        }
    }
}
