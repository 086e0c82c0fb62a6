import Foundation
import RunDiaryModels
import RunDiaryTestSupport
import Testing

@testable import RunDiaryImport

/// The FIT decoder on hand-written files: the protocol's less common features, and broken structure.
@Suite("FIT protocol")
struct FITProtocolTests {
    /// 2026-02-03T18:05:00Z in FIT seconds.
    static let start: UInt32 = 1_139_076_300

    /// file_id, then a record with a developer field and a full timestamp, then a big-endian session sent with a
    /// compressed timestamp header, then the activity.
    static func activity(sport: UInt8 = 1, sessionOffset: UInt8? = nil) -> FITBytes {
        var fit = FITBytes()
        fit.define(local: 0, global: 0, fields: [(0, 1, 0x00), (3, 4, 0x8C), (4, 4, 0x86)])
        fit.data(local: 0, [4] + FITBytes.le32(99) + FITBytes.le32(start))
        fit.define(local: 1, global: 20, fields: [(253, 4, 0x86), (3, 1, 0x02)], developer: [(0, 3, 0)])
        fit.data(local: 1, FITBytes.le32(start) + [140] + [0xAA, 0xBB, 0xCC])
        // Session: sport, sub_sport, elapsed (ms), distance (cm), avg cadence, fractional cadence; no start_time, so
        // the start is the compressed header's timestamp.
        fit.define(
            local: 2, global: 18,
            fields: [(5, 1, 0x00), (6, 1, 0x00), (7, 4, 0x86), (9, 4, 0x86), (18, 1, 0x02), (92, 1, 0x02)], bigEndian: true)
        let offset = sessionOffset ?? UInt8((start + 10) & 0x1F)
        fit.compressed(local: 2, offset: offset, [sport, 1] + FITBytes.be32(1_200_000) + FITBytes.be32(300_050) + [88, 32])
        fit.define(local: 3, global: 34, fields: [(253, 4, 0x86), (5, 4, 0x86)])
        fit.data(local: 3, FITBytes.le32(start + 1210) + FITBytes.le32(start + 1210 + 2 * 3600))
        return fit
    }

    @Test("Compressed timestamp headers, developer fields and big-endian messages decode")
    func protocolFeaturesDecode() throws {
        let result = try #require(RunImporter.read(files: [ImportSource(name: "hand.fit", data: Data(Self.activity().file))]).first)
        #expect(result.outcome == .proposed, "\(result.outcome)")
        let run = try #require(result.run)
        // The session's timestamp is 10 s after the record's, from the compressed header; the offset is +02:00.
        #expect(run.fields["started_at"] == .string("2026-02-03T20:05:10+02:00"))
        #expect(run.fields["elapsed_s"] == .integer(1200))
        #expect(run.fields["distance_m"] == .number(3000.5))
        #expect(run.fields["avg_cadence_spm"] == .integer(177), "(88 + 32/128) strides × 2")
        #expect(run.fields["surface"] == .string("treadmill") && run.fields["is_indoor"] == .bool(true))
        #expect(run.id == ImportIdentity.fitRun(serialNumber: 99, timeCreated: UInt64(Self.start), sessionIndex: 0))
    }

    @Test("A compressed timestamp whose 5 bits are below the last one's rolls over into the next 32 seconds")
    func compressedTimestampsRollOver() throws {
        let low = UInt8((Self.start & 0x1F + 31) & 0x1F)  // one below the last timestamp's low bits: 31 s later
        let result = try #require(
            RunImporter.read(files: [ImportSource(name: "roll.fit", data: Data(Self.activity(sessionOffset: low).file))]).first)
        #expect(result.run?.fields["started_at"] == .string("2026-02-03T20:05:31+02:00"))
    }

    @Test("A data message of a local type nothing defined is refused as corrupt")
    func undefinedLocalTypeIsRefused() {
        var fit = Self.activity()
        fit.data(local: 9, [1, 2, 3])
        expectRefused(fit.file, .corrupt, mentioning: "local message type 9")
    }

    @Test("A definition whose field list runs past the end of the data is refused as truncated")
    func definitionPastTheEndIsRefused() {
        var fit = Self.activity()
        fit.raw([0x44, 0, 0, 18, 0, 200, 5, 4])  // announces 200 fields, gives one
        expectRefused(fit.file, .truncated, mentioning: "definition")
    }

    @Test("A data message longer than the data left is refused as truncated")
    func dataPastTheEndIsRefused() {
        var fit = Self.activity()
        fit.define(local: 5, global: 20, fields: [(0, 255, 0x0D), (1, 255, 0x0D)])
        fit.data(local: 5, [1, 2, 3])
        expectRefused(fit.file, .truncated, mentioning: "data message")
    }

    @Test("A flipped byte is caught by the file CRC")
    func flippedByteFailsTheCRC() async throws {
        var bytes = Self.activity().file
        bytes[30] ^= 0x01
        expectRefused(bytes, .corrupt, mentioning: "CRC")
        let fixture = try await ImportFixtures.get()
        var treadmill = [UInt8](try fixture.data("treadmill.fit"))
        treadmill[treadmill.count / 2] ^= 0x40
        expectRefused(treadmill, .corrupt, mentioning: "CRC")
    }

    @Test("A damaged header CRC is refused")
    func damagedHeaderCRCIsRefused() {
        var bytes = Self.activity().file
        bytes[12] ^= 0xFF
        expectRefused(bytes, .corrupt, mentioning: "header CRC")
    }

    @Test("A cut-off file is refused as truncated")
    func truncatedFileIsRefused() async throws {
        let treadmill = [UInt8](try await ImportFixtures.get().data("treadmill.fit"))
        expectRefused(Array(treadmill.prefix(treadmill.count - 40)), .truncated, mentioning: "ends before")
        expectRefused(Array(treadmill.prefix(10)), .truncated, mentioning: "header")
    }

    @Test("A FIT file that is not an activity is skipped, not refused")
    func nonActivityFileIsSkipped() {
        var fit = FITBytes()
        fit.define(local: 0, global: 0, fields: [(0, 1, 0x00)])
        fit.data(local: 0, [6])  // file type 6: course
        let result = RunImporter.read(files: [ImportSource(name: "course.fit", data: Data(fit.file))])
        guard case .skipped(let issue) = result.first?.outcome else {
            Issue.record("expected a skip, got \(result)")
            return
        }
        #expect(issue.code == .noActivity)
    }

    private func expectRefused(
        _ bytes: [UInt8], _ code: ImportIssue.Code, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let result = RunImporter.read(files: [ImportSource(name: "bad.fit", data: Data(bytes))])
        guard result.count == 1, case .refused(let issue) = result[0].outcome else {
            Issue.record("expected a refusal, got \(result)", sourceLocation: sourceLocation)
            return
        }
        #expect(issue.code == code, "\(issue)", sourceLocation: sourceLocation)
        #expect(issue.message.contains(text), "\(issue)", sourceLocation: sourceLocation)
        #expect(result[0].records.isEmpty, sourceLocation: sourceLocation)
    }
}
