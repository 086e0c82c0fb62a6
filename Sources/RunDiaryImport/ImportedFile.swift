import Foundation
import RunDiaryModels

/// A file handed to the importer: its name (whose extension says the format) and its bytes.
public struct ImportSource: Sendable {
    /// The file name, e.g. `morning.fit`, `2026-03-01.gpx.gz` or `export_12345.zip`.
    public var name: String
    public var data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}

/// What reading produced for one activity: the records to propose, or why there are none.
///
/// A plain file is one `ImportedFile`; a Strava export is one per activity it lists (named by the file the export
/// names, or by its row), plus one for the archive itself when the archive as a whole is refused.
public struct ImportedFile: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        /// Read: `records` hold the run (and its gear, first).
        case proposed
        /// Readable, but not a run (another sport, no activity).
        case skipped(ImportIssue)
        /// Not readable safely or correctly; nothing of it is proposed.
        case refused(ImportIssue)
    }

    /// The file's name; inside an archive, `archive.zip/activities/123.fit.gz`.
    public var name: String
    public var outcome: Outcome
    /// Gear first, then the run that refers to it: applied in this order, a reference always resolves.
    public var records: [ProposedRecord]
    /// Values read but left out because the `run` schema refuses them (out of range, breaking a rule).
    public var warnings: [ValidationIssue]

    public init(name: String, outcome: Outcome, records: [ProposedRecord] = [], warnings: [ValidationIssue] = []) {
        self.name = name
        self.outcome = outcome
        self.records = records
        self.warnings = warnings
    }

    /// The proposed run, if any.
    public var run: ProposedRecord? { records.first { $0.entity == .run } }
}

/// The verdict on one file once its records are applied (the wire values of `POST /v1/import`'s results).
public enum ImportStatus: String, Sendable, Codable, CaseIterable {
    /// A new run was created.
    case imported
    /// The run existed; some of its fields took new values.
    case updated
    /// The run existed with exactly these values; nothing was written.
    case unchanged
    /// Not a run, or a run deleted in the diary; nothing was written.
    case skipped
    /// Unreadable or unsafe; nothing was written.
    case refused
}
