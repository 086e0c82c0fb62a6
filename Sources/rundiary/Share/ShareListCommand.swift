import ArgumentParser
import RunDiaryStore

struct ShareListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List share links (never their tokens), of one account or all.",
        discussion: """
            STATE is active, expired, revoked or exhausted (its views are used up).

            Examples:
              rundiary share list
              rundiary share list --user ana@example.org --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only this account's links.") var user: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let shares = try await database.withClient(logger: commandLogger("rundiary.share")) { client in
            try await AdminStore(client: client).shares(email: user)
        }
        if json { return try printJSON(shares) }
        var table = TextTable("ID", "USER", "LABEL", "STATE", "VIEWS", "EXPIRES", "CREATED")
        for share in shares {
            table.append(
                Display.id(share.id), share.email, share.label.isEmpty ? "-" : share.label, share.state.rawValue,
                "\(share.views)/\(Display.optional(share.maxViews))", Display.date(share.expiresAt),
                Display.date(share.createdAt))
        }
        table.print()
    }
}
