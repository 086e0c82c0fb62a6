import ArgumentParser
import RunDiaryStore

struct UserEnableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Enable a disabled account: its tokens and share links work again.",
        discussion: """
            Tokens and share links revoked meanwhile stay revoked.

            Example:
              rundiary user enable ana@example.org
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The account's email.") var email: String

    func run() async throws {
        let changed = try await database.withClient(logger: commandLogger("rundiary.user")) { client in
            try await AdminStore(client: client).setDisabled(email: email, false)
        }
        print(changed ? "enabled \(email)" : "\(email) was enabled already")
    }
}
