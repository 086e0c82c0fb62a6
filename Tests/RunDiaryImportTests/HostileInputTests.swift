import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@testable import RunDiaryImport

/// Files made to hurt: XML bombs and external entities, ZIP and gzip bombs, path traversal, damaged archives and
/// files beyond the size limits. Each is one clear refusal; nothing of it is proposed.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("An XML bomb (billion laughs) is refused without expanding any entity")
    func billionLaughsIsRefused() {
        var entities = #"<!ENTITY lol "lol">"#
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
        }
        let gpx = """
            <?xml version="1.0"?>
            <!DOCTYPE gpx [\(entities)]>
            <gpx version="1.1"><trk><name>&lol9;</name><trkseg><trkpt lat="1" lon="1"><time>2026-01-01T00:00:00Z</time>
            </trkpt></trkseg></trk></gpx>
            """
        expectRefused(Data(gpx.utf8), name: "bomb.gpx", .unsafeXML)
    }

    @Test("An external entity is refused, never resolved")
    func externalEntityIsRefused() {
        let tcx = """
            <?xml version="1.0"?>
            <!DOCTYPE TrainingCenterDatabase [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>&secret;</Id></Activity></Activities>
            </TrainingCenterDatabase>
            """
        expectRefused(Data(tcx.utf8), name: "secret.tcx", .unsafeXML)
    }

    @Test("XML that does not parse, and XML in another encoding, are refused")
    func brokenXMLIsRefused() {
        expectRefused(Data("<gpx><trk><trkseg></gpx>".utf8), name: "broken.gpx", .corrupt)
        let utf16 = Data([0xFF, 0xFE]) + "<gpx/>".data(using: .utf16LittleEndian)!
        expectRefused(utf16, name: "wide.gpx", .unsupportedFormat)
        expectRefused(Data("just text".utf8), name: "notes.txt", .unsupportedFormat)
    }

    @Test("Nesting deeper than any GPX needs is refused")
    func deepNestingIsRefused() {
        let deep = "<gpx>" + String(repeating: "<a>", count: 500) + String(repeating: "</a>", count: 500) + "</gpx>"
        expectRefused(Data(deep.utf8), name: "deep.gpx", .corrupt)
    }

    @Test("A ZIP bomb is stopped at the compression-ratio limit")
    func zipBombIsRefused() async throws {
        let results = RunImporter.read(files: [try await source("bad/bomb.zip")])
        #expect(results.count == 1)
        #expect(issue(results.first)?.code == .archiveBomb, "\(results)")
    }

    @Test("A gzip bomb inside an export is stopped at the compression-ratio limit")
    func gzipBombIsRefused() async throws {
        let results = RunImporter.read(files: [try await source("bad/gzip-bomb.zip")])
        #expect(issue(results.first)?.code == .archiveBomb, "\(results)")
    }

    @Test("An archive with more entries than the limit is refused before any is read")
    func tooManyEntriesAreRefused() async throws {
        var limits = ImportLimits()
        limits.maximumArchiveEntries = 20
        let results = RunImporter.read(files: [try await source("bad/many.zip")], limits: limits)
        #expect(results.count == 1 && issue(results.first)?.code == .archiveBomb, "\(results)")
    }

    @Test("The archive's total expansion, gzip layers included, is held to its budget")
    func archiveBudgetIsEnforced() async throws {
        var limits = ImportLimits()
        // activities.csv and the gzipped FIT fit in 5 000 bytes; the GPX after them does not.
        limits.maximumArchiveExpandedBytes = 5_000
        let results = RunImporter.read(files: [try await source("strava.zip")], limits: limits)
        let byName = Dictionary(results.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["strava.zip/activities/10000000001.fit.gz"]?.outcome == .proposed)
        #expect(issue(byName["strava.zip/activities/10000000002.gpx"])?.code == .archiveBomb, "\(results)")
        #expect(byName["strava.zip/activities.csv#10000000004"]?.outcome == .proposed, "rows without a file need no budget")
        limits.maximumArchiveExpandedBytes = 1_200
        let starved = RunImporter.read(files: [try await source("strava.zip")], limits: limits)
        #expect(issue(starved.first { $0.name.hasSuffix("10000000001.fit.gz") })?.code == .archiveBomb, "\(starved)")
    }

    @Test("A ZIP entry named with ../ is refused")
    func pathTraversalIsRefused() async throws {
        let results = RunImporter.read(files: [try await source("bad/traversal.zip")])
        #expect(results.count == 1 && issue(results.first)?.code == .unsafePath, "\(results)")
        #expect(!ZipArchive.isSafe("/etc/passwd") && !ZipArchive.isSafe("a/../../b") && !ZipArchive.isSafe("C:/x"))
        #expect(!ZipArchive.isSafe("a\\..\\b") && ZipArchive.isSafe("activities/1.fit.gz"))
    }

    @Test("A damaged ZIP entry fails its CRC-32")
    func damagedEntryIsRefused() async throws {
        let results = RunImporter.read(files: [try await source("bad/damaged.zip")])
        #expect(results.count == 1 && issue(results.first)?.code == .corrupt, "\(results)")
        #expect(results.first?.name == "damaged.zip/runs/treadmill.fit")
    }

    @Test("A cut-off archive or gzip stream is refused")
    func truncatedArchivesAreRefused() async throws {
        let export = try await ImportFixtures.get().data("strava.zip")
        expectRefused(export.prefix(export.count / 2), name: "half.zip", .corrupt)
        let gzip = try await gzipped(try await ImportFixtures.get().data("treadmill.fit"))
        expectRefused(gzip.prefix(gzip.count - 12), name: "cut.fit.gz", .truncated)
    }

    @Test("Files beyond the size limits are refused")
    func hugeFilesAreRefused() async throws {
        var limits = ImportLimits()
        limits.maximumActivityFileBytes = 300
        let results = RunImporter.read(files: [try await source("treadmill.fit")], limits: limits)
        #expect(issue(results.first)?.code == .tooLarge, "\(results)")
        limits.maximumArchiveBytes = 1_000
        let archive = RunImporter.read(files: [try await source("strava.zip")], limits: limits)
        #expect(archive.count == 1 && issue(archive.first)?.code == .tooLarge, "\(archive)")
    }

    private func source(_ name: String) async throws -> ImportSource {
        let fixtures = try await ImportFixtures.get()
        return ImportSource(name: (name as NSString).lastPathComponent, data: try fixtures.data(name))
    }

    private func issue(_ file: ImportedFile?) -> ImportIssue? {
        guard case .refused(let issue) = file?.outcome else { return nil }
        return issue
    }

    private func expectRefused(
        _ data: Data, name: String, _ code: ImportIssue.Code, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let results = RunImporter.read(files: [ImportSource(name: name, data: data)])
        #expect(results.count == 1, sourceLocation: sourceLocation)
        #expect(issue(results.first)?.code == code, "\(results)", sourceLocation: sourceLocation)
        #expect(results.first?.records.isEmpty == true, sourceLocation: sourceLocation)
    }

    /// gzip by Python's gzip module (an independent writer).
    private func gzipped(_ data: Data) async throws -> Data {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rundiary-\(UUID().uuidString)")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await TestPython.run([
            "-c", "import gzip, sys; sys.stdout.buffer.write(gzip.compress(open(sys.argv[1], 'rb').read()))", file.path,
        ])
        guard result.status == 0 else { throw TestFailure(result.errors) }
        return result.output
    }
}
