import ArgumentParser
import Foundation
import RunDiaryCommandLine
import RunDiaryStore

struct UserDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Erase an account and everything of it (GDPR erasure).",
        discussion: """
            Removes every row of the user from every table that holds a user id — records, tombstones, clocks, \
            devices, tokens, share links, access logs, conflicts, rejections — and then the account, in one \
            transaction. The tables are found in the database catalog, so tables added later are included. There is \
            no undo: take a backup first if in doubt.

            Asks you to type the email to confirm, unless --yes. --dry-run only says what would be removed.

            Examples:
              rundiary user delete ana@example.org --erase --dry-run
              rundiary user delete ana@example.org --erase
              rundiary user delete ana@example.org --erase --yes --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's email.") var email: String
    @Flag(help: "Required: erase the account and all its data.") var erase = false
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Flag(help: "Only say what would be removed.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard erase else {
            throw ValidationError("deleting an account erases all of its data; say so with --erase (try --dry-run first)")
        }
    }

    func run() async throws {
        let logger = commandLogger("rundiary.user")
        let report = try await database.withClient(logger: logger) { client in
            let erasure = Erasure(client: client, logger: logger)
            let plan = try await erasure.erase(email: email, dryRun: true)
            if dryRun { return plan }
            if !yes {
                Self.describe(plan, to: printNote)
                printNote("This cannot be undone. Type the email (\(plan.email)) to erase it:")
                guard let answer = readLine(strippingNewline: true),
                    answer.trimmingCharacters(in: .whitespaces).lowercased() == plan.email.lowercased()
                else {
                    throw CommandFailure("not confirmed; nothing was removed")
                }
            }
            return try await erasure.erase(email: email, dryRun: false)
        }
        if json { return try printJSON(report) }
        Self.describe(report) { print($0) }
    }

    /// The report, table by table.
    static func describe(_ report: Erasure.Report, to write: (String) -> Void) {
        let verb = report.dryRun ? "would remove" : "removed"
        write("\(verb) user \(report.email) \(Display.id(report.userID)):")
        var table = TextTable("TABLE", "ROWS")
        for count in report.tables { table.append(count.table, "\(count.rows)") }
        table.append("total", "\(report.totalRows)")
        for line in table.lines { write("  " + line) }
    }
}
