import ArgumentParser
import RunDiaryStore

struct TokenListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List an account's API tokens (never the tokens themselves).",
        discussion: """
            Examples:
              rundiary token list ana@example.org
              rundiary token list ana@example.org --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's email.") var email: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let tokens = try await database.withClient(logger: commandLogger("rundiary.token")) { client in
            try await AdminStore(client: client).tokens(email: email)
        }
        if json { return try printJSON(tokens) }
        var table = TextTable("ID", "DEVICE", "DEVICE ID", "CREATED", "LAST USED", "REVOKED")
        for token in tokens {
            table.append(
                Display.id(token.id), token.deviceName, Display.id(token.deviceID), Display.date(token.createdAt),
                Display.date(token.lastUsedAt), Display.date(token.revokedAt))
        }
        table.print()
    }
}
