import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiaryImport
import RunDiaryModels
import RunDiarySync

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import runs from FIT, TCX or GPX files, a folder of them, or a Strava export ZIP.",
        discussion: """
            Each run is written to the local diary first, as this device's own edit, and then sent with one sync \
            (skipped offline: `sync` sends it later). Importing a file again changes nothing: a run's id comes from \
            the file, so a second import finds it (and updates only fields whose values differ). A run deleted in \
            the diary is not brought back. Shoes named by a Strava export are matched by name with the diary's.

              rundiary-client import morning-run.fit
              rundiary-client import ~/Downloads/export_12345678.zip --dry-run
              rundiary-client import ~/watch-files/

            One line per activity: imported, updated, unchanged, skipped (not a run) or refused (unreadable, or \
            values the diary refuses), with the reason. Exit code 1 when any file is refused.
            """)

    @OptionGroup var diary: DiaryOptions
    @Argument(help: "Activity files (.fit, .tcx, .gpx, also .gz), ZIP archives, or folders holding them.")
    var paths: [String]
    @Flag(help: "Read the files and say what would happen, without changing the diary.") var dryRun = false
    @Flag(help: "Do not sync after importing.") var noSync = false

    struct Result: Encodable {
        let file: String
        /// `imported`, `updated`, `unchanged`, `skipped` or `refused` (the wire values of `POST /v1/import`).
        let status: String
        let code: String?
        let message: String?
        let runID: String?
        let updatedFields: [String]?

        enum CodingKeys: String, CodingKey {
            case file, status, code, message
            case runID = "run_id"
            case updatedFields = "updated_fields"
        }
    }

    struct Output: Encodable {
        let dryRun: Bool
        let results: [Result]
        let synced: Bool

        enum CodingKeys: String, CodingKey {
            case results, synced
            case dryRun = "dry_run"
        }
    }

    func run() async throws {
        let engine = try diary.openEngine()
        let files = try Self.activityFiles(paths)
        var results: [Result] = []
        for file in RunImporter.read(contentsOf: files) {
            results.append(try await Self.apply(file, to: engine, dryRun: dryRun))
        }
        let queued = results.contains { $0.status == ImportStatus.imported.rawValue || $0.status == ImportStatus.updated.rawValue }
        var synced = false
        var syncProblem: String?
        if queued, !dryRun, !noSync, try await engine.account() != nil {
            do {
                _ = try await engine.sync()
                synced = true
            } catch let error as SyncError {
                syncProblem = CommandFailure.from(error)?.message ?? error.description
            }
        }

        if diary.json {
            try printJSON(Output(dryRun: dryRun, results: results, synced: synced))
        } else {
            print(results: results, queued: queued, synced: synced, syncProblem: syncProblem)
        }
        let refused = results.filter { $0.status == ImportStatus.refused.rawValue }.count
        if refused > 0 {
            throw CommandFailure("\(refused) of \(results.count) refused; nothing of \(refused == 1 ? "it" : "them") was imported")
        }
    }

    private func print(results: [Result], queued: Bool, synced: Bool, syncProblem: String?) {
        for result in results {
            var line = "\(result.file): \(dryRun ? Self.conditional(result.status) : result.status)"
            if let runID = result.runID { line += " run \(runID.prefix(8))" }
            if let fields = result.updatedFields, !fields.isEmpty { line += " (\(fields.joined(separator: ", ")))" }
            if let code = result.code { line += " — \(code): \(result.message ?? "")" }
            Swift.print(line)
        }
        if dryRun {
            Swift.print("Dry run: the diary was not changed.")
        } else if synced {
            Swift.print("Synced.")
        } else if queued {
            Swift.print("Saved in the local diary; \(syncProblem.map { "not synced (\($0)); " } ?? "")`rundiary-client sync` sends it.")
        }
    }

    /// `imported` → `would be imported`, for a dry run.
    private static func conditional(_ status: String) -> String {
        switch status {
        case ImportStatus.imported.rawValue, ImportStatus.updated.rawValue: "would be \(status)"
        default: status
        }
    }

    /// One activity's result applied to the diary: the records it proposes go in as this device's edits.
    private static func apply(_ file: ImportedFile, to engine: SyncEngine, dryRun: Bool) async throws -> Result {
        switch file.outcome {
        case .skipped(let issue):
            return Result(
                file: file.name, status: ImportStatus.skipped.rawValue, code: issue.code.rawValue, message: issue.message, runID: nil,
                updatedFields: nil)
        case .refused(let issue):
            return Result(
                file: file.name, status: ImportStatus.refused.rawValue, code: issue.code.rawValue, message: issue.message, runID: nil,
                updatedFields: nil)
        case .proposed:
            break
        }
        let runID = file.run?.id.uuidString.lowercased()
        let verdict = try await engine.importRecords(file.records, gearKey: ImportIdentity.normalisedGearName, dryRun: dryRun)
        let status: ImportStatus
        var code: String?
        var message: String?
        var updated: [String]?
        switch verdict {
        case .created: status = .imported
        case .updated(let fields):
            status = .updated
            updated = fields
        case .unchanged: status = .unchanged
        case .deleted:
            status = .skipped
            code = "deleted_in_diary"
            message = "The run was deleted in the diary; a delete is final."
        case .refused(let rejection):
            status = .refused
            code = rejection.code.rawValue
            message = rejection.message
        }
        return Result(file: file.name, status: status.rawValue, code: code, message: message, runID: runID, updatedFields: updated)
    }

    /// The files named, folders expanded to the activity files and archives inside them (recursively, by name).
    static func activityFiles(_ paths: [String]) throws -> [URL] {
        var files: [URL] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw CommandFailure("\(path): no such file or folder", exitCode: CommandFailure.usage)
            }
            guard isFolder.boolValue else {
                files.append(URL(fileURLWithPath: path))
                continue
            }
            let folder = URL(fileURLWithPath: path, isDirectory: true)
            let found =
                FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])?
                .compactMap { $0 as? URL }
                .filter { url in
                    let name = url.lastPathComponent.lowercased()
                    return [".fit", ".tcx", ".gpx", ".fit.gz", ".tcx.gz", ".gpx.gz", ".zip"].contains { name.hasSuffix($0) }
                        && (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
                } ?? []
            if found.isEmpty {
                throw CommandFailure("\(path): no .fit, .tcx, .gpx or .zip file in the folder", exitCode: CommandFailure.usage)
            }
            files += found.sorted { $0.path < $1.path }
        }
        return files
    }
}
