import Foundation
import RunDiaryModels

/// The ids an import gives its records: name-based UUIDs (version 5) of where a record came from, so importing the
/// same file twice, or two Strava exports that overlap, names the same records and never makes a second one.
///
/// The names are stable parts of the wire contract (docs/import.md): changing one would make every earlier import a
/// duplicate.
public enum ImportIdentity {
    /// RunDiary's namespace for import names.
    public static let namespace = UUID(uuidString: "6310a315-b7dc-45ab-af1d-a60a10b440a1")!

    /// A FIT activity: `fit:<file_id.serial_number>:<file_id.time_created>` (raw FIT values, `-` when absent), with
    /// `:<session index>` for the second and later sessions of a multisport file.
    public static func fitRun(serialNumber: UInt64?, timeCreated: UInt64, sessionIndex: Int) -> UUID {
        let serial = serialNumber.map(String.init) ?? "-"
        let suffix = sessionIndex > 0 ? ":\(sessionIndex)" : ""
        return UUID(nameBased: "fit:\(serial):\(timeCreated)\(suffix)", in: namespace)
    }

    /// A TCX activity or GPX track: `<source tag>:<start instant in UTC>`, e.g. `gpx:2026-03-01T07:30:00Z`.
    public static func trackRun(source: String, start: Date) -> UUID {
        UUID(nameBased: "\(source):\(Timestamp(start).description)", in: namespace)
    }

    /// A row of a Strava export: `strava:<Activity ID>`.
    public static func stravaRun(activityID: String) -> UUID {
        UUID(nameBased: "strava:\(activityID)", in: namespace)
    }

    /// A piece of gear, by its name: `gear:<normalised name>` (see ``normalisedGearName(_:)``), so "Pegasus 40" and
    /// " pegasus  40 " are one pair of shoes.
    public static func gear(named name: String) -> UUID {
        UUID(nameBased: "gear:\(normalisedGearName(name))", in: namespace)
    }

    /// A gear name for matching: whitespace trimmed and collapsed to single spaces, lowercased.
    public static func normalisedGearName(_ name: String) -> String {
        name.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }

    /// The pseudo-device through which a server writes the runs it imports for an account:
    /// `device:server-import:<account id, lowercase>`.
    public static func serverImportDevice(accountID: UUID) -> UUID {
        UUID(nameBased: "device:server-import:\(accountID.uuidString.lowercased())", in: namespace)
    }
}
