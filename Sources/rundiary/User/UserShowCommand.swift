import ArgumentParser
import RunDiaryStore

struct UserShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one account: state, sync position, records, tokens and share links.",
        discussion: """
            Examples:
              rundiary user show ana@example.org
              rundiary user show ana@example.org --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's email.") var email: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let detail = try await database.withClient(logger: commandLogger("rundiary.user")) { client in
            try await AdminStore(client: client).userDetail(email: email)
        }
        if json { return try printJSON(detail) }
        let user = detail.user
        print("email           \(user.email)")
        print("id              \(Display.id(user.id))")
        print("name            \(user.displayName.isEmpty ? "-" : user.displayName)")
        print("state           \(user.disabledAt.map { "disabled since \(Display.date($0))" } ?? "active")")
        print("password        \(user.hasPassword ? "set" : "none (cannot log in)")")
        print("created         \(Display.date(user.createdAt))")
        print("version         \(user.version) (pruned through \(user.prunedThrough))")
        print("devices         \(user.activeDevices) active, last seen \(Display.date(user.lastSeenAt))")
        print("tokens          \(detail.activeTokens) active")
        print("share links     \(detail.activeShares.map { "\($0) active" } ?? "-")")
        var table = TextTable("ENTITY", "LIVE", "DELETED")
        for count in detail.records { table.append(count.entity, "\(count.live)", "\(count.tombstones)") }
        print("")
        table.print()
    }
}
