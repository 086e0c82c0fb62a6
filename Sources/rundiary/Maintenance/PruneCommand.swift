import ArgumentParser
import RunDiaryStore

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove old tombstones, sync journal rows, expired share links and old access logs.",
        discussion: """
            A tombstone (a deleted record) is removed when it is older than the tombstone retention AND every active \
            device of its user has pulled it (active: not revoked and seen within the retention; a device that never \
            pulled holds everything). A tombstone a live record still references is kept. For every user whose \
            tombstones were removed, users.pruned_through is raised to the highest removed version: a device whose \
            cursor is below it is told to reset (410 reset_required) on its next pull.

            Also removes sync conflicts and rejections older than the journal retention, share access log entries \
            older than the access log retention, and share links expired more than 30 days ago once their access \
            log is gone. Prints the rows removed per table.

            Durations: seconds (3600) or a number with s, m, h or d (12h, 90d).

            Examples:
              rundiary prune --dry-run
              rundiary prune --retention 60d --json
              RUNDIARY_TOMBSTONE_RETENTION=120d rundiary prune
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Tombstone retention (env: RUNDIARY_TOMBSTONE_RETENTION; default 90d).") var retention: String?
    @Option(help: "Conflict and rejection retention (env: RUNDIARY_JOURNAL_RETENTION; default 365d).")
    var journalRetention: String?
    @Option(help: "Share access log retention (env: RUNDIARY_ACCESS_LOG_RETENTION; default 365d).")
    var accessLogRetention: String?
    @Flag(help: "Only count what would be removed.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        var policy = Pruner.Policy()
        if let text = retention ?? Environment.value("RUNDIARY_TOMBSTONE_RETENTION") {
            policy.tombstoneRetention = try seconds(text, setting: "tombstone retention")
        }
        if let text = journalRetention ?? Environment.value("RUNDIARY_JOURNAL_RETENTION") {
            policy.journalRetention = try seconds(text, setting: "journal retention")
        }
        if let text = accessLogRetention ?? Environment.value("RUNDIARY_ACCESS_LOG_RETENTION") {
            policy.accessLogRetention = try seconds(text, setting: "access log retention")
        }
        let logger = commandLogger("rundiary.prune")
        let report = try await database.withClient(logger: logger) { client in
            try await Pruner(client: client, logger: logger).prune(policy, dryRun: dryRun)
        }
        if json { return try printJSON(report) }
        print(dryRun ? "would remove:" : "removed:")
        var table = TextTable("TABLE", "ROWS")
        for count in report.tables { table.append(count.table, "\(count.rows)") }
        for line in table.lines { print("  " + line) }
        if !report.users.isEmpty {
            print("\(dryRun ? "would raise" : "raised") pruned_through for \(report.users.count) user(s)")
        }
    }
}
