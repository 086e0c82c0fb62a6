import Foundation
import RunDiaryModels

/// Reads runs from the files runners already have: FIT activity files from a watch, TCX, GPX 1.1, any of these
/// gzipped, a Strava bulk export ZIP, or a ZIP of activity files.
///
/// Reading is pure: it proposes records and reports, per activity, what it did and why; applying the proposals is
/// the caller's (a client engine through its outbox, or the server's `POST /v1/import`). Record ids are name-based
/// (``ImportIdentity``), so reading the same file again proposes the same records with the same values.
///
/// ```swift
/// let results = RunImporter.read(files: [ImportSource(name: "morning.fit", data: bytes)])
/// for file in results where file.outcome == .proposed {
///     for record in file.records { outbox.upsert(record.entity, record.id, record.fields) }
/// }
/// ```
public enum RunImporter {
    /// One result per activity found, in order; a file that cannot be read is one refused result.
    public static func read(files: [ImportSource], limits: ImportLimits = .standard) -> [ImportedFile] {
        files.flatMap { read($0, limits: limits) }
    }

    /// Reads files from disk (memory-mapped, so a large archive is not copied into memory); a file larger than the
    /// limits is refused before it is read.
    public static func read(contentsOf urls: [URL], limits: ImportLimits = .standard) -> [ImportedFile] {
        urls.flatMap { url -> [ImportedFile] in
            let name = url.lastPathComponent
            let size = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? nil
            if let size, size > max(limits.maximumArchiveBytes, limits.maximumActivityFileBytes) {
                return [ImportedFile(name: name, outcome: .refused(ImportIssue(.tooLarge, "The file is larger than the import accepts.")))]
            }
            guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else {
                return [ImportedFile(name: name, outcome: .refused(ImportIssue(.corrupt, "The file cannot be read.")))]
            }
            return read(ImportSource(name: name, data: data), limits: limits)
        }
    }

    static func read(_ source: ImportSource, limits: ImportLimits) -> [ImportedFile] {
        do throws(ImportIssue) {
            if ZipArchive.looksLikeZip(source.data) {
                guard source.data.count <= limits.maximumArchiveBytes else {
                    throw ImportIssue(.tooLarge, "The archive is larger than \(limits.maximumArchiveBytes) bytes.")
                }
                return try readArchive(source, limits: limits)
            }
            let summaries = try summaries(of: source.data, name: source.name, limits: limits)
            return summaries.enumerated().map { index, summary in
                result(for: summary, name: summaries.count > 1 ? "\(source.name)#\(index + 1)" : source.name)
            }
        } catch {
            return [ImportedFile(name: source.name, outcome: outcome(for: error))]
        }
    }

    /// A Strava export when the archive holds an activities.csv; otherwise every activity file in it.
    private static func readArchive(_ source: ImportSource, limits: ImportLimits) throws(ImportIssue) -> [ImportedFile] {
        var archive = try ZipArchive(source.data, limits: limits)
        let csv = archive.entries.filter { $0.path == "activities.csv" || $0.path.hasSuffix("/activities.csv") }
            .min { $0.path.count < $1.path.count }
        if let csv {
            let contents = try archive.contents(of: csv, limit: limits.maximumCSVBytes)
            let export = try StravaExport(csv: contents, path: csv.path, archiveName: source.name, limits: limits)
            return export.read(from: &archive)
        }
        var results: [ImportedFile] = []
        for entry in archive.entries where !entry.isDirectory && isActivityFileName(entry.path) {
            let name = "\(source.name)/\(entry.path)"
            do throws(ImportIssue) {
                let contents = try activityFile(entry, in: &archive, limits: limits)
                let summaries = try summaries(of: contents, name: entry.path, limits: limits)
                results += summaries.enumerated().map { index, summary in
                    result(for: summary, name: summaries.count > 1 ? "\(name)#\(index + 1)" : name)
                }
            } catch {
                // The archive's own budget is shared: once it is spent, every later entry is refused the same way.
                results.append(ImportedFile(name: name, outcome: outcome(for: error)))
            }
        }
        guard !results.isEmpty else {
            throw ImportIssue(.noActivity, "The archive holds neither activities.csv nor any .fit, .tcx or .gpx file.")
        }
        return results
    }

    /// An activity file of an archive, gzip expanded, both layers held to the archive's expansion budget.
    static func activityFile(_ entry: ZipArchive.Entry, in archive: inout ZipArchive, limits: ImportLimits)
        throws(ImportIssue) -> Data
    {
        let contents = try archive.contents(of: entry, limit: limits.maximumActivityFileBytes)
        guard Gzip.isGzip(contents) else { return contents }
        let expanded = try Gzip.expand(
            contents, limits: limits, limit: min(limits.maximumActivityFileBytes, archive.remainingBudget))
        try archive.charge(expanded.count)
        return expanded
    }

    /// The activities in one file's bytes (gzip expanded first), by content: FIT by its signature, XML by its root.
    static func summaries(of data: Data, name: String, limits: ImportLimits) throws(ImportIssue) -> [ActivitySummary] {
        var data = data
        if Gzip.isGzip(data) {
            data = try Gzip.expand(data, limits: limits, limit: limits.maximumActivityFileBytes)
        }
        guard data.count <= limits.maximumActivityFileBytes else {
            throw ImportIssue(.tooLarge, "The activity file is larger than \(limits.maximumActivityFileBytes) bytes.")
        }
        let lowered = name.lowercased()
        let signed =
            data.count >= 12 && data[data.startIndex + 8] == 0x2E && data[data.startIndex + 9] == 0x46
            && data[data.startIndex + 10] == 0x49 && data[data.startIndex + 11] == 0x54
        if signed || lowered.hasSuffix(".fit") || lowered.hasSuffix(".fit.gz") {
            return try FITActivity.read([UInt8](data))
        }
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        if lowered.hasSuffix(".tcx") || lowered.hasSuffix(".tcx.gz") || head.contains("<TrainingCenterDatabase") {
            return try TCXReader.read(data)
        }
        if lowered.hasSuffix(".gpx") || lowered.hasSuffix(".gpx.gz") || head.contains("<gpx") {
            return try GPXReader.read(data)
        }
        throw ImportIssue(.unsupportedFormat, "The file is none of FIT, TCX, GPX or ZIP.")
    }

    private static func result(for summary: ActivitySummary, name: String) -> ImportedFile {
        guard summary.isRun else {
            return ImportedFile(
                name: name, outcome: .skipped(ImportIssue(.notARun, "The activity is \(summary.sport), not a run.")))
        }
        do throws(ImportIssue) {
            let (fields, warnings) = try RunFields.fields(for: summary)
            return ImportedFile(
                name: name, outcome: .proposed, records: [ProposedRecord(entity: .run, id: summary.id, fields: fields)],
                warnings: warnings)
        } catch {
            return ImportedFile(name: name, outcome: outcome(for: error))
        }
    }

    private static func outcome(for issue: ImportIssue) -> ImportedFile.Outcome {
        issue.code == .notARun || issue.code == .noActivity ? .skipped(issue) : .refused(issue)
    }

    private static func isActivityFileName(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return [".fit", ".tcx", ".gpx", ".fit.gz", ".tcx.gz", ".gpx.gz"].contains { lowered.hasSuffix($0) }
    }
}
