import Foundation
import RunDiaryModels

/// A Strava bulk export: `activities.csv` lists each activity with its type, gear and the file (`activities/…`,
/// often gzipped) Strava kept; one result per listed activity.
///
/// A run's values come from its file where it has one, and from the CSV where the file has none; the CSV decides
/// the sport (the runner may have corrected it on Strava), the title and the shoes, and its id names the record, so
/// an overlapping later export names the same runs.
struct StravaExport {
    /// Activity types read as runs, and what each says about the surface.
    static let runTypes: [String: (surface: Surface?, indoor: Bool?)] = [
        "Run": (nil, nil), "Trail Run": (.trail, false), "Virtual Run": (.treadmill, true),
    ]

    private let table: CSVTable
    /// The folder activities.csv is in; `Filename` paths are relative to it.
    private let base: String
    private let archiveName: String
    private let limits: ImportLimits

    init(csv: Data, path: String, archiveName: String, limits: ImportLimits) throws(ImportIssue) {
        table = try CSVTable(String(decoding: csv, as: UTF8.self))
        for column in ["Activity ID", "Activity Type"] where table.columns(named: column).isEmpty {
            throw ImportIssue(.invalidExport, "activities.csv has no \(column) column.")
        }
        base = path.contains("/") ? String(path[...path.lastIndex(of: "/")!]) : ""
        self.archiveName = archiveName
        self.limits = limits
    }

    func read(from archive: inout ZipArchive) -> [ImportedFile] {
        let entries = Dictionary(archive.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        return table.rows.enumerated().map { index, row in
            let values = Row(table: table, cells: row)
            let fileName = values.text("Filename")
            let name =
                "\(archiveName)/" + (fileName.map { base + $0 } ?? "activities.csv#\(values.text("Activity ID") ?? "row \(index + 2)")")
            do throws(ImportIssue) {
                return try read(values, fileName: fileName, name: name, entries: entries, archive: &archive)
            } catch {
                return error.code == .notARun || error.code == .noActivity
                    ? ImportedFile(name: name, outcome: .skipped(error)) : ImportedFile(name: name, outcome: .refused(error))
            }
        }
    }

    private func read(
        _ row: Row, fileName: String?, name: String, entries: [String: ZipArchive.Entry], archive: inout ZipArchive
    ) throws(ImportIssue) -> ImportedFile {
        guard let activityID = row.text("Activity ID"), activityID.count <= 64 else {
            throw ImportIssue(.invalidExport, "The row has no Activity ID.")
        }
        let type = row.text("Activity Type") ?? ""
        guard let runType = Self.runTypes[type] else {
            throw ImportIssue(.notARun, "The Strava activity type is \(type.isEmpty ? "empty" : type), not a run.")
        }
        var summary: ActivitySummary
        if let fileName {
            let path = base + fileName
            guard ZipArchive.isSafe(path), let entry = entries[path] else {
                throw ImportIssue(.invalidExport, "activities.csv names \(fileName), which the archive does not hold.")
            }
            let contents = try RunImporter.activityFile(entry, in: &archive, limits: limits)
            let summaries = try RunImporter.summaries(of: contents, name: fileName, limits: limits)
            summary = summaries.first(where: \.isRun) ?? summaries[0]
        } else {
            guard let start = row.text("Activity Date").flatMap(StravaDate.parse) else {
                throw ImportIssue(.missingValues, "The row has neither an activity file nor a readable Activity Date.")
            }
            summary = ActivitySummary(id: UUID(), sport: type, isRun: true, startedAt: start)
        }
        summary.id = ImportIdentity.stravaRun(activityID: activityID)
        summary.isRun = true
        summary.title = row.text("Activity Name") ?? summary.title
        if runType.surface != nil { summary.surface = runType.surface }
        if runType.indoor != nil { summary.isIndoor = runType.indoor }
        if let trainer = row.text("Trainer")?.lowercased(), trainer == "true" || trainer == "1" {
            summary.surface = .treadmill
            summary.isIndoor = true
        }
        // The CSV fills what the file lacks. Strava repeats "Distance": the first in km or miles as shown, the last
        // in metres; only the metres are read.
        let distances = table.columns(named: "Distance")
        if summary.distanceMeters == nil, distances.count > 1 { summary.distanceMeters = row.number(at: distances.last!) }
        summary.elapsedSeconds = summary.elapsedSeconds ?? row.number("Elapsed Time")
        summary.movingSeconds = summary.movingSeconds ?? row.number("Moving Time")
        summary.elevationGainMeters = summary.elevationGainMeters ?? row.number("Elevation Gain")
        summary.averageHeartRate = summary.averageHeartRate ?? row.number("Average Heart Rate")
        summary.maxHeartRate = summary.maxHeartRate ?? row.number("Max Heart Rate")
        // Strava's running cadence counts one leg, as FIT does.
        summary.cadenceStepsPerMinute = summary.cadenceStepsPerMinute ?? row.number("Average Cadence").map { $0 * 2 }

        var (fields, warnings) = try RunFields.fields(for: summary)
        var records: [ProposedRecord] = []
        if let gearName = row.text("Activity Gear") {
            if let issue = EntitySchema.gear.field(named: "name")?.validate(.string(gearName)) {
                warnings.append(ValidationIssue(field: "gear_id", code: issue.code, message: "The gear name: " + issue.message))
            } else {
                let gearID = ImportIdentity.gear(named: gearName)
                records.append(ProposedRecord(entity: .gear, id: gearID, fields: ["name": .string(gearName)]))
                fields["gear_id"] = .string(gearID.uuidString.lowercased())
            }
        }
        records.append(ProposedRecord(entity: .run, id: summary.id, fields: fields))
        return ImportedFile(name: name, outcome: .proposed, records: records, warnings: warnings)
    }

    /// One CSV row, read by column name (the first column of that name).
    private struct Row {
        let table: CSVTable
        let cells: [String]

        func text(_ column: String) -> String? {
            guard let index = table.columns(named: column).first else { return nil }
            return text(at: index)
        }

        func text(at index: Int) -> String? {
            guard index < cells.count else { return nil }
            let value = cells[index].trimmingSpaces()
            return value.isEmpty ? nil : value
        }

        func number(_ column: String) -> Double? {
            table.columns(named: column).first.flatMap(number(at:))
        }

        func number(at index: Int) -> Double? {
            text(at: index).flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil }
        }
    }
}
