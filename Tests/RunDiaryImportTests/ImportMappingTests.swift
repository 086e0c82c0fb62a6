import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@testable import RunDiaryImport

/// Every value the import maps, compared with what independent tools read from the same files.
@Suite("Import mapping")
struct ImportMappingTests {
    static let files = ["treadmill.fit", "outdoor.fit", "cycling.fit", "run.tcx", "run.gpx", "strava.zip"]

    @Test("Every mapped value equals what fit-tool's, Garmin's, gpxpy's, tcxparser's and csv's readings give")
    func mappedValuesMatchIndependentReaders() async throws {
        let fixtures = try await ImportFixtures.get()
        let results = RunImporter.read(files: try Self.files.map(fixtures.source))
        let byName = Dictionary(results.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(Set(byName.keys) == Set(fixtures.expected.keys), "result names differ from the readers' files")
        for (name, expectation) in fixtures.expected.sorted(by: { $0.key < $1.key }) {
            guard let result = byName[name], case .object(let expected) = expectation else {
                Issue.record("no result for \(name)")
                continue
            }
            switch (expected["status"]?.stringValue, result.outcome) {
            case ("skipped", .skipped(let issue)):
                #expect(issue.code.rawValue == expected["code"]?.stringValue, "\(name)")
                #expect(result.records.isEmpty, "\(name)")
            case ("proposed", .proposed):
                try check(result, against: expected, name: name)
            default:
                Issue.record("\(name): expected \(expected["status"] ?? .null), got \(result.outcome)")
            }
        }
    }

    private func check(_ result: ImportedFile, against expected: [String: JSONValue], name: String) throws {
        let run = try #require(result.run, "\(name) proposes no run")
        #expect(run.id.uuidString.lowercased() == expected["id"]?.stringValue, "\(name): run id")
        guard case .object(let fields) = expected["fields"] else { throw TestFailure("\(name): no expected fields") }
        #expect(Set(run.fields.keys) == Set(fields.keys), "\(name): mapped fields")
        for (field, want) in fields {
            let got = run.fields[field]
            if case .object(let approximate) = want, let value = approximate["approx"]?.numberValue,
                let relative = approximate["rel"]?.numberValue
            {
                let number = try #require(got?.numberValue, "\(name).\(field)")
                #expect(abs(number - value) <= value * relative, "\(name).\(field): \(number) vs \(value)")
            } else {
                #expect(got == want, "\(name).\(field): \(got.map(String.init(describing:)) ?? "absent") vs \(want)")
            }
            if let got, let spec = EntitySchema.run.field(named: field) {
                #expect(spec.validate(got) == nil, "\(name).\(field) does not validate")
            }
        }
        #expect(EntitySchema.run.validateCreate(run.fields).isEmpty, "\(name): the run does not validate")
        let gears = result.records.filter { $0.entity == .gear }
        if case .object(let gear) = expected["gear"] {
            #expect(gears.count == 1, "\(name): gear")
            #expect(gears.first?.id.uuidString.lowercased() == gear["id"]?.stringValue, "\(name): gear id")
            #expect(gears.first.map { JSONValue.object($0.fields) } == gear["fields"], "\(name): gear fields")
            #expect(result.records.first?.entity == .gear, "\(name): gear comes before the run that refers to it")
        } else {
            #expect(gears.isEmpty, "\(name): unexpected gear")
        }
        #expect(result.warnings.isEmpty, "\(name): \(result.warnings)")
    }

    @Test("Reading the same files again proposes the same ids and the same values")
    func rereadingIsIdempotent() async throws {
        let fixtures = try await ImportFixtures.get()
        let sources = try Self.files.map(fixtures.source)
        let first = RunImporter.read(files: sources)
        let second = RunImporter.read(files: sources)
        #expect(first == second)
        // From disk too, as a client reads a folder.
        let fromDisk = RunImporter.read(contentsOf: Self.files.map { fixtures.folder.appendingPathComponent($0) })
        #expect(fromDisk == first)
    }

    @Test("Two Strava exports that overlap name the same runs and the same shoes")
    func overlappingExportsNameTheSameRecords() async throws {
        let fixtures = try await ImportFixtures.get()
        let export = RunImporter.read(files: [try fixtures.source("strava.zip")])
        let renamed = RunImporter.read(files: [ImportSource(name: "later-export.zip", data: try fixtures.data("strava.zip"))])
        #expect(export.flatMap(\.records) == renamed.flatMap(\.records))
        let shoes = Set(export.flatMap(\.records).filter { $0.entity == .gear }.map(\.id))
        #expect(shoes == [ImportIdentity.gear(named: "Pegasus 40"), ImportIdentity.gear(named: "Ghost 15")])
    }

    @Test("Gear is matched by its name whatever the spacing and case")
    func gearNamesNormalise() {
        #expect(ImportIdentity.gear(named: " pegasus  40 ") == ImportIdentity.gear(named: "Pegasus 40"))
        #expect(ImportIdentity.gear(named: "Pegasus 41") != ImportIdentity.gear(named: "Pegasus 40"))
    }

    @Test("Name-based UUIDs are RFC 9562 version 5 (the RFC's own example)")
    func nameBasedUUIDMatchesTheRFC() {
        let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
        #expect(UUID(nameBased: "www.example.com", in: dns).uuidString.lowercased() == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
    }

    @Test("A value out of range is left out and reported, never clamped")
    func outOfRangeValuesAreDroppedWithAWarning() throws {
        let gpx = Self.gpx(heartRate: 300, cadence: 200)
        let result = try #require(RunImporter.read(files: [ImportSource(name: "hot.gpx", data: Data(gpx.utf8))]).first)
        #expect(result.outcome == .proposed)
        let run = try #require(result.run)
        #expect(run.fields["avg_hr_bpm"] == nil && run.fields["max_hr_bpm"] == nil)
        #expect(run.fields["avg_cadence_spm"] == nil, "400 steps per minute is beyond 250")
        #expect(run.fields["elapsed_s"] == .integer(20))
        let warned = Set(result.warnings.map(\.field))
        #expect(warned == ["avg_hr_bpm", "max_hr_bpm", "avg_cadence_spm"])
        #expect(result.warnings.allSatisfy { $0.code == .outOfRange })
    }

    @Test("A run whose moving time exceeds its elapsed time keeps the elapsed time and reports the moving time")
    func crossFieldRulesDropTheNamedField() throws {
        var summary = ActivitySummary(id: UUID(), sport: "running", isRun: true, startedAt: Date(timeIntervalSince1970: 1_767_225_600))
        summary.elapsedSeconds = 1000
        summary.movingSeconds = 1200
        summary.averageHeartRate = 170
        summary.maxHeartRate = 160
        let (fields, warnings) = try RunFields.fields(for: summary)
        #expect(fields["elapsed_s"] == .integer(1000) && fields["moving_s"] == nil)
        #expect(fields["max_hr_bpm"] == .integer(160) && fields["avg_hr_bpm"] == nil)
        #expect(Set(warnings.map(\.field)) == ["moving_s", "avg_hr_bpm"])
    }

    @Test("Strava's activity dates parse in the forms its exports use, as UTC")
    func stravaDatesParse() {
        let expected = Timestamp("2026-01-14T18:15:30Z")!.date
        #expect(StravaDate.parse("Jan 14, 2026, 6:15:30 PM") == expected)
        #expect(StravaDate.parse("14 Jan 2026, 18:15:30") == expected)
        #expect(StravaDate.parse("2026-01-14 18:15:30") == expected)
        #expect(StravaDate.parse("Jan 14, 2026, 12:05:00 AM") == Timestamp("2026-01-14T00:05:00Z")!.date)
        #expect(StravaDate.parse("Smarch 14, 2026, 6:15:30 PM") == nil)
    }

    static func gpx(heartRate: Int, cadence: Int) -> String {
        let points = (0..<3).map { index in
            """
            <trkpt lat="47.0" lon="\(8.0 + Double(index) * 0.0001)"><time>2026-03-04T12:10:\(index * 10 + 10)Z</time>
            <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>\(heartRate)</gpxtpx:hr><gpxtpx:cad>\(cadence)</gpxtpx:cad>
            </gpxtpx:TrackPointExtension></extensions></trkpt>
            """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
                 xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
            <trk><name>Hot</name><type>running</type><trkseg>\(points.joined())</trkseg></trk></gpx>
            """
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
