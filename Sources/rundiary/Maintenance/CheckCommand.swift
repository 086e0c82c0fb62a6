import ArgumentParser
import RunDiaryCommandLine
import RunDiaryStore

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the integrity of the diaries and the schema.",
        discussion: """
            Looks for: a record whose account no longer exists; a user whose version is below their highest record version; two records of a user sharing a \
            version; a reference (run_id, gear_id, plan_item_id, plan_id) to a record that does not exist for that \
            user (a deleted one is fine); a field set on a live record without a clock; a record whose stored pull \
            JSON does not say what its columns hold; a migration pending, changed or unknown. Exits 1 with the list \
            when anything is wrong.

            --repair applies only the safe fixes — raising a user's version to their highest record version, and \
            writing a record's pull JSON again from its columns — and says what it did and what it left; it exits 1 \
            if anything is left.

            Examples:
              rundiary check
              rundiary check --repair
              rundiary check --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Apply the safe repairs.") var repair = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let migrations = try database.loadMigrations()
        let logger = commandLogger("rundiary.check")
        let report = try await database.withClient(logger: logger) { client in
            try await IntegrityCheck(client: client, migrations: migrations, logger: logger).run(repair: repair)
        }
        if json {
            try printJSON(report)
        } else if report.findings.isEmpty {
            print("no problems found")
        } else {
            for finding in report.repaired { print("repaired  \(Self.line(finding))") }
            for finding in report.remaining { print("problem   \(Self.line(finding))") }
            print(
                "\(report.remaining.count) problem(s)"
                    + (repair ? ", \(report.repaired.count) repaired" : "")
                    + (!repair && report.remaining.contains(where: \.repairable) ? "; --repair can fix some" : ""))
        }
        if !report.remaining.isEmpty { throw ExitCode(CommandFailure.problem) }
    }

    static func line(_ finding: IntegrityCheck.Finding) -> String {
        var parts = [finding.kind.rawValue]
        if let userID = finding.userID { parts.append("user \(Display.id(userID))") }
        if let entity = finding.entity, let recordID = finding.recordID { parts.append("\(entity) \(Display.id(recordID))") }
        return parts.joined(separator: " ") + ": " + finding.detail
    }
}
